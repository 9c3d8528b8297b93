import type { KernelModule } from '../kernel-module.js';
import { Tokens } from '../tokens.js';
import { PanelKey } from '../panel-key.js';
import { ApiTokenStore } from './api-tokens.js';
import { authRoutes } from './auth-routes.js';
import { impersonationRoutes, openSessionAs } from './impersonation.js';
import { PanelAuthenticator } from './authenticator.js';
import { loginWords } from './login-words.js';
import { shareForgets } from './shared-forgets.js';
import { DEFAULT_THROTTLE, LoginThrottle, TEST_THROTTLE } from './login-throttle.js';
import { shareThrottle } from './shared-throttle.js';
import { authMigrations } from './migrations.js';
import { PRODUCTION_COST, TEST_COST } from './passwords.js';
import { pluginGrantRoutes } from './plugin-grant-routes.js';
import { ResellerPlugins } from './reseller-plugins.js';
import { capsOf } from './reseller-caps.js';
import { resellerRoutes } from './reseller-routes.js';
import { RevokedSessions } from './revocations.js';
import type { AuthServices } from './services.js';
import { loadJwtSecret, SessionTokens } from './session-tokens.js';
import { SetupCode } from './setup-code.js';
import { tokenRoutes } from './token-routes.js';
import { TwoFactor } from './two-factor.js';
import { ENROL_ONLY_PATHS, twoFactorRoutes } from './two-factor-routes.js';
import { TwoFactorStore } from './two-factor-store.js';
import { clashWarning, ensureUniqueNames } from './unique-names.js';
import { UserStore, type AuthTables } from './user-store.js';

/**
 * The auth kernel module: logins (setup, login, logout, me, password, two-factor login), session
 * JWTs and API tokens as the HTTP authenticator, the user directory plugins see as `ctx.users`,
 * resellers, and the reseller gate on tier-gated plugins — each registered in the kernel's container.
 */
export function authModule(): KernelModule {
  let grants: ResellerPlugins | null = null;
  return {
    name: 'auth',
    migrations: authMigrations,
    licence: { features: { 'resellers.plugins': 'business' } },
    async install(k) {
      const t = (n: string) => `core_${n}`;
      const tables: AuthTables = {
        users: t('users'),
        revokedTokens: t('revoked_tokens'),
        apiTokens: t('api_tokens'),
        resellerPlugins: t('reseller_plugins'),
        twoFactor: t('user_2fa'),
        authSettings: t('auth_settings'),
      };
      const sessions = await SessionTokens.fromSecret(loadJwtSecret(k.config.jwt_secret, k.config.data_dir));
      let authenticator: PanelAuthenticator | null = null;
      const throttle = new LoginThrottle(k.config.test_mode ? TEST_THROTTLE : DEFAULT_THROTTLE);
      const caps = async (id: number) => (await capsOf(k, [id])).get(id) ?? {};
      const users = new UserStore(
        k.knex,
        tables,
        k.config.test_mode ? TEST_COST : PRODUCTION_COST,
        (id) => authenticator?.forgetUser(id),
        throttle,
        caps,
      );
      users.clashes = await ensureUniqueNames(k.knex, tables.users);
      if (users.clashes.length) k.logger.warn(clashWarning(users.clashes), { clashes: users.clashes });
      const revoked = new RevokedSessions(k.knex, tables.revokedTokens);
      const apiTokens = new ApiTokenStore(k.knex, tables.apiTokens);
      const twoFactor = new TwoFactor(
        new TwoFactorStore(k.knex, tables.twoFactor, tables.authSettings),
        PanelKey.inDataDir(k.config.data_dir),
      );
      const enrolOnly = {
        paths: ENROL_ONLY_PATHS,
        reason:
          'Your role requires two-factor login: enrol first (POST /api/auth/2fa/setup, then /api/auth/2fa/confirm)',
      };
      authenticator = new PanelAuthenticator(sessions, users, apiTokens, revoked, { service: twoFactor, enrolOnly });
      shareForgets(authenticator, k.changes, k.logger);
      shareThrottle(throttle, k.changes, k.logger);
      grants = new ResellerPlugins(k.knex, tables.resellerPlugins, k.logger, () => loginWords(k).many);
      await grants.load();
      grants.startRefresh();
      const s: AuthServices = {
        kernel: k,
        tables,
        users,
        sessions,
        authenticator,
        revoked,
        apiTokens,
        throttle,
        setupCode: new SetupCode(k.config.data_dir, k.config.mode),
        grants,
        twoFactor,
      };
      if (!(await k.knex(tables.users).where({ role: 'admin' }).first())) {
        const code = s.setupCode.issue();
        k.logger.warn(
          `First-time setup is open. ${s.setupCode.who} needs the setup code ${code} (also in ${s.setupCode.file})`,
        );
      } else s.setupCode.retire();
      users.sessionOpener = (req, userId) => openSessionAs(s, req, userId);
      users.subjectShape = () => loginWords(k).subject;
      k.provide(Tokens.Authenticator, authenticator);
      k.provide(Tokens.Users, users);
      k.provide(Tokens.PluginGate, grants.gate);
      for (const r of [
        ...authRoutes(s),
        ...tokenRoutes(s),
        ...resellerRoutes(s),
        ...pluginGrantRoutes(s),
        ...twoFactorRoutes(s),
        ...impersonationRoutes(s),
      ])
        k.route(r);
    },
    stop() {
      grants?.stop();
    },
  };
}
