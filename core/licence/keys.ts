import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { importSPKI } from 'jose/key/import';
import { projectRoot } from '../paths.js';

/** A licence verification key, found by its `kid` (the file name without `.pem`). */
export interface LicenceKey {
  kid: string;
  key: CryptoKey;
  /** Test keys (`test-*`) verify licences only on a panel running in test mode. */
  test: boolean;
}

/** Where the vendor's public keys live. */
export function licenceKeysDir(): string {
  return path.join(projectRoot(), 'config', 'licence-keys');
}

const PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/;

/**
 * Load every `<kid>.pem` (Ed25519 SPKI; text around the PEM block is a comment) from `dir`.
 * A key that cannot be read is skipped and reported, never fatal: licences it signed just fail.
 */
export async function loadLicenceKeys(
  dir = licenceKeysDir(),
): Promise<{ keys: Map<string, LicenceKey>; problems: string[] }> {
  const keys = new Map<string, LicenceKey>();
  const problems: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.pem'))
      .sort();
  } catch (e) {
    problems.push(`licence keys: cannot read ${dir}: ${(e as Error).message}`);
  }
  for (const name of names) {
    const kid = name.slice(0, -'.pem'.length);
    try {
      const pem = PEM.exec(readFileSync(path.join(dir, name), 'utf8'))?.[0];
      if (!pem) throw new Error('no PUBLIC KEY block');
      keys.set(kid, { kid, key: await importSPKI(pem, 'EdDSA'), test: kid.startsWith('test-') });
    } catch (e) {
      problems.push(`licence key ${name}: ${(e as Error).message}`);
    }
  }
  return { keys, problems };
}
