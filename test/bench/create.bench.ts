// Benchmark (issue 24, bulk work): `POST /api/accounts` at 10 concurrent against a panel in its
// own process (production runtime env and password-hash cost, out of test mode) with a real private
// nginx (config test and reload per change). Figures: p50/p95 latency of each create, one at a
// time and 10 at once, and the panel's peak RSS (VmHWM) over the run and over the 10-at-once
// bursts alone (`burst_peak_rss_mb`, where the kernel can restart VmHWM); then one import of 200
// accounts (`POST /api/accounts/import`, one reload) per account. Targets: 10 concurrent p50 under
// 300 ms, RSS under 150 MB. Figures, not assertions: `npm run bench -- create`, or
// `BENCH_CREATE_PANEL=full npm run bench -- create` against the whole local panel (`npm start`).
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import { openTempDir } from '../webserver/helpers.js';
import { startPrivateNginx } from '../webserver/private-nginx.js';
import { cpuMs, peakRssMb, report, resetPeakRss, rssMb } from './report.js';
import { startFullPanel } from './full-panel.js';
import { PHP_FPM_BIN } from '../bed/services/phpfpm.js';
import { fpmReloadMs } from './fpm-reload-baseline.js';
import { nginxReloadMs } from './nginx-reload-baseline.js';
import { spawnBenchServer } from './runtime-env.js';

const root = path.resolve(import.meta.dirname, '../..');
const CONCURRENT = 10;
const ROUNDS = Number(process.env.BENCH_CREATE_ROUNDS ?? 6);
const IMPORTED = Number(process.env.BENCH_CREATE_IMPORTED ?? 200);
/** Extra node flags for the panel process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a create's time goes). */
const FLAGS = (process.env.BENCH_CREATE_NODE_FLAGS ?? '').split(' ').filter(Boolean);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number) => Math.round(x);

/** `BENCH_CREATE_PANEL=full`: the whole local panel (`npm start`: every plugin and managed server, so PHP pools and DNS zones too). */
const FULL = process.env.BENCH_CREATE_PANEL === 'full';

/** The panel under test: accounts, domains and a private nginx in their own process, or the full local panel. */
async function startServer() {
  if (FULL) {
    const panel = await startFullPanel(root, FLAGS, 1_000_000);
    const nginx = path.join(panel.dataDir, 'services', 'nginx');
    const conf = {
      binary: 'nginx',
      prefix: nginx,
      conf: path.join(nginx, 'nginx.conf'),
      error_log: path.join(nginx, 'error.log'),
    };
    return {
      ...panel,
      reloadMs: (times: number) => nginxReloadMs(conf, times),
      fpmMs: (times: number) => fpmReloadMs(panel.dataDir, PHP_FPM_BIN, times),
    };
  }
  const nginx = await startPrivateNginx();
  const homeBase = openTempDir('velopanel-bench-create-');
  const server = await spawnBenchServer<{ url: string; token: string }>(root, [
    ...FLAGS,
    path.join(root, 'test/bench/create-server.mjs'),
    JSON.stringify({ homeBase, nginx: nginx.pluginConfig }),
  ]);
  return {
    ...server,
    reloadMs: (times: number) => nginxReloadMs(nginx.pluginConfig, times),
    fpmMs: null,
    async stop() {
      await server.stop();
      await nginx.stop();
      rmSync(homeBase, { recursive: true, force: true });
    },
  };
}

export async function main() {
  const server = await startServer();
  let n = 0;
  const create = async () => {
    const i = n++;
    const t = performance.now();
    const res = await fetch(`${server.url}/api/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: `c${i}bench`,
        domain: `c${i}.bench.test`,
        email: 'c@example.com',
        password: 'BenchPass123',
        plan: 'free',
      }),
    });
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`create failed: ${res.status} ${await res.text()}`);
    return ms;
  };
  try {
    for (let i = 0; i < 3; i++) await create(); // warm-up
    const idle = await rssMb(server.child.pid!);
    const cpu = () => cpuMs(server.child.pid!);
    let c0 = cpu();
    const single: number[] = [];
    for (let i = 0; i < 10; i++) single.push(await create());
    const singleCpu = (cpu() - c0) / single.length;
    c0 = cpu();
    // The peak of the bursts alone: the kernel restarts VmHWM from the current RSS (start-up's peak is not a create's).
    const burstPeakFrom = resetPeakRss(server.child.pid!);
    const concurrent: number[] = [];
    const wall: number[] = [];
    const baseline: number[] = [];
    const fpmBaseline: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now();
      concurrent.push(...(await Promise.all(Array.from({ length: CONCURRENT }, create))));
      wall.push(performance.now() - t);
      // Between bursts, so the baseline sees the same load and the same number of vhosts.
      if (server.reloadMs) baseline.push(await server.reloadMs(3));
      if (server.fpmMs) fpmBaseline.push(await server.fpmMs(3));
    }
    const concurrentCpu = (cpu() - c0) / (ROUNDS * CONCURRENT);
    const peak = await peakRssMb(server.child.pid!);
    const lifePeak = burstPeakFrom === null ? peak : Math.max(peak, burstPeakFrom.lifePeak);
    c0 = cpu();
    const rows = Array.from({ length: IMPORTED }, (_, i) => ({
      username: `imp${i}`,
      domain: `imp${i}.bench.test`,
      email: 'i@example.com',
      password: 'BenchPass123',
    }));
    const t = performance.now();
    const imp = await fetch(`${server.url}/api/accounts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ accounts: rows }),
    });
    const importMs = performance.now() - t;
    const importCpu = (cpu() - c0) / IMPORTED;
    const body = (await imp.json()) as { data?: { created?: unknown[] } };
    if (imp.status !== 200 || body.data?.created?.length !== IMPORTED)
      throw new Error(`import failed: ${imp.status} ${JSON.stringify(body).slice(0, 500)}`);
    const p50 = pct(concurrent, 0.5);
    const reload = baseline.length ? pct(baseline, 0.5) : null;
    const fpm = fpmBaseline.length ? pct(fpmBaseline, 0.5) : null;
    const result = {
      panel: FULL ? 'full local panel (every plugin and managed server)' : 'accounts, domains, nginx',
      concurrent: CONCURRENT,
      rounds: ROUNDS,
      single_p50_ms: round(pct(single, 0.5)),
      single_p95_ms: round(pct(single, 0.95)),
      concurrent_p50_ms: round(p50),
      concurrent_p95_ms: round(pct(concurrent, 0.95)),
      concurrent_round_wall_ms: wall.map(round),
      // Same-run baseline: nginx -t plus a reload until the old workers are gone, nginx alone (the bench's, or the full panel's own).
      nginx_test_and_reload_ms: reload,
      concurrent_p50_per_nginx_reload: reload ? Math.round((p50 / reload) * 100) / 100 : null,
      // Full panel only: two php-fpm -t and a reload of its own master until it answers again, php-fpm alone.
      fpm_tests_and_reload_ms: fpm,
      concurrent_p50_per_fpm_reload: fpm ? Math.round((p50 / fpm) * 100) / 100 : null,
      // CPU the panel process spent per account (load on the machine inflates the times, not these).
      single_cpu_per_create_ms: round(singleCpu),
      concurrent_cpu_per_create_ms: round(concurrentCpu),
      import_cpu_per_account_ms: round(importCpu),
      idle_rss_mb: idle,
      peak_rss_mb: lifePeak,
      burst_peak_rss_mb: burstPeakFrom === null ? null : peak,
      peak_rss_after_import_mb: await peakRssMb(server.child.pid!),
      import_accounts: IMPORTED,
      import_ms: round(importMs),
      import_per_account_ms: Math.round((importMs / IMPORTED) * 10) / 10,
      target_p50_ms: 300,
      target_rss_mb: 150,
      ok: p50 < 300 && peak < 150, // peak: of the bursts where the kernel restarts VmHWM, else of the whole run
      // Other work on the machine inflates the times (not the CPU figures): the load average at the end.
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
      cores: availableParallelism(),
    };
    report('create', result);
    return result;
  } finally {
    await server.stop();
  }
}

it('creates accounts 10 at a time and reports p50 and peak RSS', async () => {
  await main();
});
