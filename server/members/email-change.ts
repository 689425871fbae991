// A member changing its own email (PUT /api/users/:id by itself): the address changes only once the
// member proves it holds the new one. The request keeps the new address pending with the digest of
// a one-time code, mails the code's link to the new address, and tells the old one; the link
// (GET /api/auth/email-confirmation, the route of the sign-up confirmation) applies it. Until then
// the member signs in with its old address. An admin or an API token sets an email directly.
import type { Knex } from 'knex';
import { ValidationError } from '../errors.js';
import { digest, randomToken } from '../auth/crypto.js';
import type { Mailer, MailMessage } from '../auth/mailer.js';
import type { AuditLog } from '../events/audit.js';
import type { Caller } from '../access/caller.js';
import type { MemberRow, MemberService } from './members.js';
import type { MailKind, MailValues } from './mail-templates.js';

const CODE_TTL_MS = 86_400_000;

export interface EmailChangeDeps {
  db: Knex;
  secret: string;
  publicUrl: string;
  mailer: Mailer;
  audit: AuditLog;
}

/** Whether `body` is `caller` changing its own email: that waits for confirmation. */
export function isOwnEmailChange(caller: Caller, memberId: number, body: Record<string, unknown>): boolean {
  return caller.kind === 'member' && caller.id === memberId && typeof body.email === 'string';
}

export class EmailChanges {
  constructor(
    private readonly o: EmailChangeDeps,
    private readonly members: MemberService,
    private readonly compose: (kind: MailKind, row: MemberRow, values: MailValues, to: string) => Promise<MailMessage>,
  ) {}

  private codeDigest(code: string): string {
    return digest(this.o.secret, 'member-email-change', code);
  }

  /**
   * Makes `email` the pending address of `row` in `trx` (the last request wins) and answers the
   * code to mail; undefined when it is the member's address already. 400 when another member has it.
   */
  async requestIn(trx: Knex.Transaction, row: MemberRow, email: string): Promise<string | undefined> {
    const address = email.toLowerCase();
    if (address === row.email) return undefined;
    await this.members.assertFree(trx, { email: address }, { except: Number(row.id) });
    const code = randomToken();
    await trx('folio_members')
      .where({ id: row.id })
      .update({
        pending_email: address,
        email_change_digest: this.codeDigest(code),
        email_change_expires_at: Date.now() + CODE_TTL_MS,
      });
    return code;
  }

  /** After the commit: the link to the new address, a notice to the old one. */
  mailLater(row: MemberRow, email: string, code: string): void {
    const address = email.toLowerCase();
    const URL = `${this.o.publicUrl}/api/auth/email-confirmation`;
    this.o.mailer.sendLater(() => this.compose('emailChange', row, { URL, CODE: code, NEW_EMAIL: address }, address));
    this.o.mailer.sendLater({
      to: row.email,
      subject: 'Your email address is about to change',
      text:
        `Someone signed in to your account asked to change its email address to ${address}.\n\n` +
        'The change happens only once that address is confirmed. If it was not you, change your password ' +
        'now: the address stays as it is until then.\n\nThanks.',
    });
  }

  /** Applies the pending email of `code`; false when no change waits with that code (or it expired). */
  async confirm(code: string): Promise<boolean> {
    const codeDigest = this.codeDigest(code);
    return this.o.db.transaction(async (trx) => {
      const row = await this.members.rowByDigest('email_change_digest', codeDigest, trx);
      if (!row?.pending_email || Number(row.email_change_expires_at ?? 0) <= Date.now()) return false;
      // Taken since the request (another member confirmed it first): refused, the change stays pending.
      await this.members.assertFree(trx, { email: row.pending_email }, { except: Number(row.id) });
      const claimed = await trx('folio_members')
        .where({ id: row.id, email_change_digest: codeDigest })
        .update({
          email: row.pending_email,
          pending_email: null,
          email_change_digest: null,
          email_change_expires_at: null,
          updated_at: Math.max(Date.now(), Number(row.updated_at) + 1),
        });
      if (!claimed) return false;
      await this.o.audit.record(
        {
          actor: { kind: 'member', id: Number(row.id), label: row.username },
          action: 'members.email-change',
          subject: 'members',
          entityId: Number(row.id),
          details: { from: row.email, to: row.pending_email },
        },
        trx,
      );
      return true;
    });
  }
}

/** 400 for a code that cannot be one (Strapi's "Invalid token"). */
export function assertCodeShape(code: unknown): asserts code is string {
  if (typeof code !== 'string' || !code || code.length > 200) throw new ValidationError('Invalid token');
}
