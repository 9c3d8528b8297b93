import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { cpuMs, report, rssMb } from './report.js';
import { panelRuntimeEnv, spawnBenchServer } from './runtime-env.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3;
const CONNECTIONS = 50;
const root = path.resolve(import.meta.dirname, '../..');

interface Round {
  rps: number;
  p99: number;
  errors: number;
  /** The server's CPU time per request answered (µs): steadier than rps on a shared machine. */
  cpuUs: number;
}

// The load generator is a process of its own, like each server.
async function load(url: string, headers: Record<string, string>, serverPid: number): Promise<Round> {
  const cpuBefore = cpuMs(serverPid);
  const args = [
    path.join(root, 'node_modules/autocannon/autocannon.js'),
    '--json',
    '-c',
    String(CONNECTIONS),
    '-d',
    String(SECONDS),
  ];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  const child = spawn(process.execPath, [...args, url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.once('exit', r));
  const r = JSON.parse(out);
  const cpuUs = Math.round(((cpuMs(serverPid) - cpuBefore) * 10_000) / Math.max(1, r.requests.total)) / 10;
  return { rps: Math.round(r.requests.average), p99: r.latency.p99, errors: r.errors + r.non2xx, cpuUs };
}

/** The middle element by `key` (ROUNDS is odd). */
function medianBy<T>(xs: T[], key: (x: T) => number): T {
  return [...xs].sort((a, b) => key(a) - key(b))[xs.length >> 1]!;
}

async function coldStart(): Promise<{ ms: number; rss_mb: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-cold-'));
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'dist/core/main.js')], {
    env: {
      ...process.env,
      ...panelRuntimeEnv(root),
      VELOPANEL_PORT: '0',
      VELOPANEL_HOST: '127.0.0.1',
      VELOPANEL_DATA_DIR: dataDir,
      VELOPANEL_CONFIG: path.join(root, 'test/fixtures/no-managed-services.toml'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let ms = 0;
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (/plugins loaded/.test(buf) && !ms) {
        ms = Math.round(performance.now() - started);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`panel exited ${code}: ${buf}`)));
  });
  await new Promise((r) => setTimeout(r, 1500));
  const rss = await rssMb(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  return { ms, rss_mb: rss };
}

/** Start one of test/bench/http-servers.mjs's servers with production's runtime env. */
function server(args: string[]) {
  return spawnBenchServer<{ url: string; token?: string }>(root, [
    path.join(root, 'test/bench/http-servers.mjs'),
    ...args,
  ]);
}

it('full kernel path vs bare node:http, cold start and idle RSS', async () => {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], { stdio: 'inherit', cwd: root });
  const panel = await server(['kernel']);
  const auth = { authorization: `Bearer ${panel.token}` };
  const first = await fetch(panel.url, { headers: auth });
  expect(first.status).toBe(200);
  const work = mkdtempSync(path.join(os.tmpdir(), 'velopanel-http-bench-'));
  writeFileSync(path.join(work, 'body.json'), Buffer.from(await first.text()));
  const bare = await server(['bare', path.join(work, 'body.json')]);
  // A second reference: bare node:http that serialises the same object per request and sends a
  // fresh request id — what no JSON API can skip. Beside the target ratio it shows how much of
  // the gap is the kernel's own path and how much is producing JSON at all.
  const json = await server(['json', path.join(work, 'body.json')]);
  // Every server gets the same request (the token included) and answers the same bytes, so the
  // difference is the work behind them. A first round of each, not counted: every server's code
  // is optimised before it is measured.
  const servers = [bare, json, panel];
  for (const s of servers) await load(s.url, auth, s.child.pid!);
  // Rounds in rotating order, medians of each side: load drifting on a shared machine hits all.
  const runs: Round[][] = servers.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < servers.length; i++) {
      const k = (i + r) % servers.length;
      runs[k]!.push(await load(servers[k]!.url, auth, servers[k]!.child.pid!));
    }
  }
  const [bareRuns, jsonRuns, kernelRuns] = runs as [Round[], Round[], Round[]];
  for (const s of servers) await s.stop();
  rmSync(work, { recursive: true, force: true });
  const baseline = medianBy(bareRuns, (x) => x.rps);
  const kernel = medianBy(kernelRuns, (x) => x.rps);
  const jsonBare = medianBy(jsonRuns, (x) => x.rps);
  const bareCpu = medianBy(bareRuns, (x) => x.cpuUs).cpuUs;
  const jsonCpu = medianBy(jsonRuns, (x) => x.cpuUs).cpuUs;
  const kernelCpu = medianBy(kernelRuns, (x) => x.cpuUs).cpuUs;
  const colds: Awaited<ReturnType<typeof coldStart>>[] = [];
  for (let r = 0; r < ROUNDS; r++) colds.push(await coldStart());
  const cold = { ms: medianBy(colds, (c) => c.ms).ms, rss_mb: medianBy(colds, (c) => c.rss_mb).rss_mb };
  expect(kernelRuns.every((k) => k.errors === 0)).toBe(true);
  report('http', {
    connections: CONNECTIONS,
    seconds: SECONDS,
    bare_rps: baseline.rps,
    bare_p99_ms: baseline.p99,
    kernel_rps: kernel.rps,
    kernel_p99_ms: kernel.p99,
    ratio: Math.round((kernel.rps / baseline.rps) * 100) / 100,
    target_ratio: 0.7,
    bare_rps_rounds: bareRuns.map((x) => x.rps),
    kernel_rps_rounds: kernelRuns.map((x) => x.rps),
    // Server CPU per request: the kernel's own cost, unaffected by how the load generator fares.
    bare_cpu_us_per_request: bareCpu,
    kernel_cpu_us_per_request: kernelCpu,
    cpu_ratio: Math.round((bareCpu / kernelCpu) * 100) / 100,
    json_bare_rps: jsonBare.rps,
    json_bare_rps_rounds: jsonRuns.map((x) => x.rps),
    json_bare_cpu_us_per_request: jsonCpu,
    kernel_vs_json_bare: Math.round((kernel.rps / jsonBare.rps) * 100) / 100,
    json_bare_vs_bare: Math.round((jsonBare.rps / baseline.rps) * 100) / 100,
    cold_start_ms: cold.ms,
    cold_start_target_ms: 1000,
    idle_rss_mb: cold.rss_mb,
    idle_rss_target_mb: 90,
    cold_start_rounds: colds.map((c) => [c.ms, c.rss_mb]),
  });
});
