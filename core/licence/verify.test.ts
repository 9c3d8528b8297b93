import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importPKCS8, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLicenceKeys, type LicenceKey } from './keys.js';
import { signLicence, testLicenceKeyFile } from './sign.js';
import { verifyLicence } from './verify.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('verifyLicence', () => {
  let keys: Map<string, LicenceKey>;
  beforeAll(async () => {
    const loaded = await loadLicenceKeys();
    expect(loaded.problems).toEqual([]);
    keys = loaded.keys;
  });

  it('finds the vendor key and the test key in config/licence-keys', () => {
    expect(keys.get('velopanel-2026')?.test).toBe(false);
    expect(keys.get('test-only')?.test).toBe(true);
  });

  it('accepts a licence signed with the test key in test mode only', async () => {
    const jws = await signLicence({ tier: 'pro' });
    const ok = await verifyLicence(jws, keys, true);
    expect(ok).toMatchObject({
      ok: true,
      kid: 'test-only',
      test: true,
      claims: { tier: 'pro', customer: 'Test Customer' },
    });
    expect(await verifyLicence(jws, keys, false)).toEqual({
      ok: false,
      reason: 'licence is signed with the TEST key, which is accepted only in test mode',
    });
  });

  it('refuses a tampered licence', async () => {
    const [h, p, s] = (await signLicence({ tier: 'pro' })).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const res = await verifyLicence(`${h}.${b64({ ...claims, tier: 'business' })}.${s}`, keys, true);
    expect(res).toEqual({ ok: false, reason: 'licence signature is invalid (tampered or signed with another key)' });
  });

  it('refuses a licence signed with another key under a known kid, and unknown kids', async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const forged = await signLicence({ tier: 'business' }, { privateKeyPem: pem, kid: 'velopanel-2026' });
    expect((await verifyLicence(forged, keys, true)).ok).toBe(false);
    const unknown = await signLicence({ tier: 'business' }, { privateKeyPem: pem, kid: 'my-own-key' });
    expect(await verifyLicence(unknown, keys, true)).toEqual({
      ok: false,
      reason: "licence is signed with an unknown key 'my-own-key'",
    });
  });

  it('refuses other algorithms, alg:none and garbage', async () => {
    const hs = await new SignJWT({ tier: 'business', customer: 'x', nbf: 0, exp: 9e9 })
      .setProtectedHeader({ alg: 'HS256', kid: 'test-only' })
      .sign(new Uint8Array(32));
    expect(await verifyLicence(hs, keys, true)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/only EdDSA is accepted/),
    });
    const none = `${b64({ alg: 'none', kid: 'test-only' })}.${b64({ tier: 'business' })}.`;
    expect((await verifyLicence(none, keys, true)).ok).toBe(false);
    expect((await verifyLicence('hello world', keys, true)).ok).toBe(false);
    expect((await verifyLicence('a'.repeat(20_000), keys, true)).ok).toBe(false);
  });

  it('refuses a genuine signature over bad claims', async () => {
    const key = await importPKCS8(readFileSync(testLicenceKeyFile(), 'utf8'), 'EdDSA');
    const jws = await new SignJWT({ customer: 'x', tier: 'enterprise', nbf: 0, exp: 9e9 })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'test-only' })
      .sign(key);
    expect(await verifyLicence(jws, keys, true)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^licence claims are invalid: licence\.tier|^licence claims are invalid: tier/),
    });
  });
});
