import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: 'sqlite:./data/folio.db',
      databasePoolMax: 10,
      port: 1337,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:1337',
      demo: true,
      uploadsDir: './uploads',
      uploadMaxBytes: 50 * 1024 * 1024,
      cache: true,
      revisions: { enabled: true, keep: 0, maxAgeDays: 0 },
      apiMaxPageSize: 100,
      corsOrigins: [],
      trustProxy: false,
      trustProxyHops: 1,
      logLevel: 'info',
    });
    expect(config.secret).toBeUndefined();
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'mysql://u:p@db:3306/folio',
      DATABASE_READ_URLS: 'mysql://u:p@r1/folio, mysql://u:p@r2/folio',
      DATABASE_POOL_MAX: '24',
      PORT: '8080',
      PUBLIC_URL: 'https://cms.example.com/',
      FOLIO_SECRET: 'x'.repeat(40),
      FOLIO_DEMO: 'false',
      CACHE: 'off',
      REVISIONS: 'off',
      REVISIONS_KEEP: '20',
      REVISIONS_MAX_AGE_DAYS: '90',
      API_MAX_PAGE_SIZE: '250',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: 'true',
      TRUST_PROXY_HOPS: '2',
      S3_BUCKET: 'media',
      S3_REGION: 'eu-west-1',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'debug',
    });
    expect(config.databaseReadUrls).toEqual(['mysql://u:p@r1/folio', 'mysql://u:p@r2/folio']);
    expect(config.publicUrl).toBe('https://cms.example.com');
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config).toMatchObject({
      databasePoolMax: 24,
      port: 8080,
      demo: false,
      cache: false,
      revisions: { enabled: false, keep: 20, maxAgeDays: 90 },
      apiMaxPageSize: 250,
      trustProxy: true,
      trustProxyHops: 2,
      logLevel: 'debug',
    });
    expect(config.s3).toMatchObject({ bucket: 'media', region: 'eu-west-1' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 1337,
      databaseUrl: 'sqlite:./data/folio.db',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'postgres://localhost/x'],
    ['DATABASE_POOL_MAX', '0'],
    ['FOLIO_DEMO', 'maybe'],
    ['CACHE', 'sometimes'],
    ['REVISIONS', 'sometimes'],
    ['LOG_LEVEL', 'loud'],
    ['FOLIO_SECRET', 'short'],
    ['PUBLIC_URL', 'not a url'],
    ['TRUST_PROXY_HOPS', '0'],
  ])('refuses a bad %s with one line naming it', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(variable);
    expect(message).not.toContain('\n');
  });

  it('requires S3_REGION with S3_BUCKET', () => {
    expect(() => loadConfig({ S3_BUCKET: 'media' })).toThrow(/S3_REGION/);
  });

  it('opens webhooks to no internal host by default, and to the hosts and ranges WEBHOOK_ALLOWED_HOSTS lists', () => {
    expect(loadConfig({}).webhookAllowedHosts).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'hooks.intranet, 10.20.0.0/16,[::1]' }).webhookAllowedHosts).toEqual([
      'hooks.intranet',
      '10.20.0.0/16',
      '[::1]',
    ]);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/33' })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it('gives the HTTP server documented timeouts and a per-address connection cap, configurable', () => {
    expect(loadConfig({}).http).toEqual({
      headersTimeoutMs: 20_000,
      idleTimeoutMs: 30_000,
      keepAliveTimeoutMs: 65_000,
      maxConnectionsPerIp: 64,
    });
    const config = loadConfig({
      HTTP_HEADERS_TIMEOUT: '5',
      HTTP_IDLE_TIMEOUT: '120',
      HTTP_KEEP_ALIVE_TIMEOUT: '75',
      HTTP_MAX_CONNECTIONS_PER_IP: '0',
    });
    expect(config.http).toEqual({
      headersTimeoutMs: 5_000,
      idleTimeoutMs: 120_000,
      keepAliveTimeoutMs: 75_000,
      maxConnectionsPerIp: 0,
    });
    expect(() => loadConfig({ HTTP_IDLE_TIMEOUT: '0' })).toThrow(ConfigError);
  });

  it('hashes passwords at the argon2 library default cost unless told otherwise', () => {
    expect(loadConfig({}).passwordHashing).toEqual({ memoryCost: 65536, timeCost: 3, parallelism: 4 });
    const config = loadConfig({
      PASSWORD_HASH_MEMORY_KIB: '19456',
      PASSWORD_HASH_PASSES: '2',
      PASSWORD_HASH_PARALLELISM: '1',
    });
    expect(config.passwordHashing).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(() => loadConfig({ PASSWORD_HASH_MEMORY_KIB: '512' })).toThrow(/PASSWORD_HASH_MEMORY_KIB/);
  });
});
