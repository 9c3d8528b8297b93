import { decodeProtectedHeader } from 'jose/decode/protected_header';
import { compactVerify } from 'jose/jws/compact/verify';
import Type, { type Static } from 'typebox';
import { compileValidator } from '../validation.js';
import type { LicenceKey } from './keys.js';

const Limit = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);

/** The claims a licence carries. Unknown claims are allowed (newer licences on older panels). */
export const LicenceClaimsSchema = Type.Object(
  {
    customer: Type.String({ minLength: 1, maxLength: 200 }),
    tier: Type.Union([Type.Literal('community'), Type.Literal('pro'), Type.Literal('business')]),
    // Figures for limits plugins declare (`max_<what>`), overriding the tier's.
    limits: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,59}$' }), Limit, { maxProperties: 50 }),
    ),
    features: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9_.*-]{1,60}$' }), { maxItems: 100 })),
    nbf: Type.Integer({ minimum: 0 }),
    exp: Type.Integer({ minimum: 0 }),
    grace_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  },
  { additionalProperties: true },
);

export type LicenceClaims = Static<typeof LicenceClaimsSchema>;

/** Outcome of checking a licence's signature and claims (not yet its dates). */
export type LicenceCheck =
  | { ok: true; claims: LicenceClaims; kid: string; test: boolean }
  | { ok: false; reason: string };

const claimsValidator = compileValidator<LicenceClaims>(LicenceClaimsSchema, { where: 'licence' });
const MAX_LICENCE_BYTES = 16 * 1024;

/**
 * Verify a compact JWS licence offline: EdDSA only, key chosen by `kid`, test keys only in test
 * mode, claims validated. Never throws; the reason is written for the administrator.
 */
export async function verifyLicence(
  text: string,
  keys: Map<string, LicenceKey>,
  testMode: boolean,
): Promise<LicenceCheck> {
  const jws = text.trim();
  if (jws.length > MAX_LICENCE_BYTES) return { ok: false, reason: 'licence is too large' };
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(jws))
    return { ok: false, reason: 'licence is not a signed licence (compact JWS expected)' };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return { ok: false, reason: 'licence header is unreadable' };
  }
  if (header.alg !== 'EdDSA' && header.alg !== 'Ed25519')
    return { ok: false, reason: `licence uses algorithm '${String(header.alg).slice(0, 20)}', only EdDSA is accepted` };
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const key = keys.get(kid);
  if (!key)
    return {
      ok: false,
      reason: `licence is signed with an unknown key '${kid.replace(/[^\w.-]/g, '?').slice(0, 60)}'`,
    };
  if (key.test && !testMode)
    return { ok: false, reason: 'licence is signed with the TEST key, which is accepted only in test mode' };
  let payload: unknown;
  try {
    const verified = await compactVerify(jws, key.key, { algorithms: ['EdDSA', 'Ed25519'] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    return { ok: false, reason: 'licence signature is invalid (tampered or signed with another key)' };
  }
  try {
    return { ok: true, claims: claimsValidator.parse(payload), kid, test: key.test };
  } catch (e) {
    return { ok: false, reason: `licence claims are invalid: ${(e as Error).message}` };
  }
}
