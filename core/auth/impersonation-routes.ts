import Type from 'typebox';
import { accountDirectory, accountRef } from '../../sdk/points/accounts.js';
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
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be an account id' }) });

function returnCookie(req: ApiRequest, value: string, maxAge: number): string {
  return sessionCookie(req, value, maxAge).replace(`${COOKIE_NAME}=`, `${RETURN_COOKIE}=`).replace('Path=/;', `Path=${RETURN_PATH};`);
}

function readReturnCookie(req: ApiRequest): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === RETURN_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * "Open as this account": an admin, or the reseller owning it, gets a one-hour session of the
 * account's login that names who opened it. Audited as the opener on `account:<id>`; refused to
 * API tokens (a scoped token must not become a full session) and to sessions already opened as
 * someone. The session cannot change the login's password, two-factor login or API tokens.
 */
export function impersonationRoutes(s: AuthServices): RouteDefinition[] {
  const k = s.kernel;
  const accounts = () => {
    const dir = k.services.find(accountDirectory);
    if (!dir) throw errors.unavailable('The accounts plugin is not active');
    return dir;
  };
  return [
    {
      method: 'POST', path: '/api/accounts/:id/impersonate', summary: "Open the account's panel as its login (admin, or its reseller): a one-hour session that shows who opened it",
      schema: { params: IdParams },
      access: { roles: ['admin', 'reseller'], owner: (req: ApiRequest<{ id: number }>) => accounts().owner(req.params.id) },
      handler: async (req: ApiRequest<{ id: number }>) => {
        const p = req.principal!;
        req.auditTarget = accountRef(req.params.id);
        if (p.scopes !== null) throw errors.forbidden("An API token cannot open an account's panel; do it from a login session");
        if (p.impersonator) throw errors.forbidden(`You are already viewing as ${p.username}; return to ${p.impersonator.username} first`);
        // The account's own login: its username and bound to it (other logins may be bound to it too).
        const account = await accounts().get(req.params.id);
        const login = account ? await s.users.rowByUsername(account.username) : null;
        if (!login || login.role !== 'user' || login.subject !== accountRef(req.params.id)) throw errors.conflict(`Account ${req.params.id} has no panel login to open`);
        // Read as "alice opened bob's panel": the account by its name, which is also its login's.
        req.auditTarget = `account:${login.username}`;
        if (login.disabled) throw errors.conflict(`The login of account ${req.params.id} is disabled (the account is suspended)`);
        const opener = (await s.users.byId(p.userId))!;
        const { token, claims } = await s.sessions.issue(login.id, login.token_version, { userId: opener.id, version: opener.token_version });
        const cred = readCredential(req.raw);
        // Only a cookie session has a way back to keep; a bearer client simply keeps its own token.
        const cookies = [sessionCookie(req, token, IMPERSONATION_TTL_SECONDS)];
        if (cred?.via === 'cookie') cookies.push(returnCookie(req, cred.token, IMPERSONATION_TTL_SECONDS));
        req.setHeader('Set-Cookie', cookies);
        return {
          token, username: login.username, role: login.role, expires_at: new Date(claims.expires).toISOString(),
          impersonator: { id: opener.id, username: opener.username },
        };
      },
    },
    {
      method: 'POST', path: RETURN_PATH, summary: 'End a session opened as another login and return to your own (the session it was opened from)',
      access: {},
      handler: async (req) => {
        const p = req.principal!;
        if (!p.impersonator) throw errors.validation('This session was not opened as another login; there is nothing to return from');
        const cred = readCredential(req.raw);
        const claims = cred && !cred.token.startsWith(API_TOKEN_PREFIX) ? await s.sessions.verify(cred.token) : null;
        if (cred && claims) {
          await s.revoked.revoke(claims.jti, claims.userId, claims.expires);
          s.authenticator.forgetToken(cred.token);
        }
        // The way back is the opener's own session, still valid (not logged out, same password).
        const back = readReturnCookie(req);
        const own = back ? await s.sessions.verify(back) : null;
        const opener = own && own.userId === p.impersonator.userId && !own.impersonator && !(await s.revoked.isRevoked(own.jti))
          ? await s.users.byId(own.userId) : null;
        const valid = !!opener && !opener.disabled && opener.token_version === own!.version;
        req.setHeader('Set-Cookie', [
          valid ? sessionCookie(req, back!, Math.max(1, Math.floor((own!.expires - Date.now()) / 1000))) : sessionCookie(req, '', 0),
          returnCookie(req, '', 0),
        ]);
        return { ended: true, returned_to: valid ? { id: opener.id, username: opener.username, role: opener.role } : null };
      },
    },
  ];
}
