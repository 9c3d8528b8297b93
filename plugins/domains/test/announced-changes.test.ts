// Account creates announce their vhost change once reserved (issue 24): a batch of changes waits
// for creates still under way instead of going live without them and leaving each a config test
// and reload of its own. One create is held in a `domain.created` hook (after its announcement,
// before its vhost step) while another reaches its vhost step: both go live in ONE config test,
// each answered once its host is in the main file. VeloServe's CLI is the stand-in script.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../../sdk/index.js';
import { accountBody, openTempDir, startHostingPanel, type HostingPanel } from '../../../test/webserver/helpers.js';
import { linesOf, servedHosts, veloserveStandIn } from '../../../test/webserver/veloserve-cli.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const slow = { arrived: deferred(), go: deferred() };
const holder = definePlugin({
  manifest: { id: 'slowcreate', version: '1.0.0', sdk: '^1.0.0', dependencies: ['domains'] },
  start(ctx) {
    ctx.hooks.after('domain.created', async ({ domain }) => {
      if (domain.domain_name !== 'slowpoke.test') return;
      slow.arrived.resolve();
      await slow.go.promise;
    });
  },
});

describe('announced account creates share a batch', () => {
  let h: HostingPanel;
  let dir: string;
  const main = () => path.join(dir, 'veloserve.toml');
  const hosts = () => servedHosts(main());
  const tests = () => linesOf(path.join(dir, 'tests'));

  beforeAll(async () => {
    dir = openTempDir('velopanel-announced-');
    const cli = veloserveStandIn(dir, { test: `  echo test >> "${dir}/tests"; exit 0`, reload: '  exit 0' });
    h = await startHostingPanel({
      engine: 'veloserve',
      inline: [holder],
      config: { veloserve_config_path: main() },
      // Longer than any wait below: the batch goes when the held create's change arrives, not at a deadline.
      plugins: { veloserve: cli, domains: { change_hold_ms: 5000 } },
    });
  });
  afterAll(async () => {
    slow.go.resolve();
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = async (username: string) => {
    const body = accountBody({ username, domain: `${username}.test` });
    const res = await h.panel.request('POST', '/api/accounts', { body });
    return { status: res.status, live: hosts().includes(body.domain) };
  };

  it('waits for a create under way: both go live in one config test', async () => {
    const before = tests();
    const held = create('slowpoke');
    await slow.arrived.promise;
    const quick = create('quick');
    // Well past the 5 ms window: without the announcement quick's change would be tested alone by now.
    await sleep(300);
    slow.go.resolve();
    expect(await quick).toEqual({ status: 200, live: true });
    expect(await held).toEqual({ status: 200, live: true });
    expect(tests() - before).toBe(1);
  });
});
