// Benchmark: regenerate 10,000 domains (database → specs → render → compare → temp file + rename
// per domain) against writing the same bytes with writeFileSync in the same run, for the nginx
// engine and for VeloServe (fragments plus its assembled TOML). nginx's own `-t` and reload of
// 10,000 server blocks are timed separately (they do not depend on how the panel writes). An
// unchanged regenerate must rewrite nothing. Account creation p50 in local mode with real nginx
// reloads. `npm run bench -- regenerate` keeps the one JSON line `main()` reports.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { waitForNewWorkers } from '../../plugins/nginx/process.js';
import { childPids, domainDirectory, readPid } from '../../sdk/index.js';
import { startTestPanel, type TestPanel, type TestPanelOptions } from '../../sdk/testing/index.js';
import { openTempDir, waitReconciled } from '../webserver/helpers.js';
import { startPrivateNginx, type PrivateNginx } from '../webserver/private-nginx.js';
import { indexSuffixes } from '../lists/rows.js';
import { report } from './report.js';

const DOMAINS = 10_000;
const PER_ACCOUNT = 10;
const ROUNDS = 5;
const TARGET_RATIO = 1.5;
const SETTLE_MS = 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number) => Math.round(x * 10) / 10;

async function panelWith(config: TestPanelOptions['config'], engine: string): Promise<TestPanel> {
  const panel = await startTestPanel({ plugins: ['accounts', 'domains', engine], config });
  await waitReconciled(panel);
  return panel;
}

/** 1,000 accounts with 10 domains each, inserted straight into the store. */
async function seed(panel: TestPanel, homeBase: string): Promise<void> {
  const knex = panel.kernel.knex;
  const stamp = '2026-01-01 00:00:00';
  const accounts = Array.from({ length: DOMAINS / PER_ACCOUNT }, (_, i) => ({
    username: `bench${i}`,
    primary_domain: `bench${i}.test`,
    email: `b${i}@example.com`,
    plan: 'free',
    status: 'active',
    home_dir: path.join(homeBase, `bench${i}`),
    disk_quota_mb: 500,
    bandwidth_quota_mb: 10000,
    disk_used_mb: 0,
    created_at: stamp,
    updated_at: stamp,
  }));
  await knex.batchInsert('accounts_accounts', accounts, 500);
  const ids = await knex('accounts_accounts').select('id', 'home_dir');
  const domains = ids.flatMap((a: any, i: number) =>
    Array.from({ length: PER_ACCOUNT }, (_, j) => ({
      account_id: a.id,
      domain_name: j === 0 ? `bench${i}.test` : `d${j}.bench${i}.test`,
      domain_type: j === 0 ? 'primary' : 'subdomain',
      document_root: j === 0 ? `${a.home_dir}/public_html` : `${a.home_dir}/d${j}.bench${i}.test`,
      alias_of: null,
      created_at: stamp,
    })),
  );
  await knex.batchInsert('domains_domains', domains, 500);
  await indexSuffixes(knex);
}

/**
 * Empty a directory, flush the filesystem and let it settle. Creating 10,000 files right after
 * mass deletes costs anywhere from 0.2 to 2 s here depending on how many milliseconds passed since
 * the deletes (measured: 0.2 s at once, ~2 s steadily after 1 s). The regenerate reads and renders
 * before its first write, so without settling each side would be timed against a different disk.
 */
async function clear(dir: string): Promise<void> {
  for (const f of readdirSync(dir)) rmSync(path.join(dir, f), { force: true });
  execFileSync('sync');
  await new Promise((r) => setTimeout(r, SETTLE_MS));
}

/**
 * Cold regenerates vs the same bytes written plainly, interleaved and in alternating order so that
 * load drifting on a shared machine hits both sides; the ratio is of the medians, and every
 * round is reported too.
 */
async function measure(panel: TestPanel, vhostsDir: string) {
  // The service itself, not HTTP: what is timed is the regeneration, not a request.
  const domains = panel.kernel.services.find(domainDirectory)!;
  const regen: number[] = [];
  const write: number[] = [];
  let files: (readonly [string, Buffer])[] = [];
  const regenerate = async () => {
    await clear(vhostsDir);
    const t = performance.now();
    const res = await domains.regenerate();
    regen.push(performance.now() - t);
    if (res.changed !== DOMAINS) throw new Error(`regenerate wrote ${JSON.stringify(res)}`);
    // In the order the panel wrote them (a directory lists in hash order, which ext4 creates fastest).
    files = readdirSync(vhostsDir)
      .map((f) => ({ f, at: statSync(path.join(vhostsDir, f), { bigint: true }).mtimeNs }))
      .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))
      .map(({ f }) => [f, readFileSync(path.join(vhostsDir, f))] as const);
  };
  // The same directory for both sides: how fast a filesystem creates files depends on the directory
  // (its size and what was deleted from it), which is not what is being compared.
  const baseline = async () => {
    await clear(vhostsDir);
    const t = performance.now();
    for (const [f, bytes] of files) writeFileSync(path.join(vhostsDir, f), bytes);
    write.push(performance.now() - t);
  };
  await regenerate();
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      await baseline();
      await regenerate();
    } else {
      await regenerate();
      await baseline();
    }
  }
  regen.shift();
  const mtimes = () => readdirSync(vhostsDir).map((f) => statSync(path.join(vhostsDir, f)).mtimeMs);
  const before = mtimes();
  const unchanged: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    const res = await domains.regenerate();
    unchanged.push(performance.now() - t);
    if (res.changed !== 0) throw new Error(`unchanged regenerate wrote ${JSON.stringify(res)}`);
  }
  return {
    regenerate: median(regen),
    write: median(write),
    ratio: median(regen) / median(write),
    rounds: { regen: regen.map(round), write: write.map(round) },
    unchangedFirst: unchanged[0]!,
    unchanged: median(unchanged.slice(1)),
    rewritten: mtimes().filter((m, i) => m !== before[i]).length,
  };
}

/** nginx's own cost for the 10,000 server blocks now in its sites directory. */
async function nginxOwnCost(nginx: PrivateNginx): Promise<{ test: number; reload: number }> {
  const base = ['-p', nginx.dir, '-c', String(nginx.pluginConfig.conf)];
  let t = performance.now();
  execFileSync('/usr/sbin/nginx', [...base, '-t', '-q']);
  const test = performance.now() - t;
  const master = readPid(path.join(nginx.dir, 'nginx.pid'))!;
  const workers = childPids(master);
  t = performance.now();
  execFileSync('/usr/sbin/nginx', [...base, '-s', 'reload'], { stdio: 'ignore' });
  if (!(await waitForNewWorkers(master, workers, 300_000)))
    throw new Error('nginx did not reload the 10,000 server blocks');
  return { test, reload: performance.now() - t };
}

async function accountCreation(nginx: PrivateNginx, homeBase: string): Promise<number[]> {
  const panel = await panelWith(
    { home_base: homeBase, plugins: { domains: { engine: 'nginx' }, nginx: nginx.pluginConfig } } as never,
    'nginx',
  );
  try {
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      const res = await panel.request('POST', '/api/accounts', {
        body: {
          username: `p${i}bench`,
          domain: `p${i}.bench.test`,
          email: 'p@example.com',
          password: 'BenchPass123',
          plan: 'free',
        },
      });
      times.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
    }
    return times;
  } finally {
    await panel.stop();
  }
}

export async function main() {
  const nginx = await startPrivateNginx();
  const dirs = { homes: openTempDir('velopanel-bench-homes-'), velo: openTempDir('velopanel-bench-velo-') };
  try {
    // nginx's test and reload become no-ops here: they are timed on their own below.
    const quiet = { test_command: ['/bin/true'], reload_command: ['/bin/true'], reload_wait_ms: 0 };
    const nx = await panelWith(
      {
        home_base: dirs.homes,
        plugins: { domains: { engine: 'nginx' }, nginx: { ...nginx.pluginConfig, ...quiet } },
      } as never,
      'nginx',
    );
    await seed(nx, dirs.homes);
    const n = await measure(nx, nginx.sitesDir).finally(() => nx.stop());
    const own = await nginxOwnCost(nginx);

    const vs = await panelWith(
      {
        home_base: dirs.homes,
        veloserve_config_path: path.join(dirs.velo, 'veloserve.toml'),
        plugins: { domains: { engine: 'veloserve' } },
      } as never,
      'veloserve',
    );
    await seed(vs, dirs.homes);
    const v = await measure(vs, path.join(dirs.velo, 'vhosts')).finally(() => vs.stop());

    await clear(nginx.sitesDir);
    mkdirSync(path.join(dirs.homes, 'fresh'), { mode: 0o755 });
    const creates = await accountCreation(nginx, path.join(dirs.homes, 'fresh'));
    const result = {
      domains: DOMAINS,
      target_ratio: TARGET_RATIO,
      regenerate_ms: round(n.regenerate),
      write_baseline_ms: round(n.write),
      ratio: Math.round(n.ratio * 100) / 100,
      regenerate_rounds_ms: n.rounds.regen,
      write_rounds_ms: n.rounds.write,
      unchanged_first_ms: round(n.unchangedFirst),
      unchanged_regenerate_ms: round(n.unchanged),
      unchanged_rewritten_files: n.rewritten,
      nginx_test_ms: round(own.test),
      nginx_reload_ms: round(own.reload),
      veloserve_regenerate_ms: round(v.regenerate),
      veloserve_write_baseline_ms: round(v.write),
      veloserve_ratio: Math.round(v.ratio * 100) / 100,
      veloserve_regenerate_rounds_ms: v.rounds.regen,
      veloserve_write_rounds_ms: v.rounds.write,
      veloserve_unchanged_regenerate_ms: round(v.unchanged),
      veloserve_unchanged_rewritten_files: v.rewritten,
      account_create_p50_ms: round(median(creates)),
      account_create_p95_ms: round(pct(creates, 0.95)),
      ok:
        n.ratio <= TARGET_RATIO &&
        n.rewritten === 0 &&
        n.unchanged < 500 &&
        v.ratio <= TARGET_RATIO &&
        v.rewritten === 0 &&
        v.unchanged < 500,
    };
    report('regenerate', result);
    return result;
  } finally {
    await nginx.stop();
    for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  }
}

it('regenerates 10,000 domains against plain writes, rewrites nothing unchanged, times account creation', async () => {
  await main();
});
