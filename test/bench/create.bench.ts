// Benchmark (issue 24, bulk work): `POST /api/accounts` at 10 concurrent against a panel in its
// own process (production runtime env and scrypt cost, out of test mode) with a real private
// nginx (config test and reload per change). Figures: p50/p95 latency of each create, one at a
// time and 10 at once, and the panel's peak RSS (VmHWM) over the run; then one import of 200
// accounts (`POST /api/accounts/import`, one reload) per account. Targets: 10 concurrent p50 under
// 300 ms, RSS under 150 MB. Figures, not assertions: `npm run bench -- create`.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { openTempDir } from '../webserver/helpers.js';
import { startPrivateNginx } from '../webserver/private-nginx.js';
import { cpuMs, peakRssMb, report, rssMb } from './report.js';
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

export async function main() {
  const nginx = await startPrivateNginx();
  const homeBase = openTempDir('velopanel-bench-create-');
  const server = await spawnBenchServer<{ url: string; token: string }>(root, [
    ...FLAGS,
    path.join(root, 'test/bench/create-server.mjs'),
    JSON.stringify({ homeBase, nginx: nginx.pluginConfig }),
  ]);
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
    const concurrent: number[] = [];
    const wall: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now();
      concurrent.push(...(await Promise.all(Array.from({ length: CONCURRENT }, create))));
      wall.push(performance.now() - t);
    }
    const concurrentCpu = (cpu() - c0) / (ROUNDS * CONCURRENT);
    const peak = await peakRssMb(server.child.pid!);
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
    const result = {
      concurrent: CONCURRENT,
      rounds: ROUNDS,
      single_p50_ms: round(pct(single, 0.5)),
      single_p95_ms: round(pct(single, 0.95)),
      concurrent_p50_ms: round(p50),
      concurrent_p95_ms: round(pct(concurrent, 0.95)),
      concurrent_round_wall_ms: wall.map(round),
      // CPU the panel process spent per account (load on the machine inflates the times, not these).
      single_cpu_per_create_ms: round(singleCpu),
      concurrent_cpu_per_create_ms: round(concurrentCpu),
      import_cpu_per_account_ms: round(importCpu),
      idle_rss_mb: idle,
      peak_rss_mb: peak,
      peak_rss_after_import_mb: await peakRssMb(server.child.pid!),
      import_accounts: IMPORTED,
      import_ms: round(importMs),
      import_per_account_ms: Math.round((importMs / IMPORTED) * 10) / 10,
      target_p50_ms: 300,
      target_rss_mb: 150,
      ok: p50 < 300 && peak < 150,
    };
    report('create', result);
    return result;
  } finally {
    await server.stop();
    await nginx.stop();
    rmSync(homeBase, { recursive: true, force: true });
  }
}

it('creates accounts 10 at a time and reports p50 and peak RSS', async () => {
  await main();
});
