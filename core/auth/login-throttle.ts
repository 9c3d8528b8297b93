import { PanelError } from '../errors.js';

/** How many login attempts are allowed, and how a username under attack slows down. */
export interface ThrottleLimits {
  windowMs: number;
  /** Attempts (in flight or failed) per client address, across usernames. */
  perIp: number;
  /** Attempts (in flight or failed) per client address and username. */
  perPair: number;
  /** Failures of a username, from anywhere, before its attempts from unknown addresses are delayed. */
  slowAfter: number;
  /** The first delay; it doubles with each further failure, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a successful login keeps its address known for that username. */
  knownMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = {
  windowMs: 15 * 60_000,
  perIp: 30,
  perPair: 10,
  slowAfter: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  knownMs: 30 * 24 * 3600_000,
};
/** The same counts with millisecond delays, so the suite exercises the slow-down without waiting. */
export const TEST_THROTTLE: ThrottleLimits = { ...DEFAULT_THROTTLE, baseDelayMs: 1, maxDelayMs: 20 };
const MAX_KEYS = 50_000;

/** One counted step, as nodes sharing a store tell each other (see shared-throttle.ts). */
export interface ThrottleStep {
  step: 'begin' | 'succeed';
  ip: string;
  username: string | null;
}

/**
 * Login attempts, counted when they start (so parallel attempts cannot all pass a check made
 * before the slow password hash) per client address and per (address, username); a success
 * takes its own attempt back. Past the limits the attempt is refused with 429 before any
 * password work. A username is never locked for everyone: failures from anywhere only delay its
 * attempts (growing, capped), and an address the user has logged in from is neither delayed nor
 * refused for a busy address. The address is the one the kernel resolved, so `X-Forwarded-For`
 * counts only from trusted proxies. Nodes sharing a store count each other's steps too.
 */
export class LoginThrottle {
  private readonly counts = new Map<string, { count: number; since: number }>();
  /** `ip|username` → until when that address is known for that username. */
  private readonly known = new Map<string, number>();

  /** Told of every step counted here, so other nodes can count it too. */
  onStep: ((step: ThrottleStep) => void) | null = null;

  constructor(private readonly limits: ThrottleLimits = DEFAULT_THROTTLE) {}

  /** Count a step another node took (no checks: that node made them). */
  apply(step: ThrottleStep, now = Date.now()): void {
    if (step.step === 'begin') this.count(step.ip, step.username?.toLowerCase() ?? null, now);
    else this.release(step.ip, step.username?.toLowerCase() ?? null, now);
  }

  /**
   * Count an attempt as it starts. Throws 429 with `Retry-After` when the address, or the address
   * for this username, has no attempts left; otherwise answers how long to wait (ms) before
   * checking the password.
   */
  begin(ip: string, username: string | null, now = Date.now()): number {
    const name = username?.toLowerCase() ?? null;
    const known = name !== null && (this.known.get(`${ip}|${name}`) ?? 0) > now;
    const byIp = this.live(`ip:${ip}`, now);
    if (!known && byIp && byIp.count >= this.limits.perIp) throw this.refusal('from your address', byIp.since, now);
    const byPair = name === null ? undefined : this.live(`pair:${ip}|${name}`, now);
    if (byPair && byPair.count >= this.limits.perPair)
      throw this.refusal('for this username from your address', byPair.since, now);
    const failures = name === null ? 0 : (this.live(`user:${name}`, now)?.count ?? 0);
    this.count(ip, name, now);
    this.onStep?.({ step: 'begin', ip, username: name });
    const over = failures - this.limits.slowAfter;
    return known || over < 0 ? 0 : Math.min(this.limits.maxDelayMs, this.limits.baseDelayMs * 2 ** Math.min(over, 30));
  }

  /** The attempt begun for these succeeded: it stops counting, and the address becomes known for the username. */
  succeed(ip: string, username: string | null, now = Date.now()): void {
    const name = username?.toLowerCase() ?? null;
    this.release(ip, name, now);
    this.onStep?.({ step: 'succeed', ip, username: name });
  }

  /** Counts a step, this node's or another's: either may be what fills the table, so both bound it. */
  private count(ip: string, name: string | null, now: number): void {
    if (this.counts.size >= MAX_KEYS) this.sweep(now);
    this.bump(`ip:${ip}`, now, 1);
    if (name === null) return;
    this.bump(`pair:${ip}|${name}`, now, 1);
    this.bump(`user:${name}`, now, 1);
  }

  private release(ip: string, name: string | null, now: number): void {
    this.bump(`ip:${ip}`, now, -1);
    if (name === null) return;
    this.counts.delete(`pair:${ip}|${name}`);
    this.bump(`user:${name}`, now, -1);
    if (this.known.size >= MAX_KEYS) this.forgetKnown(now);
    this.known.set(`${ip}|${name}`, now + this.limits.knownMs);
  }

  private live(key: string, now: number) {
    const entry = this.counts.get(key);
    if (entry && now - entry.since >= this.limits.windowMs) {
      this.counts.delete(key);
      return undefined;
    }
    return entry;
  }

  private bump(key: string, now: number, by: 1 | -1): void {
    const entry = this.live(key, now);
    if (entry) entry.count = Math.max(0, entry.count + by);
    else if (by > 0) this.counts.set(key, { count: 1, since: now });
  }

  private sweep(now: number): void {
    for (const key of [...this.counts.keys()]) this.live(key, now);
    // Still full (a flood of distinct names): forget the oldest half rather than grow without bound.
    if (this.counts.size >= MAX_KEYS)
      for (const key of [...this.counts.keys()].slice(0, MAX_KEYS / 2)) this.counts.delete(key);
  }

  private forgetKnown(now: number): void {
    for (const [key, until] of this.known) if (until <= now) this.known.delete(key);
    if (this.known.size >= MAX_KEYS)
      for (const key of [...this.known.keys()].slice(0, MAX_KEYS / 2)) this.known.delete(key);
  }

  private refusal(what: string, since: number, now: number): PanelError {
    const retryAfter = Math.max(1, Math.ceil((since + this.limits.windowMs - now) / 1000));
    const minutes = Math.ceil(retryAfter / 60);
    return new PanelError(
      'RATE_LIMITED',
      `Too many failed login attempts ${what}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      { retryAfter },
    );
  }
}
