import type { ModuleHost } from '../kernel-module.js';
import type { ApiTokenStore } from './api-tokens.js';
import type { PanelAuthenticator } from './authenticator.js';
import type { LoginThrottle } from './login-throttle.js';
import type { ResellerPlugins } from './reseller-plugins.js';
import type { RevokedSessions } from './revocations.js';
import type { SessionTokens } from './session-tokens.js';
import type { SetupCode } from './setup-code.js';
import type { TwoFactor } from './two-factor.js';
import type { AuthTables, UserStore } from './user-store.js';

/** What the auth module's routes work with. */
export interface AuthServices {
  kernel: ModuleHost;
  tables: AuthTables;
  users: UserStore;
  sessions: SessionTokens;
  authenticator: PanelAuthenticator;
  revoked: RevokedSessions;
  apiTokens: ApiTokenStore;
  throttle: LoginThrottle;
  setupCode: SetupCode;
  grants: ResellerPlugins;
  twoFactor: TwoFactor;
}
