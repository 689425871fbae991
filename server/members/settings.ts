// The members settings (Settings › Members): registration open or closed, the role new members
// get, whether they must confirm their email, where links in emails lead, the JWT lifetime and the
// extra fields registration accepts (Strapi's `register.allowedFields`). One row of
// folio_member_settings, JSON validated here; defaults until an admin saves.
import type { Knex } from 'knex';
import { z } from 'zod';
import { mailTemplatesSchema } from './mail-templates.js';

/** Names of member fields that an extra field may not take. */
export const MEMBER_FIELDS = new Set([
  'id',
  'documentId',
  'username',
  'email',
  'password',
  'provider',
  'confirmed',
  'blocked',
  'role',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'resetPasswordToken',
  'confirmationToken',
]);

const urlOrEmpty = z.union([z.literal(''), z.url({ protocol: /^https?$/ })]);
const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * One OAuth provider (Strapi's `grant` settings): the app's id and secret at the provider, the
 * site page the browser lands on with `access_token` (Strapi's `callback`), and the provider's
 * endpoints (configurable so that a test, or GitHub Enterprise, points them elsewhere). The secret
 * is stored sealed and never answered: the settings API answers '' and `clientSecretSet`, and a
 * save with '' keeps the stored one (server/members/oauth-secrets.ts).
 */
const providerBase = {
  enabled: z.boolean(),
  clientId: z.string().trim().max(500),
  clientSecret: z.string().max(2000),
  /** Output only: whether a secret is stored. */
  clientSecretSet: z.boolean().optional(),
  redirectUrl: urlOrEmpty,
};
export const githubSettingsSchema = z
  .object({
    ...providerBase,
    authorizationUrl: httpUrl,
    tokenUrl: httpUrl,
    /** The REST API root: `/user` and `/user/emails` are read there. */
    apiUrl: httpUrl,
  })
  .strict();
export const googleSettingsSchema = z
  .object({
    ...providerBase,
    /** The OpenID Connect issuer: its discovery document names the endpoints and keys. */
    issuer: httpUrl,
  })
  .strict();
export type GithubSettings = z.infer<typeof githubSettingsSchema>;
export type GoogleSettings = z.infer<typeof googleSettingsSchema>;
export type OAuthProviderName = 'github' | 'google';

export const DEFAULT_PROVIDERS = {
  github: {
    enabled: false,
    clientId: '',
    clientSecret: '',
    redirectUrl: '',
    authorizationUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    apiUrl: 'https://api.github.com',
  } satisfies GithubSettings,
  google: {
    enabled: false,
    clientId: '',
    clientSecret: '',
    redirectUrl: '',
    issuer: 'https://accounts.google.com',
  } satisfies GoogleSettings,
};

export const memberSettingsSchema = z
  .object({
    /** Strapi's `allow_register`. */
    registration: z.boolean(),
    /** The code (Strapi's `type`) of the role a new member gets. */
    defaultRole: z.string().trim().min(1).max(191),
    /** Strapi's `email_confirmation`: a new member signs in only once it has confirmed its email. */
    emailConfirmation: z.boolean(),
    /** Where the confirmation link leads once confirmed (Strapi's `email_confirmation_redirection`). */
    emailConfirmationRedirection: urlOrEmpty,
    /** The site's reset page; the mail links to it with `?code=` (Strapi's `email_reset_password`). */
    resetPasswordUrl: urlOrEmpty,
    /** Lifetime of a member's JWT, in days (Strapi: 30), when refresh tokens are off. */
    jwtLifetimeDays: z.number().int().min(1).max(365),
    /**
     * Strapi's `jwtManagement: 'refresh'`: sign-ins answer a short-lived JWT and a rotating refresh
     * token (server/members/refresh-tokens.ts); off, a sign-in answers one JWT of jwtLifetimeDays.
     */
    refreshTokens: z.boolean(),
    /** The JWT's lifetime in refresh mode, in minutes. */
    accessTokenLifetimeMinutes: z.number().int().min(1).max(1440),
    /** How long a refresh token may wait unused before it expires, in days. */
    refreshTokenLifetimeDays: z.number().int().min(1).max(365),
    /** Extra fields registration (and /api/users writes) accept besides username, email, password. */
    allowedFields: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a field name is a letter then letters, digits or _')
          .refine((name) => !MEMBER_FIELDS.has(name), 'a member field cannot be an extra field'),
      )
      .max(50),
    /** Sign-in with an OAuth provider (docs/members.md, "Sign in with GitHub or Google"). */
    providers: z.object({ github: githubSettingsSchema, google: googleSettingsSchema }).strict(),
    /** The mails an admin rewrote (mail-templates.ts); edited through their own route. */
    emailTemplates: mailTemplatesSchema,
  })
  .strict();
export type MemberSettings = z.infer<typeof memberSettingsSchema>;

/**
 * What a save accepts: without `providers`, `emailTemplates` or the refresh settings, the stored ones
 * stay — a page or a client that predates them never turns them off by saving the rest.
 */
export const memberSettingsInputSchema = memberSettingsSchema.extend({
  providers: memberSettingsSchema.shape.providers.optional(),
  emailTemplates: mailTemplatesSchema.optional(),
  refreshTokens: memberSettingsSchema.shape.refreshTokens.optional(),
  accessTokenLifetimeMinutes: memberSettingsSchema.shape.accessTokenLifetimeMinutes.optional(),
  refreshTokenLifetimeDays: memberSettingsSchema.shape.refreshTokenLifetimeDays.optional(),
});
export type MemberSettingsInput = z.infer<typeof memberSettingsInputSchema>;

export const DEFAULT_MEMBER_SETTINGS: MemberSettings = {
  registration: true,
  defaultRole: 'authenticated',
  emailConfirmation: false,
  emailConfirmationRedirection: '',
  resetPasswordUrl: '',
  jwtLifetimeDays: 30,
  refreshTokens: false,
  accessTokenLifetimeMinutes: 15,
  refreshTokenLifetimeDays: 30,
  allowedFields: [],
  providers: DEFAULT_PROVIDERS,
  emailTemplates: {},
};

const ROW_ID = 1;

/** The settings as stored (defaults for what was never saved). */
export async function readMemberSettings(db: Knex): Promise<MemberSettings> {
  const row = await db('folio_member_settings').where({ id: ROW_ID }).first<{ value: string } | undefined>('value');
  if (!row) return { ...DEFAULT_MEMBER_SETTINGS };
  const parsed = memberSettingsSchema.safeParse({ ...DEFAULT_MEMBER_SETTINGS, ...(JSON.parse(row.value) as object) });
  return parsed.success ? parsed.data : { ...DEFAULT_MEMBER_SETTINGS };
}

/** Writes the settings in `trx` (validated by the caller). */
export async function writeMemberSettingsIn(trx: Knex.Transaction, settings: MemberSettings): Promise<void> {
  const value = JSON.stringify(settings);
  await trx('folio_member_settings')
    .insert({ id: ROW_ID, value, updated_at: Date.now() })
    .onConflict('id')
    .merge({ value, updated_at: Date.now() });
}
