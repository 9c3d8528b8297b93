import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';

// A panel straight after install (no admin yet, no licence unless the test writes one) is the
// SDK's bare panel: plugin tests start it too.
export { startBarePanel, type BarePanel } from '../../sdk/testing/index.js';

/** The panel's generated JWT secret (tests forge tokens with it). */
export function jwtSecretOf(dataDir: string): Uint8Array {
  return new TextEncoder().encode(readFileSync(path.join(dataDir, 'jwt_secret'), 'utf8').trim());
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Hostile variants of a genuine session token of user `sub`. */
export async function forgedTokens(genuine: string, secret: Uint8Array, sub = '1'): Promise<Record<string, string>> {
  const [header, payload, signature] = genuine.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  const sign = (c: Record<string, unknown>, key: Uint8Array) =>
    new SignJWT(c).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
  return {
    tampered: `${header}.${b64({ ...claims, sub: '2' })}.${signature}`,
    'alg:none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub })}.`,
    expired: await sign({ ...claims, iat: now - 90_000, exp: now - 3600 }, secret),
    'wrong key': await sign(claims, new TextEncoder().encode('x'.repeat(48))),
    'wrong issuer': await sign({ ...claims, iss: 'someone-else' }, secret),
    'wrong audience': await sign({ ...claims, aud: 'other-api' }, secret),
    'HS512 instead of HS256': await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(secret),
    garbage: 'not.a.token',
  };
}
