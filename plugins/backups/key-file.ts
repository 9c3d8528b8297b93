import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A 256-bit key kept base64 in a 0600 file (its folder 0700), made on first use. A file others
 * may read is refused rather than used: the key is only as private as the file.
 */
export function loadKeyFile(keyFile: string): Buffer {
  fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if (fs.statSync(keyFile).mode & 0o077)
    throw new Error(`${keyFile} must not be readable by group or others (chmod 600)`);
  const key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${keyFile} does not hold a 256-bit key`);
  return key;
}
