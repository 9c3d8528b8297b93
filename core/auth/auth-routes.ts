import { setTimeout as sleep } from 'node:timers/promises';
import Type from 'typebox';
import type { ApiRequest, RouteDefinition } from '../../sdk/routes.js';
import { withLock } from '../db/lock.js';
import { errors } from '../errors.js';
import { API_TOKEN_PREFIX } from './api-tokens.js';
import { readCredential } from './authenticator.js';
import { sessionCookie as cookie } from './cookies.js';
import { checkNewPassword, PASSWORD_MAX, verifyPassword } from './passwords.js';
import type { AuthServices } from './services.js';
import { SESSION_TTL_SECONDS } from './session-tokens.js';
import { USERNAME, type UserRow } from './user-store.js';

export const NewUsername = Type.String({
  pattern: USERNAME.source,
  'x-error': 'must be 3–64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
});
export const NewPassword = Type.String({
  minLength: 8,
  maxLength: PASSWORD_MAX,
  'x-error': `must be a string of 8–${PASSWORD_MAX} characters`,
});
/** A TOTP code or a recovery code, as typed. */
export const TotpCode = Type.String({
  minLength: 1,
  maxLength: 32,
  'x-error': 'must be a 6-digit code or a recovery code',
});
const Login = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64, 'x-error': 'must be a string of at most 64 characters' }),
  password: Type.String({
    minLength: 1,
    maxLength: PASSWORD_MAX,
    'x-error': `must be a string of at most ${PASSWORD_MAX} characters`,
  }),
  code: Type.Optional(TotpCode),
});
const SecondStep = Type.Object({
  challenge: Type.String({ minLength: 1, maxLength: 2048, 'x-error': 'must be the challenge the login answered' }),
  code: TotpCode,
});
/** One answer for every failed two-factor login, whichever part was wrong. */
const WRONG_SECOND_STEP = 'Invalid username, password or code';
const Setup = Type.Object({
  username: NewUsername,
  password: NewPassword,
  setup_code: Type.Optional(Type.String({ maxLength: 64, 'x-error': 'must be the setup code' })),
});
const PasswordChange = Type.Object({ current_password: Login.properties.password, new_password: NewPassword });

/** Setup, login (with its two-factor step), logout, me and password change. */
export function authRoutes(s: AuthServices): RouteDefinition[] {
  const k = s.kernel;
  const adminExists = async () => !!(await k.knex(s.tables.users).where({ role: 'admin' }).first());
  let dummyHash: Promise<string> | null = null;
  const startSession = async (req: ApiRequest, user: UserRow) => {
    const { token, claims } = await s.sessions.issue(user.id, user.token_version);
    req.setHeader('Set-Cookie', cookie(req, token, SESSION_TTL_SECONDS));
    const answer = {
      token,
      username: user.username,
      role: user.role,
      expires_at: new Date(claims.expires).toISOString(),
    };
    // Only for a login whose role requires two-factor login it has not enabled: this session may only enrol.
    return (await s.twoFactor.mustEnrol(user)) ? { ...answer, totp_setup_required: true } : answer;
  };
  return [
    {
      method: 'GET',
      path: '/api/auth/setup',
      summary: 'Whether first-time setup is still open, and whether this client needs the setup code',
      access: { public: true },
      handler: async (req) => {
        const required = !(await adminExists());
        return { required, code_required: required && s.setupCode.required(req.ip) };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/setup',
      summary:
        'Create the first admin (only once; remote clients, and every client in linux mode, need the setup code)',
      schema: { body: Setup },
      access: { public: true },
      handler: async (req) => {
        if (await adminExists()) throw errors.forbidden('Setup has already been completed; log in instead');
        // Counted from here; a wrong setup code stays counted against the address.
        s.throttle.begin(req.ip, null);
        s.setupCode.check(req.ip, req.body.setup_code);
        s.throttle.succeed(req.ip, null);
        const passwordHash = await s.users.hashPassword(req.body.password);
        const { id } = await withLock(k.knex, k.dbClient, 'core:auth-setup', async (trx) => {
          if (await trx(s.tables.users).where({ role: 'admin' }).first())
            throw errors.forbidden('Setup has already been completed; log in instead');
          return s.users.create({ username: req.body.username, passwordHash, role: 'admin' }, trx);
        });
        s.setupCode.retire();
        req.auditTarget = `user:${id}`;
        return { id, username: req.body.username, role: 'admin' };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/login',
      summary:
        'Log in: returns a 24 h token and sets the velopanel_token cookie (with two-factor login on: needs `code`, or answers 401 TOTP_REQUIRED with a challenge)',
      schema: { body: Login },
      access: { public: true },
      handler: async (req) => {
        const { username, password, code } = req.body;
        req.auditTarget = `login:${username}`;
        // Counted before any await, so parallel attempts see each other; a failure stays counted.
        const delay = s.throttle.begin(req.ip, username);
        if (delay) await sleep(delay);
        const user = await s.users.rowByUsername(username);
        const ok = await verifyPassword(
          password,
          user?.password_hash ?? (await (dummyHash ??= s.users.hashPassword('not a real password'))),
        );
        if (user && (await s.twoFactor.isEnabled(user.id))) {
          // The same answer for a right and a wrong password; the attempt stays counted until the code step succeeds.
          if (code === undefined)
            throw errors.totpRequired(
              s.twoFactor.challenge({ userId: user.id, username, passwordOk: ok, version: user.token_version }),
            );
          // A code is spent only with the right password, so a guess cannot burn the owner's code; it is checked either way (same time).
          if (!(await s.twoFactor.verify(user.id, code, Date.now(), ok)) || !ok)
            throw errors.unauthenticated(WRONG_SECOND_STEP);
        } else if (!user || !ok) throw errors.unauthenticated('Invalid username or password');
        s.throttle.succeed(req.ip, username);
        if (user.disabled) throw errors.forbidden('This login is disabled');
        return startSession(req, user);
      },
    },
    {
      method: 'POST',
      path: '/api/auth/login/2fa',
      summary: 'The second login step: the challenge from /api/auth/login and a TOTP or recovery code',
      schema: { body: SecondStep },
      access: { public: true },
      handler: async (req) => {
        const c = s.twoFactor.openChallenge(req.body.challenge);
        if (!c)
          throw errors.unauthenticated(
            'This login challenge is not valid or has expired; log in again with your password',
          );
        req.auditTarget = `login:${c.username}`;
        // Counted like a password attempt, per address and per address and username.
        const delay = s.throttle.begin(req.ip, c.username);
        if (delay) await sleep(delay);
        const user = await s.users.byId(c.userId);
        const current = !!user && c.passwordOk && user.token_version === c.version;
        // Checked (not spent) even for a wrong password's challenge, so the time taken does not tell.
        if (!user || !(await s.twoFactor.verify(user.id, req.body.code, Date.now(), current)) || !current)
          throw errors.unauthenticated(WRONG_SECOND_STEP);
        // Both steps succeeded: neither stays counted.
        s.throttle.succeed(req.ip, c.username);
        s.throttle.succeed(req.ip, c.username);
        if (user.disabled) throw errors.forbidden('This login is disabled');
        return startSession(req, user);
      },
    },
    {
      method: 'POST',
      path: '/api/auth/logout',
      summary: 'Log out: revokes the session token and clears the cookie',
      access: { public: true },
      handler: async (req) => {
        const cred = readCredential(req.raw);
        const claims = cred && !cred.token.startsWith(API_TOKEN_PREFIX) ? await s.sessions.verify(cred.token) : null;
        if (cred && claims) {
          await s.revoked.revoke(claims.jti, claims.userId, claims.expires);
          s.authenticator.forgetToken(cred.token);
        }
        req.setHeader('Set-Cookie', cookie(req, '', 0));
        return { logged_out: true };
      },
    },
    {
      method: 'GET',
      path: '/api/auth/me',
      summary: "The caller's username and role",
      access: {},
      handler: (req) => {
        const p = req.principal!;
        const impersonator = p.impersonator ? { id: p.impersonator.userId, username: p.impersonator.username } : null;
        return {
          id: p.userId,
          username: p.username,
          role: p.role,
          reseller_id: p.resellerId,
          subject: p.subject,
          scopes: p.scopes,
          token_id: p.tokenId,
          impersonator,
        };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/password',
      summary: 'Change your password; every other session and every API token of yours ends',
      schema: { body: PasswordChange },
      access: { credentials: true },
      handler: async (req) => {
        const p = req.principal!;
        if (p.scopes !== null)
          throw errors.forbidden('Passwords can be changed only from a login session, not with an API token');
        await s.users.checkPassword(p.userId, req.body.current_password, req.ip);
        checkNewPassword(req.body.new_password, 'new_password');
        const changed = await s.users.setPasswordHash(p.userId, await s.users.hashPassword(req.body.new_password));
        return { ...(await startSession(req, (await s.users.byId(p.userId))!)), ...changed };
      },
    },
  ];
}
