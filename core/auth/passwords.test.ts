import { describe, expect, it } from 'vitest';
import { checkNewPassword, hashPassword, isPasswordHash, TEST_COST, verifyPassword } from './passwords.js';

describe('scrypt passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery', TEST_COST);
    expect(hash).toMatch(/^scrypt\$ln=12,r=8,p=1\$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same-password', TEST_COST),
      hashPassword('same-password', TEST_COST),
    ]);
    expect(a).not.toBe(b);
  });

  it('refuses malformed or absurd hashes without throwing', async () => {
    expect(await verifyPassword('whatever1', 'plain')).toBe(false);
    const hash = await hashPassword('whatever1', TEST_COST);
    const absurd = hash.replace(/ln=\d+/, 'ln=30');
    expect(isPasswordHash(absurd)).toBe(false);
    expect(await verifyPassword('whatever1', absurd)).toBe(false);
  });

  it('bounds new passwords', () => {
    expect(() => checkNewPassword('short')).toThrow('password: must be at least 8 characters');
    expect(() => checkNewPassword('x'.repeat(1025), 'new_password')).toThrow(
      'new_password: must be at most 1024 characters',
    );
    expect(() => checkNewPassword('long enough')).not.toThrow();
  });
});
