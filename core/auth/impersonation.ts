import type { OpenedSession } from '../../sdk/plugin.js';
import type { ApiRequest, RouteDefinition } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import { API_TOKEN_PREFIX } from './api-tokens.js';
import { COOKIE_NAME, readCredential } from './authenticator.js';
import { sessionCookie } from './cookies.js';
import type { AuthServices } from './services.js';
import { IMPERSONATION_TTL_SECONDS } from './session-tokens.js';

/**
 * Holds the opener's own session while it views as another login. Its path is the way back only,
 * so no other route ever sees it, and the opener's token is never handed to the page's script.
 */
export const RETURN_COOKIE = 'velopanel_return';
const RETURN_PATH = '/api/auth/impersonation/end';

function returnCookie(req: ApiRequest, value: string, maxAge: number): string {
  return sessionCookie(req, value, maxAge)
    .replace(`${COOKIE_NAME}=`, `${RETURN_COOKIE}=`)
    .replace('Path=/;', `Path=${RETURN_PATH};`);
}

function readReturnCookie(req: ApiRequest): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === RETURN_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * `UserDirectory.openSessionAs`: a one-hour session of a `user` login naming who opened it. Only
 * from a login session (a scoped API token must not become a full session), never a second hop.
 * The caller (a plugin route) has already checked that the opener may act on that login.
 */
export async function openSessionAs(s: AuthServices, req: ApiRequest, userId: number): Promise<OpenedSession> {
  const p = req.principal;
  if (!p) throw errors.unauthenticated();
  if (p.scopes !== null)
    throw errors.forbidden('An API token cannot open a session as another login; do it from a login session');
  if (p.impersonator)
    throw errors.forbidden(`You are already viewing as ${p.username}; return to ${p.impersonator.username} first`);
  const [login, opener] = await Promise.all([s.users.byId(userId), s.users.byId(p.userId)]);
  if (!login || login.role !== 'user') throw errors.forbidden('Only a user login can be opened as');
  if (login.disabled) throw errors.conflict(`The login '${login.username}' is disabled`);
  if (!opener || opener.disabled) throw errors.unauthenticated();
  const { token, claims } = await s.sessions.issue(login.id, login.token_version, {
    userId: opener.id,
    version: opener.token_version,
  });
  const cred = readCredential(req.raw);
  // Only a cookie session has a way back to keep; a bearer client simply keeps its own token.
  const cookies = [sessionCookie(req, token, IMPERSONATION_TTL_SECONDS)];
  if (cred?.via === 'cookie') cookies.push(returnCookie(req, cred.token, IMPERSONATION_TTL_SECONDS));
  req.setHeader('Set-Cookie', cookies);
  return {
    token,
    username: login.username,
    role: login.role,
    expires_at: new Date(claims.expires).toISOString(),
    impersonator: { id: opener.id, username: opener.username },
  };
}

/** The way back from a session opened as another login. */
export function impersonationRoutes(s: AuthServices): RouteDefinition[] {
  return [
    {
      method: 'POST',
      path: RETURN_PATH,
      summary: 'End a session opened as another login and return to your own (the session it was opened from)',
      access: {},
      handler: async (req) => {
        const p = req.principal!;
        if (!p.impersonator)
          throw errors.validation('This session was not opened as another login; there is nothing to return from');
        const cred = readCredential(req.raw);
        const claims = cred && !cred.token.startsWith(API_TOKEN_PREFIX) ? await s.sessions.verify(cred.token) : null;
        if (cred && claims) {
          await s.revoked.revoke(claims.jti, claims.userId, claims.expires);
          s.authenticator.forgetToken(cred.token);
        }
        // The way back is the opener's own session, still valid (not logged out, same password).
        const back = readReturnCookie(req);
        const own = back ? await s.sessions.verify(back) : null;
        const opener =
          own && own.userId === p.impersonator.userId && !own.impersonator && !(await s.revoked.isRevoked(own.jti))
            ? await s.users.byId(own.userId)
            : null;
        const valid = !!opener && !opener.disabled && opener.token_version === own!.version;
        req.setHeader('Set-Cookie', [
          valid
            ? sessionCookie(req, back!, Math.max(1, Math.floor((own!.expires - Date.now()) / 1000)))
            : sessionCookie(req, '', 0),
          returnCookie(req, '', 0),
        ]);
        return {
          ended: true,
          returned_to: valid ? { id: opener.id, username: opener.username, role: opener.role } : null,
        };
      },
    },
  ];
}
