import { accountFields, type PluginContext } from '../../sdk/index.js';
import type { Cgroups } from './cgroups.js';
import { toApi, type AccountRow } from './store.js';

type ApiAccount = ReturnType<typeof toApi>;

/**
 * The account's `resource_usage`: its group's counters as of now, with the group's memory limit
 * (the plan's, as the kernel holds it) for a meter. Null where nothing is measured: local mode,
 * no usable cgroups, or no group (yet).
 */
export function resourceUsage(cgroups: Cgroups, row: AccountRow) {
  const used = row.uid === null ? null : cgroups.usage(row.username);
  if (!used) return null;
  return {
    ...used,
    memory_limit_mb: cgroups.read(row.username)?.memory_mb ?? null,
    measured_at: new Date().toISOString(),
  };
}

/**
 * The accounts as the API answers them plus `resource_usage` and the fields other plugins add
 * (`account-fields`), fetched once per page. The contract's own fields win on a clash; a source
 * that fails leaves its fields out (logged) rather than failing the list.
 */
export async function withExtraFields(
  ctx: PluginContext,
  cgroups: Cgroups,
  rows: AccountRow[],
): Promise<(ApiAccount & Record<string, unknown>)[]> {
  const answers = rows.map((r) => ({ ...toApi(r), resource_usage: resourceUsage(cgroups, r) }));
  const sources = ctx.extensions.entries(accountFields).filter((e) => e.available);
  if (!sources.length || !rows.length) return answers;
  const ids = rows.map((r) => r.id);
  const extra = new Map<number, Record<string, unknown>>();
  for (const s of sources) {
    try {
      for (const [id, fields] of await s.value.fields(ids)) extra.set(id, { ...extra.get(id), ...fields });
    } catch (e) {
      ctx.logger.warn('account fields source failed', {
        source: `${s.pluginId}/${s.entryId}`,
        error: (e as Error).message,
      });
    }
  }
  return answers.map((a) => ({ ...extra.get(a.id), ...a }));
}
