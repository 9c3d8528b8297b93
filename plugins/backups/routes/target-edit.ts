import { errors, Type, type PluginContext, type RouteDefinition } from '../../../sdk/index.js';
import type { BackupsConfig } from '../config.js';
import type { TargetRegistry } from '../targets/registry.js';
import { storedSettings, withKeptSecrets } from '../targets/stored-settings.js';
import { IdParams } from './targets.js';

const EditBody = Type.Object({ config: Type.Record(Type.String(), Type.Unknown()) });

/**
 * Changing a target made through the API (additive to the contract): `config` is the whole new
 * configuration, validated like a create's; a secret left out or empty keeps its stored value, so
 * the UI can edit a target without ever being shown its secret. Its kind, scope and owner stay.
 */
export function targetEditRoutes(ctx: PluginContext<BackupsConfig>, reg: TargetRegistry): RouteDefinition[] {
  return [
    {
      method: 'PATCH',
      path: '/api/backups/targets/:id',
      summary: "Change an API-made target's settings; a secret left out keeps its stored value",
      schema: { params: IdParams, body: EditBody },
      access: { roles: ['admin'], scope: 'backups:write' },
      handler: async (req) => {
        const rec = await reg.record(req.params.id);
        if (rec.source !== 'api')
          throw errors.conflict(
            `Backup target '${rec.id}' is ${rec.source === 'builtin' ? 'built in' : 'defined in the config file'}; it cannot be changed here`,
          );
        const row = await ctx.db.knex(reg.table).where({ id: rec.id }).first();
        const factory = reg.factory(rec.kind).value;
        const config = withKeptSecrets(req.body.config, reg.box.open(row.secrets), factory.secretFields);
        const stored = storedSettings(
          ctx,
          reg,
          { id: rec.id, kind: rec.kind, scope: rec.scope, ownerId: rec.ownerId },
          config,
        );
        await ctx.db.knex(reg.table).where({ id: rec.id }).update(stored);
        // The built target holds the old settings (and an open connection): the next use rebuilds it.
        await reg.evict(rec.id);
        await reg.tests.forget(rec.id);
        req.auditTarget = `backup-target:${rec.id}`;
        return reg.view(await reg.record(rec.id));
      },
    },
  ];
}
