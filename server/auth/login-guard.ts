// Brute-force protection around the login's password check (README, "Sessions and CSRF").
//   - Every attempt is counted for its account and its IP BEFORE the password is verified
//     (Limiter.reserve): counting after the slow hash let 200 parallel guesses all find the account
//     open. The counters live in the rate-limit store, so this holds across instances.
//   - Verifications running at once are bounded per account and per IP in this process, so that
//     one client cannot fill the hashing threads; the bound is per instance, the counters are not.
//   - An IP past its limit is refused only for accounts that have not signed in successfully from
//     it lately: brute force across accounts stays bounded (by the IP's allowance, then by each
//     account's own), while the admins behind one office NAT keep signing in to their own accounts.
import { createHash } from 'node:crypto';
import { refuseFor, type Limiter, type RateLimitStore } from './rate-limit.js';

export interface LoginGuardLimits {
  /** Password verifications at once for one account, and for one IP (in this process). */
  accountInFlight: number;
  ipInFlight: number;
  /** How long a successful login makes its (account, IP) pair known. */
  knownPairMs: number;
}

export const LOGIN_GUARD_LIMITS: LoginGuardLimits = { accountInFlight: 2, ipInFlight: 8, knownPairMs: 30 * 86_400_000 };

/** Counts of work in progress per key; a key at its bound takes no more. */
class InFlight {
  private readonly counts = new Map<string, number>();

  tryEnter(key: string, max: number): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  leave(key: string): void {
    const n = (this.counts.get(key) ?? 1) - 1;
    if (n > 0) this.counts.set(key, n);
    else this.counts.delete(key);
  }
}

export class LoginGuard {
  private readonly accountsInFlight = new InFlight();
  private readonly ipsInFlight = new InFlight();

  constructor(
    private readonly accounts: Limiter,
    private readonly ips: Limiter,
    private readonly store: RateLimitStore,
    readonly limits: LoginGuardLimits = { ...LOGIN_GUARD_LIMITS },
  ) {}

  /**
   * Runs `check` (the password verification: a value on success, null on failure) as one counted
   * attempt for `email` from `ip`, or throws 429 RateLimitError without running it.
   */
  async attempt<T>(email: string, ip: string, check: () => Promise<T | null>): Promise<T | null> {
    if (!this.accountsInFlight.tryEnter(email, this.limits.accountInFlight)) refuseFor(1000);
    if (!this.ipsInFlight.tryEnter(ip, this.limits.ipInFlight)) {
      this.accountsInFlight.leave(email);
      refuseFor(1000);
    }
    try {
      await this.reserve(email, ip);
      const result = await check();
      if (result !== null) await this.succeeded(email, ip);
      return result;
    } finally {
      this.accountsInFlight.leave(email);
      this.ipsInFlight.leave(ip);
    }
  }

  private async reserve(email: string, ip: string): Promise<void> {
    const known = await this.isKnownPair(email, ip);
    await this.ips.reserve(ip, { enforce: !known });
    try {
      await this.accounts.reserve(email);
    } catch (err) {
      await this.ips.release(ip);
      throw err;
    }
  }

  private async succeeded(email: string, ip: string): Promise<void> {
    await Promise.all([
      this.accounts.clear(email),
      this.ips.release(ip),
      this.store.hit(pairKey(email, ip), this.limits.knownPairMs),
    ]);
  }

  private async isKnownPair(email: string, ip: string): Promise<boolean> {
    return (await this.store.get(pairKey(email, ip))) !== null;
  }
}

/** A fixed-length key: an email and an IPv6 address together may not fit the store's key column. */
function pairKey(email: string, ip: string): string {
  return `login:known:${createHash('sha256').update(`${ip}\n${email}`).digest('hex')}`;
}
