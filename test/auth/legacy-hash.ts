import { randomBytes, scryptSync } from 'node:crypto';

/** A password hash as panels before Argon2id stored it: `scrypt$ln=..,r=8,p=1$<salt>$<64-byte key>`. */
export function legacyScryptHash(password: string, ln = 12): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 64, { N: 2 ** ln, r: 8, p: 1 });
  return `scrypt$ln=${ln},r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
}
