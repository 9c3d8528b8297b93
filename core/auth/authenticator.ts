import type { IncomingMessage } from 'node:http';
import type { BlockList } from 'node:net';
import type { Principal } from '../../sdk/auth.js';
import { errors } from '../errors.js';
import type { Authentication, Authenticator } from '../http/types.js';
import { API_TOKEN_PREFIX, compileAllowList, ipAllowed, stampMs, type ApiTokenStore } from './api-tokens.js';
import { ExpiringCache } from './expiring-cache.js';
import type { RevokedSessions } from './revocations.js';
import type { SessionTokens } from './session-tokens.js';
import type { TwoFactor } from './two-factor.js';
import type { UserRow, UserStore } from './user-store.js';

export const COOKIE_NAME = 'velopanel_token';
/** A cached credential is re-checked against the store this often, so other processes' revocations land. */
const RECHECK_MS = 15_000;
const CACHE_SIZE = 10_000;

interface Verified {
  /** The full credential: the cache is keyed by its last characters, so a hit must match it all. */
  token: string;
  principal: Principal;
  userId: number;
  tokenId: number | null;
  allow: BlockList | null;
  /** A session of a login that must enrol in two-factor login before anything else. */
  mustEnrol: boolean;
  checkedAt: number;
}

/**
 * A purge other nodes sharing the store must repeat: every credential of a user, every session,
 * the sessions of a user (a logout: the token itself never crosses the wire), one API token.
 */
export type ForgetNotice =
  | { kind: 'user'; userId: number }
  | { kind: 'sessions' }
  | { kind: 'user-sessions'; userId: number }
  | { kind: 'api-token'; tokenId: number };

/** Where a session that must enrol first may go. */
export interface EnrolOnly {
  paths: readonly string[];
  reason: string;
}

/** The credential a request carries: the Authorization header wins over the cookie. */
export function readCredential(req: IncomingMessage): { token: string; via: Authentication['via'] } | null {
  const header = req.headers.authorization;
  if (header) {
    if (header.length > 4096 || header.slice(0, 7).toLowerCase() !== 'bearer ') return null;
    const token = header.slice(7).trim();
    return token ? { token, via: 'bearer' } : null;
  }
  const cookie = req.headers.cookie;
  if (!cookie || !cookie.includes(COOKIE_NAME)) return null;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE_NAME) {
      const token = part.slice(eq + 1).trim();
      return token && !token.startsWith(API_TOKEN_PREFIX) ? { token, via: 'cookie' } : null;
    }
  }
  return null;
}

/** A JWT's signature or an API token's random part: short to hash, unique per credential. */
function cacheKey(token: string): string {
  return token.length > 43 ? token.slice(-43) : token;
}

function principalOf(
  user: UserRow,
  scopes: string[] | null,
  tokenId: number | null,
  impersonator: UserRow | null = null,
): Principal {
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    resellerId: user.role === 'reseller' ? user.id : user.reseller_id,
    subject: user.subject,
    scopes,
    tokenId,
    impersonator: impersonator ? { userId: impersonator.id, username: impersonator.username } : null,
  };
}

function authentication(
  v: Verified,
  via: Authentication['via'],
  ip: string,
  enrolOnly: EnrolOnly | null,
): Authentication {
  if (v.allow && !ipAllowed(v.allow, ip)) throw errors.forbidden(`This API token may not be used from ${ip}`);
  return v.mustEnrol && enrolOnly
    ? { principal: v.principal, via, confinedTo: enrolOnly }
    : { principal: v.principal, via };
}

/**
 * Turns a Bearer token or the session cookie into a principal. Session JWTs and API tokens are
 * verified once and then served from a bounded cache that honours expiry; revocations in this
 * process purge it at once, and entries are re-checked against the store every few seconds.
 */
export class PanelAuthenticator implements Authenticator {
  private readonly cache = new ExpiringCache<Verified>(CACHE_SIZE);
  /** Told of each purge, after the store changed, so other nodes drop the same entries. */
  onForget: (notice: ForgetNotice) => void = () => undefined;

  constructor(
    private readonly sessions: SessionTokens,
    private readonly users: UserStore,
    private readonly apiTokens: ApiTokenStore,
    private readonly revoked: RevokedSessions,
    /** Sessions (never API tokens) of logins that must enrol are confined to these routes. */
    private readonly twoFactor: { service: TwoFactor; enrolOnly: EnrolOnly } | null = null,
  ) {}

  /** Synchronous for a credential in the cache (the common case); a promise when it must be verified. */
  authenticate(req: IncomingMessage, ip: string): Authentication | null | Promise<Authentication | null> {
    const cred = readCredential(req);
    if (!cred) return null;
    const now = Date.now();
    const v = this.cache.get(cacheKey(cred.token), now);
    if (v && v.token === cred.token && now - v.checkedAt <= RECHECK_MS)
      return authentication(v, cred.via, ip, this.twoFactor?.enrolOnly ?? null);
    if (/\s/.test(cred.token)) return null;
    const verified = cred.token.startsWith(API_TOKEN_PREFIX)
      ? this.verifyApiToken(cred.token, now)
      : this.verifySession(cred.token, now);
    return verified.then((fresh) =>
      fresh ? authentication(fresh, cred.via, ip, this.twoFactor?.enrolOnly ?? null) : null,
    );
  }

  /** End every cached credential of a user (password change, disable, delete). */
  forgetUser(userId: number): void {
    this.apply({ kind: 'user', userId });
  }

  /** End every cached session (not API tokens), e.g. when the two-factor policy changes. */
  forgetSessions(): void {
    this.apply({ kind: 'sessions' });
  }

  forgetToken(token: string): void {
    const v = this.cache.get(cacheKey(token));
    this.cache.delete(cacheKey(token));
    if (v) this.onForget({ kind: 'user-sessions', userId: v.userId });
  }

  forgetApiToken(tokenId: number): void {
    this.apply({ kind: 'api-token', tokenId });
  }

  /** Drop what a notice names; `remote` when another node sent it (so it is not sent on again). */
  apply(n: ForgetNotice, remote = false): void {
    if (n.kind === 'user')
      this.cache.deleteWhere((v) => v.userId === n.userId || v.principal.impersonator?.userId === n.userId);
    else if (n.kind === 'sessions') this.cache.deleteWhere((v) => v.tokenId === null);
    else if (n.kind === 'user-sessions') this.cache.deleteWhere((v) => v.tokenId === null && v.userId === n.userId);
    else if (n.kind === 'api-token') this.cache.deleteWhere((v) => v.tokenId === n.tokenId);
    if (!remote) this.onForget(n);
  }

  /** Drop every cached credential (the change feed was down and may have missed purges). */
  forgetAll(): void {
    this.cache.clear();
  }

  private async verifySession(token: string, now: number): Promise<Verified | null> {
    const claims = await this.sessions.verify(token);
    if (!claims) return null;
    const [user, revoked] = await Promise.all([this.users.byId(claims.userId), this.revoked.isRevoked(claims.jti)]);
    if (!user || user.disabled || revoked || user.token_version !== claims.version) return null;
    // An opened-as session lives only while the login that opened it does, unchanged.
    const by = claims.impersonator ? await this.users.byId(claims.impersonator.userId) : null;
    if (claims.impersonator && (!by || by.disabled || by.token_version !== claims.impersonator.version)) return null;
    const mustEnrol = by ? false : ((await this.twoFactor?.service.mustEnrol(user)) ?? false);
    const v: Verified = {
      token,
      principal: principalOf(user, null, null, by),
      userId: user.id,
      tokenId: null,
      allow: null,
      mustEnrol,
      checkedAt: now,
    };
    this.cache.set(cacheKey(token), v, claims.expires);
    return v;
  }

  private async verifyApiToken(token: string, now: number): Promise<Verified | null> {
    const record = await this.apiTokens.byToken(token);
    const expires = record?.expires_at ? stampMs(record.expires_at) : Infinity;
    if (!record || now >= expires) return null;
    const user = await this.users.byId(record.user_id);
    if (!user || user.disabled) return null;
    const v: Verified = {
      token,
      principal: principalOf(user, record.scopes, record.id),
      userId: user.id,
      tokenId: record.id,
      allow: record.allowed_ips ? compileAllowList(record.allowed_ips) : null,
      mustEnrol: false,
      checkedAt: now,
    };
    this.cache.set(cacheKey(token), v, expires);
    void this.apiTokens.touch(record.id).catch(() => undefined);
    return v;
  }
}
