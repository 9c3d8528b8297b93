import type { Kernel, KernelModule } from '../../core/kernel.js';
import { TIER_FEATURES } from '../../core/licence/community.js';
import type { Principal } from '../auth.js';
import type { Tier } from '../licence.js';

/** Roles a test request can act as. */
export type TestRole = 'admin' | 'reseller' | 'user' | 'anon';

/**
 * Test credentials. Until the auth module provides real logins, the harness installs a test
 * authenticator that accepts `Bearer test:<role>:<userId>[:<subject>]` — only inside this harness.
 */
export function testCredentials(opts: { tier: Tier }) {
  const module: KernelModule = {
    name: 'test-credentials',
    migrations: [],
    install(k: Kernel) {
      const features = TIER_FEATURES[opts.tier];
      k.licence = () => ({
        tier: opts.tier, state: 'valid', limits: { max_accounts: opts.tier === 'community' ? k.config.max_accounts_free : opts.tier === 'pro' ? 50 : null, max_domains: opts.tier === 'community' ? k.config.max_domains_free : null },
        features, customer: 'test', expires_at: null, has: (f) => features.includes(f) || features.includes('*'),
      });
      if (k.http.authenticator) return;
      k.http.authenticator = {
        async authenticate(req) {
          const m = /^Bearer test:(admin|reseller|user):(\d+)(?::(\S+))?$/.exec(String(req.headers.authorization ?? ''));
          if (!m) return null;
          const role = m[1] as Principal['role'];
          const userId = Number(m[2]);
          return {
            via: 'bearer',
            principal: { userId, username: `${role}${userId}`, role, resellerId: role === 'reseller' ? userId : null, subject: m[3] ?? null, scopes: null, tokenId: null },
          };
        },
      };
    },
  };
  return {
    modules: [module],
    async ready(_k: Kernel, _url: string): Promise<Record<'admin' | 'reseller' | 'user', string>> {
      return { admin: 'test:admin:1', reseller: 'test:reseller:2', user: 'test:user:3:account:1' };
    },
  };
}
