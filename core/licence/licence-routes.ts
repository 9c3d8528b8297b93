import Type from 'typebox';
import type { RouteDefinition } from '../../sdk/routes.js';
import { usageCounters } from '../../sdk/points/usage.js';
import type { ModuleHost } from '../kernel-module.js';

/** The tier table and the usage counters the licence's answer reports. */
type LicenceHost = Pick<ModuleHost, 'extensions' | 'tiers'>;
import type { InstalledLicence } from './installed-licence.js';

const InstallBody = Type.Object({
  license_key: Type.String({
    minLength: 1,
    maxLength: 16384,
    'x-error': 'must be the licence text (a signed licence of at most 16 KB)',
  }),
});

async function usage(k: LicenceHost, resource: string): Promise<number> {
  const entries = k.extensions.entries(usageCounters).filter((e) => e.entryId === resource && e.available);
  const counts = await Promise.all(entries.map((e) => e.value.count()));
  return counts.reduce((a, b) => a + b, 0);
}

/** The licence as the API shows it: tier, state, limits, usage, dates and why it is not in force. */
async function describe(k: LicenceHost, installed: InstalledLicence) {
  const s = installed.current();
  const v = s.view;
  // Each declared limit is reported with its usage: the sum of the `usage-counters` entries it names.
  const counted = await Promise.all(
    k.tiers.counters().map(async ([, counter]) => [counter, await usage(k, counter)] as const),
  );
  return {
    tier: v.tier,
    state: v.state,
    valid: v.state !== 'invalid' && v.state !== 'expired',
    customer: v.customer,
    limits: v.limits,
    usage: Object.fromEntries(counted),
    features: v.features,
    not_before: s.notBefore,
    expires_at: s.expiresAt,
    grace_until: s.graceUntil,
    message: s.message,
    test_key: s.test,
  };
}

/**
 * `GET /api/license` for every role (the licence page is never behind the licence) and
 * `POST /api/license` for admins to install a new licence, refused unless it would be in force.
 */
export function licenceRoutes(k: LicenceHost, installed: InstalledLicence): RouteDefinition[] {
  return [
    {
      method: 'GET',
      path: '/api/license',
      summary: 'Licence tier, limits, usage, expiry and state',
      access: { scope: 'license:read' },
      handler: () => describe(k, installed),
    },
    {
      method: 'POST',
      path: '/api/license',
      summary: 'Install a new licence (admin)',
      schema: { body: InstallBody },
      access: { roles: ['admin'], scope: 'license:write' },
      handler: async (req) => {
        await installed.install(req.body.license_key);
        return describe(k, installed);
      },
    },
  ];
}
