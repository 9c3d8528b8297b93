// A linux-mode panel on a restart set-up (the bed's nginx, a data dir and a home base kept across
// restarts) and a way to create accounts on it: the start-up reconciliation tests begin so.
import { accountBody, type RestartSetup, startHostingPanel } from '../../../test/webserver/helpers.js';

/** Start the first panel; `opts` starts the next one on the same data, `create` makes `<prefix><name>`. */
export async function startFirstLinuxPanel(bed: RestartSetup, prefix: string) {
  const opts = {
    engine: 'nginx' as const,
    mode: 'linux' as const,
    nginx: bed.nginx,
    homeBase: bed.homes,
    config: { data_dir: bed.dataDir },
  };
  const first = await startHostingPanel(opts);
  const create = async (name: string) =>
    (
      await first.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}${name}`, domain: `${prefix}${name}.test` }),
      })
    ).body.data;
  return { opts, first, create };
}
