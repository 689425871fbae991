// Where webhooks may send (server/events/destinations.ts): public addresses only, judged after
// resolution, with WEBHOOK_ALLOWED_HOSTS for receivers on the operator's network, and the checked
// address pinned for the connection. Names resolve through a fake resolver: no DNS traffic leaves.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DestinationPolicy,
  DestinationRefusedError,
  parseAllowedHost,
  type ResolveHost,
} from '../../server/events/destinations.js';
import { send } from '../../server/events/delivery.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const resolver =
  (table: Record<string, string[]>): ResolveHost =>
  (hostname) => {
    const name = hostname.replace(/\.$/, ''); // as DNS reads a fully qualified name
    const addresses = Object.hasOwn(table, name) ? table[name] : [];
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
const NAMES = resolver({
  localhost: ['127.0.0.1', '::1'],
  'metadata.test': ['169.254.169.254'],
  'mixed.test': ['93.184.216.34', '10.0.0.1'],
  'public.test': ['93.184.216.34'],
  'hooks.internal': ['10.20.0.5'],
});
const refused = (policy: DestinationPolicy, url: string) =>
  expect(policy.vet(url, 1000)).rejects.toBeInstanceOf(DestinationRefusedError);

describe('webhook destinations', () => {
  const policy = new DestinationPolicy([], NAMES);

  it.each([
    'http://127.0.0.1/',
    'http://127.1.2.3/',
    'http://localhost/',
    'http://LOCALHOST./',
    'http://[::1]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0177.0.0.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a00:1]/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://[fd12::1]/',
    'http://[fc00::1]/',
    'http://169.254.169.254/',
    'http://metadata.test/',
    'http://[fe80::1]/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[::]/',
    'http://224.0.0.1/',
    'http://[64:ff9b::a00:1]/',
  ])('refuses %s', async (url) => {
    await refused(policy, url);
  });

  it('refuses a name when any of its addresses is not public', async () => {
    await refused(policy, 'http://mixed.test/');
  });

  it('refuses what is not http(s)', async () => {
    await refused(policy, 'file:///etc/passwd');
  });

  it('accepts public addresses and pins the one it checked', async () => {
    await expect(policy.vet('https://93.184.216.34/hook', 1000)).resolves.toMatchObject({
      address: '93.184.216.34',
      family: 4,
    });
    await expect(policy.vet('https://public.test/hook', 1000)).resolves.toMatchObject({
      address: '93.184.216.34',
      family: 4,
    });
  });

  it('opens the allowlisted ranges and names only', async () => {
    const allowing = new DestinationPolicy(['10.1.0.0/16', '127.0.0.1', 'hooks.internal'], NAMES);
    await expect(allowing.vet('http://10.1.2.3/', 1000)).resolves.toMatchObject({ address: '10.1.2.3' });
    await expect(allowing.vet('http://[::ffff:10.1.2.3]/', 1000)).resolves.toBeTruthy();
    await expect(allowing.vet('http://hooks.internal/', 1000)).resolves.toMatchObject({ address: '10.20.0.5' });
    await expect(allowing.vet('http://127.0.0.1:8080/', 1000)).resolves.toBeTruthy();
    await refused(allowing, 'http://10.2.0.1/');
    await refused(allowing, 'http://127.0.0.2/');
    // localhost also resolves to ::1, which the list does not name.
    await refused(allowing, 'http://localhost/');
  });

  it('reads allowlist entries as host names, addresses or CIDR ranges', () => {
    expect(parseAllowedHost('10.0.0.0/8')).toMatchObject({ kind: 'range' });
    expect(parseAllowedHost('[::1]')).toMatchObject({ kind: 'range' });
    expect(parseAllowedHost('Hooks.Example.')).toEqual({ kind: 'name', name: 'hooks.example' });
    for (const bad of ['10.0.0.0/33', 'http://x', 'a b', '', '-x.example']) expect(parseAllowedHost(bad)).toBeNull();
  });
});

describe('webhook delivery to a checked destination', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('connects to the address it checked, not to what the name resolves to later (DNS rebinding)', async () => {
    let lookups = 0;
    const rebinding: ResolveHost = () =>
      Promise.resolve([{ address: (lookups += 1) === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }]);
    const port = new URL(receiver.url).port;
    const target = {
      id: 1,
      url: `http://rebind.test:${port}/hook`,
      headers: {},
      enabled: true,
      secret: null,
      configuredBy: [],
    };
    const result = await send(target, { event: 'trigger-test', createdAt: new Date().toISOString() }, null, {
      timeoutMs: 2000,
      destinations: new DestinationPolicy(['127.0.0.1'], rebinding),
    });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(lookups).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].headers.host).toBe(`rebind.test:${port}`);
  });
});
