// Benchmark (issue 24, hosting scale): a panel restart at 10,000 accounts (50,000 domains) against
// the same restart at 100 accounts, in one run. A restart is: stop, start on the same data
// (migrations check, plugin starts) until the API answers, then until every start-up task
// (reconciliation of accounts and homes, vhosts and the main file, PHP pools, DNS, the home usage
// walk, …) has settled. In-process panel (the modules are already loaded, so node's own start and
// the imports are not in the figures), local mode, VeloServe engine. Rows go straight into the
// store, as the scale bench seeds them. Per-phase times come from the kernel's debug log lines
// (`plugin started`, `plugin ready task done`). Figures, not assertions.
import { rmSync } from 'node:fs';
import { it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { openTempDir, type HostingPanel } from '../webserver/helpers.js';
import { report, rssMb } from './report.js';
import { seed } from './scale-seed.js';

// VELOPANEL_RESTART_SIZES=20,500 for a quick dry run of the bench itself.
const [SMALL, LARGE] = (process.env.VELOPANEL_RESTART_SIZES ?? '100,10000').split(',').map(Number) as [number, number];
const ROUNDS = Number(process.env.VELOPANEL_RESTART_ROUNDS ?? 3);
const EXTRA = ['files', 'php', 'dns', 'ssl', 'backups', 'bandwidth'];

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Timed {
  panel: TestPanel;
  api_ms: number;
  reconciled_ms: number;
  settled_ms: number;
  phases: Record<string, number>;
}

/** Start on the data dir, timing the API's first answer, the vhost/account reports and every ready task. */
async function start(dataDir: string, homeBase: string): Promise<Timed> {
  const phases: Record<string, number> = {};
  const write = process.stdout.write.bind(process.stdout);
  // The kernel's debug lines carry each plugin's start and ready-task time; the rest is dropped.
  process.stdout.write = ((chunk: string) => {
    for (const line of String(chunk).split('\n')) {
      const m = /"msg":"plugin (started|ready task done)".*"plugin":"([^"]+)".*"ms":(\d+)/.exec(line);
      if (m) phases[`${m[2]}_${m[1] === 'started' ? 'start' : 'ready'}_ms`] = Number(m[3]);
    }
    return true;
  }) as typeof process.stdout.write;
  const t = performance.now();
  try {
    const panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', ...EXTRA],
      tier: 'business',
      config: {
        mode: 'local',
        home_base: homeBase,
        data_dir: dataDir,
        log_level: 'debug',
        log_format: 'json',
        plugins: { domains: { engine: 'veloserve' } },
      } as never,
    });
    const api_ms = performance.now() - t;
    await reconciled(panel);
    const reconciled_ms = performance.now() - t;
    await panel.kernel.readySettled;
    const settled_ms = performance.now() - t;
    return { panel, api_ms, reconciled_ms, settled_ms, phases };
  } finally {
    process.stdout.write = write;
  }
}

/** Until the vhost and account reports are in (`waitReconciled` gives up after 10 s; this bench waits longer). */
async function reconciled(panel: TestPanel): Promise<void> {
  for (let i = 0; i < 24_000; i++) {
    // The client may still hold a keep-alive socket to the stopped panel: once more.
    const get = () => panel.request('GET', '/api/veloserve/status');
    const r = (await get().catch(get)).body?.data?.reconciliation;
    if (r?.vhosts?.state && r.vhosts.state !== 'pending' && r.accounts) return;
    await sleep(25);
  }
  throw new Error('start-up reconciliation did not finish within 10 minutes');
}

async function rounds(h: { panel: TestPanel }, dataDir: string, homeBase: string) {
  const runs: Omit<Timed, 'panel'>[] = [];
  // Round 0 is not counted: the seeded homes get their logs/ and tmp/ then, once.
  for (let i = 0; i <= ROUNDS; i++) {
    await h.panel.stop();
    const { panel, ...f } = await start(dataDir, homeBase);
    h.panel = panel;
    if (i > 0) runs.push(f);
  }
  const med = (k: 'api_ms' | 'reconciled_ms' | 'settled_ms') => Math.round(p50(runs.map((r) => r[k])));
  const phases = Object.fromEntries(
    Object.keys(runs[0]!.phases).map((k) => [k, p50(runs.map((r) => r.phases[k] ?? 0))]),
  );
  return {
    api_p50_ms: med('api_ms'),
    reconciled_p50_ms: med('reconciled_ms'),
    settled_p50_ms: med('settled_ms'),
    settled_all_ms: runs.map((r) => Math.round(r.settled_ms)),
    rss_mb: await rssMb(),
    phases_p50_ms: phases,
  };
}

async function main() {
  const dataDir = openTempDir('velopanel-restart-data-');
  const homeBase = openTempDir('velopanel-restart-homes-');
  const h = { panel: (await start(dataDir, homeBase)).panel };
  const seeded = { panel: h.panel, homeBase } as unknown as HostingPanel;
  try {
    await seed(seeded, 0, SMALL);
    const small = await rounds(h, dataDir, homeBase);
    process.stderr.write(`restart bench at ${SMALL}: ${JSON.stringify(small)}\n`);
    seeded.panel = h.panel;
    await seed(seeded, SMALL, LARGE);
    const large = await rounds(h, dataDir, homeBase);
    const result = {
      [`at_${SMALL}`]: small,
      [`at_${LARGE}`]: large,
      settled_ratio: Math.round((large.settled_p50_ms / small.settled_p50_ms) * 10) / 10,
      api_ratio: Math.round((large.api_p50_ms / small.api_p50_ms) * 10) / 10,
      goal: 'a restart at 10,000 accounts close to one at 100; the API answers before the start-up reconciliation (issue 24)',
    };
    report('restart', result);
    return result;
  } finally {
    await h.panel.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(homeBase, { recursive: true, force: true });
  }
}

it('restarts at 100 and 10,000 accounts', async () => {
  await main();
});
