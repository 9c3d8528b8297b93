import { readFileSync } from 'node:fs';
import path from 'node:path';
// jose's subpath modules: importing the package root loads every algorithm family at start.
import { SignJWT } from 'jose/jwt/sign';
import { importPKCS8 } from 'jose/key/import';
import { projectRoot } from '../paths.js';
import type { LicenceClaims } from './verify.js';

/** The TEST ONLY signing key committed for tests (refused outside test mode). */
export function testLicenceKeyFile(): string {
  return path.join(projectRoot(), 'test', 'fixtures', 'licence', 'TEST-ONLY-licence-signing-key.pem');
}

/** Kid of the test key in `config/licence-keys/`. */
export const TEST_LICENCE_KID = 'test-only';

/**
 * Sign licence claims as the vendor does (`scripts/license-sign.mjs` is the command-line form).
 * Defaults: valid from now for 365 days, signed with the TEST key.
 */
export async function signLicence(
  claims: Partial<LicenceClaims> & Pick<LicenceClaims, 'tier'>,
  opts: { privateKeyPem?: string; kid?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const pem = opts.privateKeyPem ?? readFileSync(testLicenceKeyFile(), 'utf8');
  const key = await importPKCS8(pem, 'EdDSA');
  const full = { customer: 'Test Customer', nbf: now - 60, exp: now + 365 * 86400, ...claims };
  return new SignJWT(full as unknown as Record<string, unknown>)
    .setProtectedHeader({ alg: 'EdDSA', kid: opts.kid ?? TEST_LICENCE_KID, typ: 'velopanel-licence+jwt' })
    .setIssuedAt()
    .sign(key);
}
