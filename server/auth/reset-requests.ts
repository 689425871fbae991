// How often a password reset may be asked for: per email given and per IP, counted on every request
// before anything is looked up, so that a refusal (429) tells nothing about whether the account
// exists. The email's allowance bounds the mails one address can be sent; the IP's bounds one
// client spraying many addresses. Links already sent stay valid (AuthService.requestPasswordReset).
import { RequestRateLimiter, type RequestRatePolicy } from '../limits/request-rate.js';
import type { WindowCounterStore } from '../limits/window-counters.js';

export const RESET_PER_EMAIL: RequestRatePolicy = { limit: 3, windowMs: 3_600_000 };
export const RESET_PER_IP: RequestRatePolicy = { limit: 10, windowMs: 600_000 };

export class ResetRequestLimits {
  private readonly byEmail: RequestRateLimiter;
  private readonly byIp: RequestRateLimiter;

  constructor(store: WindowCounterStore) {
    this.byEmail = new RequestRateLimiter(store, RESET_PER_EMAIL, 'reset:email');
    this.byIp = new RequestRateLimiter(store, RESET_PER_IP, 'reset:ip');
  }

  /** Counts the request; throws 429 RateLimitError with retryAfterSeconds past either allowance. */
  async admit(normalizedEmail: string, ip: string): Promise<void> {
    await this.byIp.assert(ip);
    await this.byEmail.assert(normalizedEmail);
  }
}
