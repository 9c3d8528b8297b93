import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes of panels before Argon2id: `scrypt$ln=14,r=8,p=5$<salt>$<key>`. Only verified
 * (a login that proves one replaces it with Argon2id), never made any more.
 */
const FORMAT = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22,}={0,2})\$([A-Za-z0-9+/]{86}={0,2})$/;

/** Whether `hash` is a legacy scrypt hash with sane cost bounds (a restored hash must not be a memory bomb). */
export function isScryptHash(hash: string): boolean {
  const m = FORMAT.exec(hash);
  return (
    !!m && Number(m[1]) >= 10 && Number(m[1]) <= 20 && Number(m[2]) <= 16 && Number(m[3]) >= 1 && Number(m[3]) <= 16
  );
}

/** Constant-time check of an (NFC-normalised) password against a legacy scrypt hash. */
export async function verifyScrypt(password: string, hash: string): Promise<boolean> {
  const m = FORMAT.exec(hash);
  if (!m || !isScryptHash(hash)) return false;
  const ln = Number(m[1]);
  const r = Number(m[2]);
  const opts: ScryptOptions = { N: 2 ** ln, r, p: Number(m[3]), maxmem: 256 * 2 ** ln * r + 1024 * 1024 };
  const expected = Buffer.from(m[5]!, 'base64');
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(m[4]!, 'base64'), expected.length, opts, (e, k) => (e ? reject(e) : resolve(k))),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}
