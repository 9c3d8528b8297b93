import { setTimeout as sleep } from 'node:timers/promises';
import Type from 'typebox';
import type { ApiRequest, RouteDefinition } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import { TotpCode } from './auth-routes.js';
import type { AuthServices } from './services.js';
import { REQUIRABLE_ROLES } from './two-factor.js';

const Password = Type.String({ minLength: 1, maxLength: 1024, 'x-error': 'must be your current password' });
const Setup = Type.Object({ password: Password });
const Confirm = Type.Object({ code: TotpCode });
const Disable = Type.Object({ password: Password, code: TotpCode });
const Policy = Type.Object({
  require_for: Type.Array(
    Type.Union(
      REQUIRABLE_ROLES.map((r) => Type.Literal(r)),
      { 'x-error': 'must be admin or reseller' },
    ),
    { maxItems: 2, 'x-error': 'must be a list of roles from: admin, reseller' },
  ),
});
const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a user id' }),
});

/** What a login that must enrol first may still reach (besides public routes). */
export const ENROL_ONLY_PATHS = [
  '/api/auth/me',
  '/api/auth/2fa',
  '/api/auth/2fa/setup',
  '/api/auth/2fa/confirm',
] as const;

/**
 * Two-factor login of one's own login (status, enrol, confirm, disable, new recovery codes; from a
 * login session only, never with an API token), the admin's policy of which roles must use it, and
 * the admin's reset of a user's two-factor login (audited like every change).
 */
export function twoFactorRoutes(s: AuthServices): RouteDefinition[] {
  const admin = { roles: ['admin' as const] };
  const sessionOnly = (req: ApiRequest) => {
    const p = req.principal!;
    if (p.scopes !== null)
      throw errors.forbidden('Two-factor login is managed only from a login session, not with an API token');
    return p;
  };
  /** A code check counted by the login throttle like a password attempt; 400 `code: is incorrect` when wrong. */
  const checkCode = async (req: ApiRequest, username: string, check: () => Promise<unknown>) => {
    const delay = s.throttle.begin(req.ip, username);
    if (delay) await sleep(delay);
    const result = await check();
    if (!result) throw errors.validation('code: is incorrect (or already used)');
    s.throttle.succeed(req.ip, username);
    return result;
  };
  return [
    {
      method: 'GET',
      path: '/api/auth/2fa',
      summary: 'Whether your two-factor login is on, whether your role requires it, recovery codes left',
      access: {},
      handler: async (req) => {
        const p = req.principal!;
        const required = (await s.twoFactor.requiredRoles()).includes(p.role as never);
        return { ...(await s.twoFactor.status(p.userId)), required };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/2fa/setup',
      summary: 'Start enrolling: a new secret, its otpauth:// URI and QR code (shown once); confirm with a first code',
      schema: { body: Setup },
      access: { credentials: true },
      handler: async (req) => {
        const p = sessionOnly(req);
        await s.users.checkPassword(p.userId, req.body.password, req.ip, 'password');
        const started = await s.twoFactor.begin(p.userId, p.username);
        if (!started) throw errors.conflict('Two-factor login is already on; disable it first to enrol a new device');
        return started;
      },
    },
    {
      method: 'POST',
      path: '/api/auth/2fa/confirm',
      summary: 'Turn two-factor login on with a first code; answers ten single-use recovery codes (shown once)',
      schema: { body: Confirm },
      access: { credentials: true },
      handler: async (req) => {
        const p = sessionOnly(req);
        const codes = (await checkCode(req, p.username, () =>
          s.twoFactor.confirm(p.userId, req.body.code),
        )) as string[];
        s.authenticator.forgetUser(p.userId);
        return { enabled: true, recovery_codes: codes };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/2fa/recovery-codes',
      summary: 'Ten new recovery codes (the old ones stop working); needs a current code',
      schema: { body: Confirm },
      access: { credentials: true },
      handler: async (req) => {
        const p = sessionOnly(req);
        await checkCode(req, p.username, () => s.twoFactor.verify(p.userId, req.body.code));
        return { recovery_codes: await s.twoFactor.renewRecoveryCodes(p.userId) };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/2fa/disable',
      summary: 'Turn your two-factor login off (needs your password and a code)',
      schema: { body: Disable },
      access: { credentials: true },
      handler: async (req) => {
        const p = sessionOnly(req);
        await s.users.checkPassword(p.userId, req.body.password, req.ip, 'password');
        await checkCode(req, p.username, () => s.twoFactor.verify(p.userId, req.body.code));
        await s.twoFactor.remove(p.userId);
        s.authenticator.forgetUser(p.userId);
        return { enabled: false };
      },
    },
    {
      method: 'GET',
      path: '/api/auth/2fa/policy',
      summary: 'Which roles must use two-factor login (admin)',
      access: { ...admin, scope: 'settings:read' },
      handler: async () => ({ require_for: await s.twoFactor.requiredRoles() }),
    },
    {
      method: 'PUT',
      path: '/api/auth/2fa/policy',
      summary: 'Require two-factor login for admins and/or resellers (admin); those not enrolled may then only enrol',
      schema: { body: Policy },
      access: { ...admin, scope: 'settings:write' },
      handler: async (req) => {
        const p = req.principal!;
        // Requiring it of admins before having it oneself would confine one's own session to enrolling.
        if (req.body.require_for.includes('admin') && !(await s.twoFactor.isEnabled(p.userId)))
          throw errors.conflict('Turn on your own two-factor login before requiring it of admins');
        await s.twoFactor.setRequiredRoles(req.body.require_for);
        req.auditTarget = `2fa-policy:${req.body.require_for.join(',') || 'none'}`;
        s.authenticator.forgetSessions();
        return { require_for: await s.twoFactor.requiredRoles() };
      },
    },
    {
      method: 'DELETE',
      path: '/api/users/:id/2fa',
      summary: "Reset a login's two-factor login (admin): it logs in with its password alone until it enrols again",
      schema: { params: IdParams },
      access: { ...admin, scope: 'users:write', credentials: true },
      handler: async (req) => {
        const id = req.params.id as number;
        req.auditTarget = `user:${id}`;
        if (!(await s.users.byId(id))) throw errors.notFound(`User ${id} not found`);
        const wasEnabled = await s.twoFactor.isEnabled(id);
        await s.twoFactor.remove(id);
        s.authenticator.forgetUser(id);
        return { user_id: id, was_enabled: wasEnabled };
      },
    },
  ];
}
