import { describe, expect, it } from 'vitest';
import { legacyScryptHash } from '../../test/auth/legacy-hash.js';
import {
  checkNewPassword,
  hashPassword,
  isPasswordHash,
  needsRehash,
  PRODUCTION_COST,
  TEST_COST,
  verifyPassword,
} from './passwords.js';

describe('Argon2id passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery', TEST_COST);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it("hashes at OWASP's first Argon2id setting in production", async () => {
    const hash = await hashPassword('production-pass', PRODUCTION_COST);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword('production-pass', hash)).toBe(true);
    expect(needsRehash(hash, PRODUCTION_COST)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same-password', TEST_COST),
      hashPassword('same-password', TEST_COST),
    ]);
    expect(a).not.toBe(b);
  });

  it('treats composed and decomposed accents as one password', async () => {
    const hash = await hashPassword('caf\u00e9-pass', TEST_COST);
    expect(await verifyPassword('cafe\u0301-pass', hash)).toBe(true);
  });

  it('refuses malformed or absurd hashes without throwing', async () => {
    expect(await verifyPassword('whatever1', 'plain')).toBe(false);
    const hash = await hashPassword('whatever1', TEST_COST);
    for (const absurd of [
      hash.replace(/m=\d+/, 'm=9999999'),
      hash.replace(/t=\d+/, 't=0'),
      hash.replace(/m=\d+/, 'm=8'),
      hash.replace('argon2id', 'argon2d'),
    ]) {
      expect(isPasswordHash(absurd)).toBe(false);
      expect(await verifyPassword('whatever1', absurd)).toBe(false);
    }
    expect(await verifyPassword('whatever1', `${hash.slice(0, -4)}AAAA`)).toBe(false);
  });

  it('still verifies an older panel’s scrypt hashes, and wants them rehashed', async () => {
    const old = legacyScryptHash('from-before-1');
    expect(isPasswordHash(old)).toBe(true);
    expect(await verifyPassword('from-before-1', old)).toBe(true);
    expect(await verifyPassword('from-before-2', old)).toBe(false);
    expect(needsRehash(old, TEST_COST)).toBe(true);
    expect(isPasswordHash(old.replace('ln=12', 'ln=30'))).toBe(false);
  });

  it('rehashes a weaker Argon2id hash, never downgrades a stronger one', async () => {
    const weak = await hashPassword('some-password', TEST_COST);
    expect(needsRehash(weak, PRODUCTION_COST)).toBe(true);
    expect(needsRehash(weak, TEST_COST)).toBe(false);
    expect(needsRehash(await hashPassword('some-password', PRODUCTION_COST), TEST_COST)).toBe(false);
  });

  it('bounds new passwords', () => {
    expect(() => checkNewPassword('short')).toThrow('password: must be at least 8 characters');
    expect(() => checkNewPassword('x'.repeat(1025), 'new_password')).toThrow(
      'new_password: must be at most 1024 characters',
    );
    expect(() => checkNewPassword('long enough')).not.toThrow();
  });
});
