import Type from 'typebox';
import type { RouteDefinition } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import { isTierGated } from './reseller-plugins.js';
import type { AuthServices } from './services.js';

const PluginId = Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$', 'x-error': 'must be a plugin id' });
const ResellerId = Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a reseller id' });
const PluginParams = Type.Object({ id: PluginId });
const GrantParams = Type.Object({ id: PluginId, reseller_id: ResellerId });
const ListQuery = Type.Object({ reseller_id: Type.Optional(ResellerId) });

/**
 * Tier-gated plugins for resellers, under `/api/plugins`: the admin allows a plugin the licence
 * allows to a reseller; the reseller enables it for its own accounts.
 */
export function pluginGrantRoutes(s: AuthServices): RouteDefinition[] {
  const k = s.kernel;
  const gatedPlugin = (id: string) => {
    const slot = k.plugins.slots.get(id);
    if (!slot) throw errors.notFound(`Plugin '${id}' not found`);
    if (!isTierGated(slot)) throw errors.conflict(`Plugin '${id}' is not tier-gated: every account may use it`);
    const state = k.plugins.state(id);
    if (state.state === 'locked') throw errors.licenseRequired(`Plugin '${id}' ${state.reason}`);
    return slot;
  };
  const reseller = async (id: number) => {
    if ((await s.users.byId(id))?.role !== 'reseller') throw errors.notFound(`Reseller ${id} not found`);
  };
  const describe = (resellerId: number) =>
    [...k.plugins.slots.values()]
      .filter(isTierGated)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((slot) => {
        const g = s.grants.get(resellerId, slot.id);
        const st = k.plugins.state(slot.id);
        return {
          plugin_id: slot.id,
          reseller_id: resellerId,
          tier: slot.manifest!.tier ?? 'community',
          feature: slot.manifest!.feature ?? null,
          state: st.state,
          reason: st.reason,
          allowed: g.allowed,
          enabled: g.enabled,
        };
      });
  const setGrant = (allowed: boolean): RouteDefinition => ({
    method: 'POST',
    path: `/api/plugins/:id/resellers/:reseller_id/${allowed ? 'allow' : 'deny'}`,
    summary: `${allowed ? 'Allow' : 'Refuse'} a tier-gated plugin to a reseller (admin)`,
    schema: { params: GrantParams },
    access: { roles: ['admin'], scope: 'plugins:write' },
    handler: async (req) => {
      if (allowed) gatedPlugin(req.params.id);
      else if (!k.plugins.slots.has(req.params.id)) throw errors.notFound(`Plugin '${req.params.id}' not found`);
      await reseller(req.params.reseller_id);
      return s.grants.set(req.params.reseller_id, req.params.id, allowed ? { allowed } : { allowed, enabled: false });
    },
  });
  const setEnabled = (enabled: boolean): RouteDefinition => ({
    method: 'POST',
    path: `/api/plugins/:id/reseller/${enabled ? 'enable' : 'disable'}`,
    summary: `${enabled ? 'Enable' : 'Disable'} an allowed tier-gated plugin for your accounts (reseller)`,
    schema: { params: PluginParams },
    access: { roles: ['reseller'], scope: 'plugins:write' },
    handler: async (req) => {
      const rid = req.principal!.userId;
      if (enabled) {
        gatedPlugin(req.params.id);
        if (!s.grants.get(rid, req.params.id).allowed)
          throw errors.forbidden(`The administrator has not allowed plugin '${req.params.id}' for your accounts`);
      } else if (!k.plugins.slots.has(req.params.id)) throw errors.notFound(`Plugin '${req.params.id}' not found`);
      return s.grants.set(rid, req.params.id, { enabled });
    },
  });
  return [
    {
      method: 'GET',
      path: '/api/plugins/grants',
      summary: 'Tier-gated plugins per reseller: allowed by the admin, enabled by the reseller',
      schema: { query: ListQuery },
      access: { roles: ['admin', 'reseller'], scope: 'plugins:read' },
      handler: async (req) => {
        const p = req.principal!;
        if (p.role === 'reseller') return describe(p.userId);
        if (req.query.reseller_id !== undefined) {
          await reseller(req.query.reseller_id);
          return describe(req.query.reseller_id);
        }
        return s.grants.list();
      },
    },
    setGrant(true),
    setGrant(false),
    setEnabled(true),
    setEnabled(false),
  ];
}
