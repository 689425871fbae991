// Emails for password resets and invitations, through nodemailer on SMTP_URL. Without SMTP the
// message (with its link) is logged, so that a single-machine install still works.
// sendLater() sends after the request has answered. Its jobs are kept in this process, not in the
// outbox: a message carries a one-time link, which must never rest in the database in clear (only
// its digest does); a crash loses the queued mail, and its reader asks again. close() waits for them.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative of `text` (the members' editable templates). */
  html?: string;
  /** Another sender than MAIL_FROM, and where replies go (the members' templates). */
  from?: { name: string; address: string };
  replyTo?: string;
}

export class Mailer {
  private readonly transport?: Transporter;
  private readonly listeners = new Set<(message: MailMessage) => void>();
  private readonly queued = new Set<Promise<void>>();

  constructor(private readonly options: { smtpUrl?: string; from: string; logger: Logger }) {
    if (options.smtpUrl) this.transport = nodemailer.createTransport(options.smtpUrl);
  }

  /** Whether messages leave this machine (SMTP_URL is set), not just the log: the dashboard says so. */
  get delivers(): boolean {
    return this.transport !== undefined;
  }

  /** Observes every message sent (the tests read links this way); returns the unsubscribe. */
  onSend(listener: (message: MailMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async send(message: MailMessage): Promise<void> {
    for (const listener of this.listeners) listener(message);
    if (!this.transport) {
      this.options.logger.info(
        { mail: { to: message.to, subject: message.subject, text: message.text } },
        'email (SMTP_URL is not set, so it is logged instead of sent)',
      );
      return;
    }
    try {
      await this.transport.sendMail({ from: this.options.from, ...message });
    } catch (err) {
      // A failed send must not reveal anything to the requester (e.g. that the account exists).
      this.options.logger.error({ err, to: message.to, subject: message.subject }, 'email could not be sent');
    }
  }

  /**
   * Sends off the request path: an SMTP round trip inside a request tells, by how long the answer
   * takes, whether the address had an account. `compose` may be the work that decides whether
   * there is a message at all (an account lookup, a link written): it then runs off the request
   * path too, and answers null when nothing is to be sent.
   */
  sendLater(compose: MailMessage | (() => Promise<MailMessage | null>)): void {
    const job: Promise<void> = Promise.resolve()
      .then(() => (typeof compose === 'function' ? compose() : compose))
      .then((message) => (message ? this.send(message) : undefined))
      .catch((err: unknown) => this.options.logger.error({ err }, 'email could not be composed or sent'))
      .finally(() => this.queued.delete(job));
    this.queued.add(job);
  }

  /** Resolves once every message queued by sendLater() has been sent or has failed (and been logged). */
  async idle(): Promise<void> {
    while (this.queued.size) await Promise.all(this.queued);
  }

  async close(): Promise<void> {
    await this.idle();
    this.transport?.close();
  }
}
