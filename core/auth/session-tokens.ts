import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// jose's subpath modules: importing the package root loads every algorithm family at start.
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';

export const JWT_ISSUER = 'velopanel';
export const JWT_AUDIENCE = 'velopanel-api';
/** Session lifetime: 24 hours. */
export const SESSION_TTL_SECONDS = 24 * 3600;
const MIN_SECRET = 32;

/** What a verified session token says. */
export interface SessionClaims {
  userId: number;
  jti: string;
  /** The user's token version when issued; a password change bumps it. */
  version: number;
  /** Expiry, epoch ms. */
  expires: number;
  /** Who opened this session as the user ("open as this account") and that login's token version then. */
  impersonator: Impersonator | null;
}

/** The login behind an impersonated session; its password change or disable ends the session too. */
export interface Impersonator {
  userId: number;
  version: number;
}

/** An impersonated session lasts one hour: long enough to help, short enough to lapse. */
export const IMPERSONATION_TTL_SECONDS = 3600;

/**
 * `jwt_secret` from the config, or the generated one in `<data_dir>/jwt_secret` (0600), made on
 * first start. Several panel processes starting at once agree on one file (`wx`).
 */
export function loadJwtSecret(configured: string, dataDir: string): string {
  if (configured) {
    if (configured.length < MIN_SECRET)
      throw new Error(`jwt_secret: must be at least ${MIN_SECRET} characters (or empty to have one generated)`);
    return configured;
  }
  const file = path.join(dataDir, 'jwt_secret');
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET)
    throw new Error(
      `jwt_secret: ${file} holds fewer than ${MIN_SECRET} characters; delete it to have a new one generated`,
    );
  return secret;
}

/** Issues and verifies session JWTs: HS256 only, issuer and audience pinned, key imported once. */
export class SessionTokens {
  private constructor(private readonly key: CryptoKey) {}

  static async fromSecret(secret: string): Promise<SessionTokens> {
    const raw = new TextEncoder().encode(secret);
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    return new SessionTokens(key);
  }

  /** A session of `userId`; with `impersonator`, one that login opened as the user (short-lived). */
  async issue(
    userId: number,
    version: number,
    impersonator: Impersonator | null = null,
  ): Promise<{ token: string; claims: SessionClaims }> {
    const jti = randomBytes(16).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const ttl = impersonator ? IMPERSONATION_TTL_SECONDS : SESSION_TTL_SECONDS;
    const token = await new SignJWT(
      impersonator ? { ver: version, imp: impersonator.userId, iver: impersonator.version } : { ver: version },
    )
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(userId))
      .setJti(jti)
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(this.key);
    return { token, claims: { userId, jti, version, expires: (now + ttl) * 1000, impersonator } };
  }

  /** The claims of a genuine, unexpired token of this panel; null for anything else. */
  async verify(token: string): Promise<SessionClaims | null> {
    if (token.length > 4096) return null;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      });
      const userId = Number(payload.sub);
      const version = payload.ver;
      if (!Number.isSafeInteger(userId) || userId < 1 || typeof version !== 'number' || typeof payload.jti !== 'string')
        return null;
      const { imp, iver } = payload;
      if (
        imp !== undefined &&
        (typeof imp !== 'number' || !Number.isSafeInteger(imp) || imp < 1 || typeof iver !== 'number')
      )
        return null;
      const impersonator = typeof imp === 'number' ? { userId: imp, version: iver as number } : null;
      return { userId, jti: payload.jti, version, expires: payload.exp! * 1000, impersonator };
    } catch {
      return null;
    }
  }
}
