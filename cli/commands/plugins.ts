import type { CommandSpec } from '../command.js';
import { Exit, usageError } from '../exit-codes.js';
import { table } from '../output.js';

/** A plugin as `/api/plugins` lists it. */
interface Plugin {
  id: string;
  name: string;
  version: string | null;
  source: string;
  tier: string;
  state: string;
  reason: string | null;
}

const pluginArg = { name: 'id', help: 'plugin id, e.g. backup-s3' };

export const pluginsListCommand: CommandSpec = {
  path: ['plugins', 'list'],
  summary: 'List plugins with their state (active, disabled, locked) and why',
  async run(ctx) {
    const rows = await ctx.api().request<Plugin[]>('GET', '/api/plugins');
    ctx.out.result(rows, () =>
      table(rows, [
        { header: 'ID', cell: (p) => p.id },
        { header: 'VERSION', cell: (p) => p.version },
        { header: 'SOURCE', cell: (p) => p.source },
        { header: 'TIER', cell: (p) => p.tier },
        { header: 'STATE', cell: (p) => p.state },
        { header: 'REASON', cell: (p) => p.reason },
      ]),
    );
    return Exit.OK;
  },
};

function toggle(enable: boolean): CommandSpec {
  return {
    path: ['plugins', enable ? 'enable' : 'disable'],
    summary: enable ? 'Enable a plugin (admin; only what the licence allows)' : 'Disable a plugin (admin)',
    args: [pluginArg],
    async run(ctx) {
      const p = await ctx
        .api()
        .request<Plugin>('POST', `/api/plugins/${encodeURIComponent(ctx.args.id!)}/${enable ? 'enable' : 'disable'}`);
      ctx.out.result(p, () => `Plugin ${p.id} is ${p.state}${p.reason ? ` (${p.reason})` : ''}.`);
      return Exit.OK;
    },
  };
}

function grant(allow: boolean): CommandSpec {
  return {
    path: ['plugins', allow ? 'allow' : 'deny'],
    summary: allow
      ? 'Allow a tier-gated plugin to one reseller (admin)'
      : "Withdraw a reseller's use of a tier-gated plugin (admin)",
    args: [pluginArg],
    options: [{ name: 'reseller', value: 'ID', help: 'the reseller id' }],
    details: allow
      ? 'The reseller then enables it for its accounts (POST /api/plugins/<id>/reseller/enable).'
      : undefined,
    async run(ctx) {
      const reseller = ctx.options.reseller;
      if (typeof reseller !== 'string' || !/^\d{1,10}$/.test(reseller))
        throw usageError('--reseller ID is required', `plugins ${allow ? 'allow' : 'deny'}`);
      const g = await ctx
        .api()
        .request<{ plugin_id: string; reseller_id: number; allowed: boolean; enabled: boolean }>(
          'POST',
          `/api/plugins/${encodeURIComponent(ctx.args.id!)}/resellers/${reseller}/${allow ? 'allow' : 'deny'}`,
        );
      ctx.out.result(
        g,
        () =>
          `Plugin ${g.plugin_id} is ${g.allowed ? 'allowed' : 'not allowed'} for reseller ${g.reseller_id}${g.allowed ? ` (${g.enabled ? 'enabled' : 'not yet enabled'} by the reseller)` : ''}.`,
      );
      return Exit.OK;
    },
  };
}

export const pluginsEnableCommand = toggle(true);
export const pluginsDisableCommand = toggle(false);
export const pluginsAllowCommand = grant(true);
export const pluginsDenyCommand = grant(false);
