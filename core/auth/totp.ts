import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app does it by default: SHA-1, 6 digits, 30-second steps. */
const PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** Codes one step either side of now are accepted (clock drift, a code typed as it turned). */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const RECOVERY = /^[A-Z2-7]{10}$/;

/** A fresh 160-bit TOTP secret, base32 (what authenticator apps take). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/...` URI an authenticator app scans. */
export function otpauthUri(secret: string, issuer: string, loginName: string): string {
  return new TOTP({ ...PARAMS, issuer, label: loginName, secret: Secret.fromBase32(secret) }).toString();
}

/** The time step (30-second counter) a code belongs to: now ±1, or null when it matches none. */
export function matchingStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    ...PARAMS,
    secret: Secret.fromBase32(secret),
    token: code,
    timestamp: now,
    window: WINDOW,
  });
  return delta === null ? null : Math.floor(now / 1000 / PARAMS.period) + delta;
}

/** Ten single-use recovery codes, `XXXXX-XXXXX` (50 random bits each). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(10)].map((b) => BASE32[b & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** A recovery code as typed (any case, dashes, spaces) in its stored form; null when it cannot be one. */
export function normaliseRecoveryCode(code: string): string | null {
  const bare = code.replace(/[\s-]/g, '').toUpperCase();
  return RECOVERY.test(bare) ? bare : null;
}
