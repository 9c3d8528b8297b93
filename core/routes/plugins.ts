import Type from 'typebox';
import { tierAtLeast, tierRequirementLabel } from '../../sdk/licence.js';
import type { RouteDefinition } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import type { Kernel } from '../kernel.js';

const IdParams = Type.Object({
  id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$', 'x-error': 'must be a plugin id' }),
});

/** Plugin listing and admin enable/disable. */
export function pluginRoutes(k: Kernel): RouteDefinition[] {
  const describe = (id: string, viewer?: { role: string } | null) => {
    const slot = k.plugins.slots.get(id)!;
    const s = k.plugins.state(id, viewer ?? undefined);
    const m = slot.manifest;
    return {
      id,
      name: m?.name ?? id,
      version: m?.version ?? null,
      source: slot.source,
      tier: m?.tier ?? 'community',
      feature: m?.feature ?? null,
      dependencies: m?.dependencies ?? [],
      state: s.state,
      reason: s.reason,
    };
  };
  const setEnabled = async (id: string, enabled: boolean) => {
    const slot = k.plugins.slots.get(id);
    if (!slot) throw errors.notFound(`Plugin '${id}' not found`);
    const m = slot.manifest;
    const lic = k.licence();
    if (enabled && m?.tier && !tierAtLeast(lic.tier, m.tier))
      throw errors.licenseRequired(`Plugin '${id}' requires ${tierRequirementLabel(m.tier)}`);
    if (enabled && m?.feature && !lic.has(m.feature))
      throw errors.licenseRequired(`Plugin '${id}' requires a license with the '${m.feature}' feature`);
    await k.knex('core_plugin_state').where({ plugin_id: id }).delete();
    await k.knex('core_plugin_state').insert({ plugin_id: id, enabled, updated_at: new Date().toISOString() });
    slot.adminDisabled = !enabled;
    return describe(id);
  };
  return [
    {
      method: 'GET',
      path: '/api/plugins',
      summary: 'List plugins with state (active, disabled, locked) and reason',
      access: {},
      handler: (req) => [...k.plugins.slots.keys()].sort().map((id) => describe(id, req.principal ?? null)),
    },
    {
      method: 'POST',
      path: '/api/plugins/:id/enable',
      summary: 'Enable a plugin (admin)',
      schema: { params: IdParams },
      access: { roles: ['admin'], scope: 'plugins:write' },
      handler: (req) => setEnabled(req.params.id, true),
    },
    {
      method: 'POST',
      path: '/api/plugins/:id/disable',
      summary: 'Disable a plugin (admin)',
      schema: { params: IdParams },
      access: { roles: ['admin'], scope: 'plugins:write' },
      handler: (req) => setEnabled(req.params.id, false),
    },
  ];
}
