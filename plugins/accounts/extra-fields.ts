import { accountFields, type PluginContext } from '../../sdk/index.js';
import { toApi, type AccountRow } from './store.js';

type ApiAccount = ReturnType<typeof toApi>;

/**
 * The accounts as the API answers them plus the fields other plugins add (`account-fields`),
 * fetched once per page. The contract's own fields win on a clash; a source that fails leaves its
 * fields out (logged) rather than failing the list.
 */
export async function withExtraFields(ctx: PluginContext, rows: AccountRow[]): Promise<(ApiAccount & Record<string, unknown>)[]> {
  const answers = rows.map(toApi);
  const sources = ctx.extensions.entries(accountFields).filter((e) => e.available);
  if (!sources.length || !rows.length) return answers;
  const ids = rows.map((r) => r.id);
  const extra = new Map<number, Record<string, unknown>>();
  for (const s of sources) {
    try {
      for (const [id, fields] of await s.value.fields(ids)) extra.set(id, { ...extra.get(id), ...fields });
    } catch (e) {
      ctx.logger.warn('account fields source failed', { source: `${s.pluginId}/${s.entryId}`, error: (e as Error).message });
    }
  }
  return answers.map((a) => ({ ...extra.get(a.id), ...a }));
}
