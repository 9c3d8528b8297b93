import { PanelError } from '../errors.js';

/** Failed attempts allowed per window before further attempts get 429. */
export interface ThrottleLimits {
  windowMs: number;
  perIp: number;
  perUsername: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { windowMs: 15 * 60_000, perIp: 30, perUsername: 10 };
const MAX_KEYS = 50_000;

/**
 * Counts failed logins per client address and per username (case-insensitive) in a fixed window
 * and refuses further attempts with 429 before any password work is done. The address is the one
 * the kernel resolved, so `X-Forwarded-For` counts only from trusted proxies.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_THROTTLE) {}

  /** Throws 429 with `Retry-After` when the address or the username is locked out. */
  check(ip: string, username: string | null, now = Date.now()): void {
    const byIp = this.live(`ip:${ip}`, now);
    if (byIp && byIp.count >= this.limits.perIp) throw this.refusal('from your address', byIp.since, now);
    const byUser = username === null ? undefined : this.live(`user:${username.toLowerCase()}`, now);
    if (byUser && byUser.count >= this.limits.perUsername) throw this.refusal('for this username', byUser.since, now);
  }

  fail(ip: string, username: string | null, now = Date.now()): void {
    if (this.failures.size >= MAX_KEYS) this.sweep(now);
    this.bump(`ip:${ip}`, now);
    if (username !== null) this.bump(`user:${username.toLowerCase()}`, now);
  }

  /** A successful login clears the username's count (the address keeps its own). */
  succeed(username: string): void {
    this.failures.delete(`user:${username.toLowerCase()}`);
  }

  private live(key: string, now: number) {
    const entry = this.failures.get(key);
    if (entry && now - entry.since >= this.limits.windowMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private bump(key: string, now: number): void {
    const entry = this.live(key, now);
    if (entry) entry.count++;
    else this.failures.set(key, { count: 1, since: now });
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) this.live(key, now);
    // Still full (a flood of distinct names): forget the oldest half rather than grow without bound.
    if (this.failures.size >= MAX_KEYS) for (const key of [...this.failures.keys()].slice(0, MAX_KEYS / 2)) this.failures.delete(key);
  }

  private refusal(what: string, since: number, now: number): PanelError {
    const retryAfter = Math.max(1, Math.ceil((since + this.limits.windowMs - now) / 1000));
    const minutes = Math.ceil(retryAfter / 60);
    return new PanelError('RATE_LIMITED', `Too many failed login attempts ${what}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, { retryAfter });
  }
}
