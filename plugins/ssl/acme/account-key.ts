import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { acmeLibrary } from './library.js';

/**
 * The ACME account key: created once (ECDSA P-256) and kept 0600 in the panel's state
 * directory. A new key is written to a temp file and hard-linked into place, so two panels
 * starting at once cannot both create one: the loser reads the winner's.
 */
export async function loadAccountKey(stateDir: string): Promise<string> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, 'account.key');
  const existing = readKey(file);
  if (existing) return existing;
  const pem = (await (await acmeLibrary()).crypto.createPrivateEcdsaKey('P-256')).toString();
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, pem, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  return readKey(file) ?? pem;
}

function readKey(file: string): string | null {
  try {
    // Tighten a key someone loosened; the key never leaves this file otherwise.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
