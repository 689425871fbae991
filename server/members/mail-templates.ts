// The members' editable mails (Settings › Members › Email templates): email confirmation, password
// reset and email change, each with Strapi's fields — sender, reply-to, subject, HTML message — plus
// a plain-text body (Folio's mails have always had one). Variables use Strapi's syntax, `<%= URL %>`,
// `<%= CODE %>`, `<%= USER.username %>`, but are never evaluated as code: Strapi runs its templates
// through lodash.template, which would execute whatever an admin (or someone holding an admin's
// session) typed. Here a template is text with known placeholders, replaced by value; the HTML
// message gets each value HTML-escaped, so a username like `<img onerror=…>` stays text.
import { z } from 'zod';
import { escapeHtml } from '../content/render/markdown.js';
import { ValidationError } from '../errors.js';
import type { MailMessage } from '../auth/mailer.js';

export const MAIL_KINDS = ['emailConfirmation', 'resetPassword', 'emailChange'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

const USER_VARIABLES = ['USER.username', 'USER.email'];

/** The variables each mail knows (Strapi's names where it has the mail). */
export const MAIL_VARIABLES: Record<MailKind, readonly string[]> = {
  // URL: the confirmation route; CODE: the one-time code (the link is `<%= URL %>?confirmation=<%= CODE %>`).
  emailConfirmation: ['URL', 'CODE', ...USER_VARIABLES],
  // URL: the site's reset page (settings `resetPasswordUrl`); TOKEN (Strapi) and CODE: the reset code.
  resetPassword: ['URL', 'TOKEN', 'CODE', ...USER_VARIABLES],
  // URL and CODE as for the confirmation; NEW_EMAIL: the address being confirmed.
  emailChange: ['URL', 'CODE', 'NEW_EMAIL', ...USER_VARIABLES],
};

const optionalEmail = z.union([z.literal(''), z.email().max(191)]);

export const mailTemplateSchema = z
  .object({
    /** The sender; an empty email sends from MAIL_FROM. */
    from: z.object({ name: z.string().max(200), email: optionalEmail }).strict(),
    /** Strapi's `response_email`. */
    replyTo: optionalEmail,
    /** Strapi's `object`; one line. */
    subject: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .regex(/^[^\r\n]*$/, 'the subject is one line'),
    /** The HTML body (Strapi's `message`): values are HTML-escaped. */
    message: z.string().max(20_000),
    /** The plain-text body: values as they are. */
    text: z.string().min(1).max(20_000),
  })
  .strict();
export type MailTemplate = z.infer<typeof mailTemplateSchema>;

/**
 * The templates an admin saved; a kind left out is Folio's built-in mail (what was sent before the
 * templates were editable), so a reset mail keeps its two forms — with the site's reset link, or
 * the code alone — until an admin writes their own.
 */
export const mailTemplatesSchema = z
  .object(
    Object.fromEntries(MAIL_KINDS.map((kind) => [kind, mailTemplateSchema.optional()])) as {
      [K in MailKind]: z.ZodOptional<typeof mailTemplateSchema>;
    },
  )
  .strict();
export type MailTemplates = z.infer<typeof mailTemplatesSchema>;

const NO_SENDER = { from: { name: '', email: '' }, replyTo: '' };

const CONFIRMATION_TEXT =
  'Thank you for registering!\n\nYou have to confirm your email address. Please click on the link below.' +
  '\n\n<%= URL %>?confirmation=<%= CODE %>\n\nThanks.';
const RESET_INTRO = 'We heard that you lost your password. Sorry about that!\n\n';
const RESET_LINK =
  "But don't worry! You can use the following link to reset your password:\n\n<%= URL %>?code=<%= CODE %>\n\n";
const RESET_CODE = 'Your reset code (valid for one hour): <%= CODE %>\n\nThanks.';
const EMAIL_CHANGE_TEXT =
  'You asked to change the email address of your account to <%= NEW_EMAIL %>.\n\n' +
  'Please confirm it by clicking on the link below (valid for one day):\n\n<%= URL %>?confirmation=<%= CODE %>' +
  '\n\nIf you did not ask for this, ignore this email: your address stays as it is.\n\nThanks.';

/** An HTML message made of the text's paragraphs (the built-in mails' HTML part). */
function htmlOf(text: string): string {
  return text
    .split('\n\n')
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function builtIn(subject: string, text: string): MailTemplate {
  return { ...NO_SENDER, subject, text, message: htmlOf(text) };
}

/** The built-in mail of `kind`; the reset mail links to the site's reset page when one is set. */
export function defaultTemplate(kind: MailKind, options: { resetPage: boolean }): MailTemplate {
  switch (kind) {
    case 'emailConfirmation':
      return builtIn('Account confirmation', CONFIRMATION_TEXT);
    case 'resetPassword':
      return builtIn('Reset password', RESET_INTRO + (options.resetPage ? RESET_LINK : '') + RESET_CODE);
    case 'emailChange':
      return builtIn('Confirm your new email address', EMAIL_CHANGE_TEXT);
  }
}

// `<%= NAME %>` with any spacing; any other `<%` is refused on save (no other syntax exists here).
const PLACEHOLDER = /<%=\s*([A-Za-z_][A-Za-z0-9_.]*)\s*%>/g;

/** 400 unless every `<% … %>` of the template is a known variable of its mail. */
export function assertKnownVariables(kind: MailKind, template: MailTemplate): void {
  const known = new Set(MAIL_VARIABLES[kind]);
  const unknown = new Set<string>();
  for (const field of ['subject', 'message', 'text'] as const) {
    const value = template[field];
    for (const [, name] of value.matchAll(PLACEHOLDER)) if (!known.has(name)) unknown.add(name);
    if (value.replace(PLACEHOLDER, '').includes('<%')) unknown.add('<% … %> that is not <%= VARIABLE %>');
  }
  if (unknown.size)
    throw ValidationError.fromErrors([
      {
        path: ['emailTemplates', kind],
        message:
          `Unknown variables in the ${kind} template: ${[...unknown].join(', ')}` +
          ` (known: ${MAIL_VARIABLES[kind].join(', ')})`,
        name: 'ValidationError',
      },
    ]);
}

export type MailValues = Record<string, string>;

function fill(template: string, values: MailValues, escape: (value: string) => string): string {
  // Own properties only: a template naming `constructor` finds nothing (and was refused on save).
  return template.replace(PLACEHOLDER, (_, name: string) => (Object.hasOwn(values, name) ? escape(values[name]) : ''));
}

/** The mail `template` makes with `values`, to `to`. */
export function renderMail(template: MailTemplate, values: MailValues, to: string): MailMessage {
  const message: MailMessage = {
    to,
    subject: fill(template.subject, values, (v) => v.replace(/[\r\n]+/g, ' ')),
    text: fill(template.text, values, (v) => v),
  };
  if (template.message.trim()) message.html = fill(template.message, values, escapeHtml);
  if (template.from.email) message.from = { name: template.from.name, address: template.from.email };
  if (template.replyTo) message.replyTo = template.replyTo;
  return message;
}

/** A template as Settings › Members shows it: the one in use, whether an admin wrote it, its variables. */
export type MailTemplateView = MailTemplate & { custom: boolean; variables: readonly string[] };

export function templatesView(
  saved: MailTemplates,
  options: { resetPage: boolean },
): Record<MailKind, MailTemplateView> {
  const view = (kind: MailKind): MailTemplateView => ({
    ...(saved[kind] ?? defaultTemplate(kind, options)),
    custom: saved[kind] !== undefined,
    variables: MAIL_VARIABLES[kind],
  });
  return Object.fromEntries(MAIL_KINDS.map((kind) => [kind, view(kind)])) as Record<MailKind, MailTemplateView>;
}

/** A save of the templates: a kind sent as null goes back to the built-in mail; one left out stays. */
export const mailTemplatesInputSchema = z
  .object(
    Object.fromEntries(MAIL_KINDS.map((kind) => [kind, mailTemplateSchema.nullable().optional()])) as {
      [K in MailKind]: z.ZodOptional<z.ZodNullable<typeof mailTemplateSchema>>;
    },
  )
  .strict();
export type MailTemplatesInput = z.infer<typeof mailTemplatesInputSchema>;

/** `saved` with `input` applied, every template's variables checked (400 for an unknown one). */
export function applyTemplates(saved: MailTemplates, input: MailTemplatesInput): MailTemplates {
  const next: MailTemplates = { ...saved };
  for (const kind of MAIL_KINDS) {
    const template = input[kind];
    if (template === undefined) continue;
    if (template === null) delete next[kind];
    else {
      assertKnownVariables(kind, template);
      next[kind] = template;
    }
  }
  return next;
}
