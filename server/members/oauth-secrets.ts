// The OAuth client secrets in the members settings: sealed (AES-256-GCM under a key derived from
// FOLIO_SECRET) before they are stored, opened only to talk to the provider, never answered by the
// settings API nor written to the audit log. A save that sends '' keeps the stored secret, so that
// the dashboard can save the page without ever having read the secret.
import { Buffer } from 'node:buffer';
import { keyFor } from '../auth/keys.js';
import { open, seal } from '../encryption/envelope.js';
import {
  DEFAULT_PROVIDERS,
  type MemberSettings,
  type MemberSettingsInput,
  type OAuthProviderName,
} from './settings.js';

const SEALED_PREFIX = 'sealed:v1:';
const PROVIDERS: OAuthProviderName[] = ['github', 'google'];

export class OAuthSecrets {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(keyFor(secret, 'memberOAuthSecret'));
  }

  /** The settings to store: new secrets sealed, '' replaced by the stored secret, what is absent kept. */
  toStore(input: MemberSettingsInput, stored: MemberSettings): MemberSettings {
    const providers = structuredClone(input.providers ?? stored.providers);
    for (const name of PROVIDERS) {
      const provider = providers[name];
      delete provider.clientSecretSet;
      provider.clientSecret = provider.clientSecret
        ? SEALED_PREFIX + seal(this.key, Buffer.from(provider.clientSecret)).toString('base64url')
        : stored.providers[name].clientSecret;
    }
    return {
      ...input,
      providers,
      emailTemplates: input.emailTemplates ?? stored.emailTemplates,
      refreshTokens: input.refreshTokens ?? stored.refreshTokens,
      accessTokenLifetimeMinutes: input.accessTokenLifetimeMinutes ?? stored.accessTokenLifetimeMinutes,
      refreshTokenLifetimeDays: input.refreshTokenLifetimeDays ?? stored.refreshTokenLifetimeDays,
    };
  }

  /** The stored client secret of `name`, opened ('' when none). */
  clientSecret(settings: MemberSettings, name: OAuthProviderName): string {
    const sealed = settings.providers[name].clientSecret;
    if (!sealed.startsWith(SEALED_PREFIX)) return '';
    return open(this.key, Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url')).toString();
  }
}

/** The settings as the API answers them: each secret as '' and whether one is stored. */
export function redactSecrets(settings: MemberSettings): MemberSettings {
  const providers = structuredClone(settings.providers ?? DEFAULT_PROVIDERS);
  for (const name of PROVIDERS) {
    providers[name].clientSecretSet = providers[name].clientSecret !== '';
    providers[name].clientSecret = '';
  }
  return { ...settings, providers };
}
