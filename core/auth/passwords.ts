import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { errors } from '../errors.js';

/** scrypt cost: OWASP's N=2^14, r=8, p=5 in production; far cheaper in test mode (test panels only) to keep suites quick. */
export interface ScryptCost {
  ln: number;
  r: number;
  p: number;
}

export const PRODUCTION_COST: ScryptCost = { ln: 14, r: 8, p: 5 };
export const TEST_COST: ScryptCost = { ln: 12, r: 8, p: 1 };

/** Passwords are 8–1024 characters: long enough to matter, short enough not to be a DoS. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 1024;
const KEY_LEN = 64;
const FORMAT = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22,}={0,2})\$([A-Za-z0-9+/]{86}={0,2})$/;

/**
 * Hashes running at once. Each holds 128·N·r bytes (16 MB at the production cost) and keeps a core
 * busy: more than two at once (the libuv pool runs four) adds memory, not throughput, on a small
 * server, and 10 concurrent account creates pushed the panel past 150 MB.
 */
const HASHES_AT_ONCE = Math.max(1, Math.min(2, availableParallelism()));
let running = 0;
const queued: (() => void)[] = [];

async function derive(password: string, salt: Buffer, c: ScryptCost): Promise<Buffer> {
  const opts: ScryptOptions = { N: 2 ** c.ln, r: c.r, p: c.p, maxmem: 256 * 2 ** c.ln * c.r + 1024 * 1024 };
  if (running >= HASHES_AT_ONCE) await new Promise<void>((resolve) => queued.push(resolve));
  else running++;
  try {
    return await new Promise((resolve, reject) =>
      scrypt(password.normalize('NFC'), salt, KEY_LEN, opts, (e, key) => (e ? reject(e) : resolve(key))),
    );
  } finally {
    // Hand the slot straight to the next hash in line (running stays counted), or free it.
    const next = queued.shift();
    if (next) next();
    else running--;
  }
}

/** Throws a 400 naming `field` when a new password is too short or too long. */
export function checkNewPassword(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN) throw errors.validation(`${field}: must be at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) throw errors.validation(`${field}: must be at most ${PASSWORD_MAX} characters`);
}

/** Whether a stored hash is in this panel's format (with sane cost bounds). */
export function isPasswordHash(hash: string): boolean {
  const m = FORMAT.exec(hash);
  return (
    !!m && Number(m[1]) >= 10 && Number(m[1]) <= 20 && Number(m[2]) <= 16 && Number(m[3]) >= 1 && Number(m[3]) <= 16
  );
}

/** Hash a password with scrypt and a fresh 16-byte salt: `scrypt$ln=14,r=8,p=5$<salt>$<key>`. */
export async function hashPassword(password: string, cost: ScryptCost = PRODUCTION_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time check of a password against a stored hash; false for malformed hashes. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX || !isPasswordHash(hash)) return false;
  const m = FORMAT.exec(hash)!;
  const expected = Buffer.from(m[5]!, 'base64');
  const key = await derive(password, Buffer.from(m[4]!, 'base64'), {
    ln: Number(m[1]),
    r: Number(m[2]),
    p: Number(m[3]),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
