import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { passwordLiteral, scramVerifier } from './scram.js';

describe('scramVerifier', () => {
  it('derives the keys of RFC 7677 (password pencil): the server signature of its exchange matches', () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const v = scramVerifier('pencil', salt, 4096);
    const m = /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$([A-Za-z0-9+/=]{44}):([A-Za-z0-9+/=]{44})$/.exec(v);
    expect(m).not.toBeNull();
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    const serverSignature = createHmac('sha256', Buffer.from(m![2]!, 'base64')).update(authMessage).digest('base64');
    expect(serverSignature).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it('uses a fresh salt each time and never contains the password', () => {
    const a = scramVerifier("a'; DROP ROLE x; --");
    expect(a).not.toBe(scramVerifier("a'; DROP ROLE x; --"));
    expect(a).not.toContain('DROP');
  });

  it('quotes non-ASCII passwords with the driver and refuses NUL', () => {
    expect(passwordLiteral("pässwörd'x")).toBe("'pässwörd''x'");
    expect(() => passwordLiteral('a\0b')).toThrow(/NUL/);
    expect(passwordLiteral('plain-ascii')).toMatch(/^'SCRAM-SHA-256\$4096:/);
  });
});
