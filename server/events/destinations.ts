// Where webhooks may send. Whoever manages webhooks chooses the URL, so without a check Folio would
// POST — and report the answer — to its own loopback, the private network or a cloud metadata
// service (SSRF). A destination is accepted only when every address its host resolves to is public
// unicast (ipaddr.js's classification: loopback, RFC 1918, unique-local, link-local, CGNAT,
// unspecified, multicast, reserved, NAT64/6to4/Teredo and IPv4-mapped forms of these are not), or
// is opened by WEBHOOK_ALLOWED_HOSTS for receivers on the operator's own network. The check runs
// on the resolved addresses, and the connection then uses the address that was checked (a pinned
// `lookup`), so a DNS answer that changes between the check and the connection cannot swap it.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Resolves a host name to all its addresses (dns.lookup: what the OS would connect to). */
export type ResolveHost = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A destination that passed the check, with the one address its connection must use. */
export interface VettedDestination {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** The destination is not one webhooks may reach; nothing was sent. */
export class DestinationRefusedError extends Error {
  override name = 'DestinationRefusedError';
}

/** The host name does not resolve (now): a delivery failure like any other, retried later. */
export class DestinationUnresolvedError extends Error {
  override name = 'DestinationUnresolvedError';
}

/** One WEBHOOK_ALLOWED_HOSTS entry: a host name (matched exactly), an IP address or a CIDR range. */
type AllowedEntry = { kind: 'name'; name: string } | { kind: 'range'; range: [Address, number] };

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const withoutBrackets = (host: string) => host.replace(/^\[(.*)\]$/, '$1');
const canonicalName = (host: string) => host.toLowerCase().replace(/\.$/, '');

/** Parses one allowlist entry; null when it is neither a host name, an address nor a CIDR range. */
export function parseAllowedHost(entry: string): AllowedEntry | null {
  const value = withoutBrackets(entry.trim());
  if (value.includes('/')) {
    if (!ipaddr.isValidCIDR(value)) return null;
    const [address, bits] = ipaddr.parseCIDR(value);
    return { kind: 'range', range: [address, bits] };
  }
  if (isIP(value)) {
    const address = ipaddr.parse(value);
    return { kind: 'range', range: [address, address.kind() === 'ipv4' ? 32 : 128] };
  }
  const name = canonicalName(value);
  return HOST_NAME.test(name) ? { kind: 'name', name } : null;
}

/** IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry. */
const normalised = (address: string): Address => ipaddr.process(withoutBrackets(address));

function inRange(address: Address, [network, bits]: [Address, number]): boolean {
  return address.kind() === network.kind() && address.match(network, bits);
}

export class DestinationPolicy {
  private readonly names: Set<string>;
  private readonly ranges: Array<[Address, number]>;

  constructor(
    allowedHosts: readonly string[] = [],
    private readonly resolve: ResolveHost = systemResolver,
  ) {
    const entries = allowedHosts.map((entry) => {
      const parsed = parseAllowedHost(entry);
      if (!parsed) throw new Error(`Not a host name, address or CIDR range: ${entry}`);
      return parsed;
    });
    this.names = new Set(entries.flatMap((e) => (e.kind === 'name' ? [e.name] : [])));
    this.ranges = entries.flatMap((e) => (e.kind === 'range' ? [e.range] : []));
  }

  /** Public unicast, or inside an allowed range; an address ipaddr.js cannot read is neither. */
  private addressAllowed(address: string): boolean {
    let parsed: Address;
    try {
      parsed = normalised(address);
    } catch {
      return false;
    }
    return parsed.range() === 'unicast' || this.ranges.some((range) => inRange(parsed, range));
  }

  /**
   * Resolves `url`'s host and checks every address it resolves to. Throws DestinationRefusedError
   * (not an http(s) URL, or an address webhooks may not reach) or DestinationUnresolvedError (no
   * address within `timeoutMs`).
   */
  async vet(url: string, timeoutMs: number): Promise<VettedDestination> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DestinationRefusedError('The webhook URL is not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new DestinationRefusedError('The webhook URL must be http(s)');
    // WHATWG URL parsing already turned odd spellings (2130706433, 0x7f.1) into dotted quads.
    const host = withoutBrackets(parsed.hostname);
    const family = isIP(host);
    const addresses = family
      ? [{ address: host, family }]
      : await within(this.resolve(host), timeoutMs).catch(() => []);
    if (!addresses.length) throw new DestinationUnresolvedError(`${host} does not resolve`);
    const nameAllowed = !family && this.names.has(canonicalName(host));
    if (!nameAllowed && !addresses.every((a) => this.addressAllowed(a.address))) {
      throw new DestinationRefusedError(
        `${host} is not a public address: webhooks may not reach loopback, private, link-local or reserved ` +
          `addresses unless WEBHOOK_ALLOWED_HOSTS allows them`,
      );
    }
    const [first] = addresses;
    return { url: parsed, address: first.address, family: first.family === 6 ? 6 : 4 };
  }
}

/** `promise`, or a rejection after `ms` (a DNS lookup has no timeout of its own). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DestinationUnresolvedError('name resolution timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A `lookup` that answers the vetted address whatever the name, for http(s).request. */
export function pinnedLookup(destination: VettedDestination): LookupFunction {
  const { address, family } = destination;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}
