// Emails for password resets and invitations, through nodemailer on SMTP_URL. Without SMTP the
// message (with its link) is logged, so that a single-machine install still works.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export class Mailer {
  private readonly transport?: Transporter;
  private readonly listeners = new Set<(message: MailMessage) => void>();

  constructor(private readonly options: { smtpUrl?: string; from: string; logger: Logger }) {
    if (options.smtpUrl) this.transport = nodemailer.createTransport(options.smtpUrl);
  }

  /** Observes every message sent (the tests read links this way); returns the unsubscribe. */
  onSend(listener: (message: MailMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async send(message: MailMessage): Promise<void> {
    for (const listener of this.listeners) listener(message);
    if (!this.transport) {
      this.options.logger.info({ mail: { to: message.to, subject: message.subject, text: message.text } }, 'email (SMTP_URL is not set, so it is logged instead of sent)');
      return;
    }
    try {
      await this.transport.sendMail({ from: this.options.from, ...message });
    } catch (err) {
      // A failed send must not reveal anything to the requester (e.g. that the account exists).
      this.options.logger.error({ err, to: message.to, subject: message.subject }, 'email could not be sent');
    }
  }

  close(): void {
    this.transport?.close();
  }
}
