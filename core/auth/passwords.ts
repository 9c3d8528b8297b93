import { hash as argon2Hash, verify as argon2Verify, type Algorithm } from '@node-rs/argon2';
import { errors } from '../errors.js';
import { isScryptHash, verifyScrypt } from './scrypt-legacy.js';

/**
 * Argon2id cost: OWASP's first recommended setting (m=19 MiB, t=2, p=1) in production; cheaper
 * in test mode (test panels only) to keep suites quick. Memory is in KiB, as in the hash string.
 */
export interface HashCost {
  memoryKiB: number;
  passes: number;
  parallelism: number;
}

export const PRODUCTION_COST: HashCost = { memoryKiB: 19 * 1024, passes: 2, parallelism: 1 };
export const TEST_COST: HashCost = { memoryKiB: 4096, passes: 1, parallelism: 1 };

/** Passwords are 8–1024 characters: long enough to matter, short enough not to be a DoS. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 1024;
const ARGON2ID = 2 as Algorithm; // a const enum in the binding's types, spelled out for isolated modules
const FORMAT = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,2}),p=(\d{1,2})\$[A-Za-z0-9+/]{11,86}\$[A-Za-z0-9+/]{22,86}$/;
/** Bounds on a stored hash's cost (a hash given by a restore or an import must not be a memory bomb). */
const MEMORY_KIB = { min: 1024, max: 256 * 1024 };

/**
 * Hashes running at once. Each holds its memory cost (19 MiB in production) off the main thread.
 * One at a time: an account create hashes while its vhost reloads (its hash is off the critical
 * path), and 10 concurrent creates measured a burst peak of ~115 MB RSS with one against ~140 MB
 * with two, for no gain in latency; a hash takes ~10–20 ms, so logins barely queue.
 */
const HASHES_AT_ONCE = 1;
let running = 0;
const queued: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASHES_AT_ONCE) await new Promise<void>((resolve) => queued.push(resolve));
  else running++;
  try {
    return await work();
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

function argon2Cost(hash: string): HashCost | null {
  const m = FORMAT.exec(hash);
  if (!m) return null;
  const cost = { memoryKiB: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]) };
  const sane =
    cost.memoryKiB >= MEMORY_KIB.min &&
    cost.memoryKiB <= MEMORY_KIB.max &&
    cost.passes >= 1 &&
    cost.passes <= 10 &&
    cost.parallelism >= 1 &&
    cost.parallelism <= 16;
  return sane ? cost : null;
}

/** Whether a stored hash is one this panel verifies (Argon2id, or an older panel's scrypt) with sane cost bounds. */
export function isPasswordHash(hash: string): boolean {
  return argon2Cost(hash) !== null || isScryptHash(hash);
}

/**
 * Whether a stored hash should be replaced at the next login that proves its password: an older
 * panel's scrypt, or Argon2id weaker than `cost`. A stronger one is kept (never downgraded).
 */
export function needsRehash(hash: string, cost: HashCost): boolean {
  const c = argon2Cost(hash);
  return !c || c.memoryKiB < cost.memoryKiB || c.passes < cost.passes;
}

/** Hash a password with Argon2id and a fresh 16-byte salt: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>`. */
export function hashPassword(password: string, cost: HashCost = PRODUCTION_COST): Promise<string> {
  const options = {
    algorithm: ARGON2ID,
    memoryCost: cost.memoryKiB,
    timeCost: cost.passes,
    parallelism: cost.parallelism,
  };
  return inSlot(() => argon2Hash(password.normalize('NFC'), options));
}

/** Constant-time check of a password against a stored hash (Argon2id or legacy scrypt); false for malformed hashes. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX) return false;
  const normal = password.normalize('NFC');
  if (argon2Cost(hash)) return inSlot(() => argon2Verify(hash, normal)).catch(() => false);
  if (isScryptHash(hash)) return inSlot(() => verifyScrypt(normal, hash));
  return false;
}
