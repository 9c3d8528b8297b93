// Benchmark: regenerate 10,000 domains through the nginx engine (database → specs → render →
// compare → temp file + rename per domain) against writing the same bytes with writeFileSync in
// the same run. nginx's own `-t` and reload of 10,000 server blocks are timed separately (they do
// not depend on how the panel writes); an unchanged regenerate must rewrite nothing; account
// creation p50 in local mode with real nginx reloads. `main()` prints one JSON line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { waitForNewWorkers } from '../../plugins/nginx/process.js';
import { childPids, domainDirectory, readPid } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { openTempDir, waitReconciled } from '../webserver/helpers.js';
import { startPrivateNginx, type PrivateNginx } from '../webserver/private-nginx.js';

const DOMAINS = 10_000;
const PER_ACCOUNT = 10;
const ROUNDS = 3;
const TARGET_RATIO = 1.5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** `serverCommands: false` swaps nginx's test and reload for no-ops, to time the panel's own work. */
async function hostingPanel(nginx: PrivateNginx, homeBase: string, serverCommands = true): Promise<TestPanel> {
  const quiet = serverCommands ? {} : { test_command: ['/bin/true'], reload_command: ['/bin/true'], reload_wait_ms: 0 };
  const panel = await startTestPanel({
    plugins: ['accounts', 'domains', 'nginx'],
    config: { home_base: homeBase, plugins: { domains: { engine: 'nginx' }, nginx: { ...nginx.pluginConfig, ...quiet } } } as never,
  });
  await waitReconciled(panel);
  return panel;
}

/** 1,000 accounts with 10 domains each, inserted straight into the store. */
async function seed(panel: TestPanel, homeBase: string): Promise<void> {
  const knex = panel.kernel.knex;
  const stamp = '2026-01-01 00:00:00';
  const accounts = Array.from({ length: DOMAINS / PER_ACCOUNT }, (_, i) => ({
    username: `bench${i}`, primary_domain: `bench${i}.test`, email: `b${i}@example.com`, plan: 'free', status: 'active',
    home_dir: path.join(homeBase, `bench${i}`), disk_quota_mb: 500, bandwidth_quota_mb: 10000, disk_used_mb: 0, created_at: stamp, updated_at: stamp,
  }));
  await knex.batchInsert('accounts_accounts', accounts, 500);
  const ids = await knex('accounts_accounts').select('id', 'username', 'home_dir');
  const domains = ids.flatMap((a: any, i: number) => Array.from({ length: PER_ACCOUNT }, (_, j) => ({
    account_id: a.id, domain_name: j === 0 ? `bench${i}.test` : `d${j}.bench${i}.test`, domain_type: j === 0 ? 'primary' : 'subdomain',
    document_root: j === 0 ? `${a.home_dir}/public_html` : `${a.home_dir}/d${j}.bench${i}.test`, alias_of: null, created_at: stamp,
  })));
  await knex.batchInsert('domains_domains', domains, 500);
}

function clear(dir: string): void {
  for (const f of readdirSync(dir)) rmSync(path.join(dir, f), { force: true });
}

export interface RegenerateBenchResult {
  bench: 'regenerate';
  engine: 'nginx';
  domains: number;
  regenerate_ms: number;
  write_baseline_ms: number;
  ratio: number;
  target_ratio: number;
  /** nginx's own work on the 10,000 server blocks (same whatever the panel does). */
  nginx_test_ms: number;
  nginx_reload_ms: number;
  /** First unchanged regenerate (reads every file) and the steady state (a stat per unchanged file). */
  unchanged_first_ms: number;
  unchanged_regenerate_ms: number;
  unchanged_rewritten_files: number;
  account_create_p50_ms: number;
  account_create_p95_ms: number;
  ok: boolean;
}

export async function main(): Promise<RegenerateBenchResult> {
  const nginx = await startPrivateNginx();
  const homeBase = openTempDir('velopanel-bench-homes-');
  const baselineDir = openTempDir('velopanel-bench-baseline-');
  const panels: TestPanel[] = [];
  try {
    const panel = await hostingPanel(nginx, homeBase, false);
    panels.push(panel);
    await seed(panel, homeBase);
    // The service itself, not HTTP: what is timed is the regeneration, not a request.
    const domains = panel.kernel.services.find(domainDirectory)!;
    const regen: number[] = [];
    const write: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      clear(nginx.sitesDir);
      let t = performance.now();
      const res = await domains.regenerate();
      regen.push(performance.now() - t);
      if (res.changed !== DOMAINS) throw new Error(`regenerate wrote ${JSON.stringify(res)}`);
      const files = readdirSync(nginx.sitesDir).map((f) => [f, readFileSync(path.join(nginx.sitesDir, f))] as const);
      clear(baselineDir);
      t = performance.now();
      for (const [f, bytes] of files) writeFileSync(path.join(baselineDir, f), bytes);
      write.push(performance.now() - t);
    }
    const mtimes = () => readdirSync(nginx.sitesDir).map((f) => statSync(path.join(nginx.sitesDir, f)).mtimeMs);
    const before = mtimes();
    const unchanged: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now();
      const res = await domains.regenerate();
      unchanged.push(performance.now() - t);
      if (res.changed !== 0) throw new Error(`unchanged regenerate wrote ${JSON.stringify(res)}`);
    }
    const rewritten = mtimes().filter((m, i) => m !== before[i]).length;
    await panel.stop();
    panels.pop();

    const base = ['-p', nginx.dir, '-c', String(nginx.pluginConfig.conf)];
    let t = performance.now();
    execFileSync('/usr/sbin/nginx', [...base, '-t', '-q']);
    const nginxTest = performance.now() - t;
    const master = readPid(path.join(nginx.dir, 'nginx.pid'))!;
    const workers = childPids(master);
    t = performance.now();
    execFileSync('/usr/sbin/nginx', [...base, '-s', 'reload'], { stdio: 'ignore' });
    if (!(await waitForNewWorkers(master, workers, 300_000))) throw new Error('nginx did not reload the 10,000 server blocks');
    const nginxReload = performance.now() - t;

    clear(nginx.sitesDir);
    mkdirSync(path.join(homeBase, 'fresh'), { mode: 0o755 });
    const fresh = await hostingPanel(nginx, path.join(homeBase, 'fresh'));
    panels.push(fresh);
    const creates: number[] = [];
    for (let i = 0; i < 21; i++) {
      t = performance.now();
      const res = await fresh.request('POST', '/api/accounts', { body: { username: `p${i}bench`, domain: `p${i}.bench.test`, email: 'p@example.com', password: 'BenchPass123', plan: 'free' } });
      creates.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
    }
    const ratio = median(regen) / median(write);
    return {
      bench: 'regenerate', engine: 'nginx', domains: DOMAINS, regenerate_ms: round(median(regen)), write_baseline_ms: round(median(write)),
      ratio: Math.round(ratio * 100) / 100, target_ratio: TARGET_RATIO, nginx_test_ms: round(nginxTest), nginx_reload_ms: round(nginxReload),
      unchanged_first_ms: round(unchanged[0]!), unchanged_regenerate_ms: round(median(unchanged.slice(1))), unchanged_rewritten_files: rewritten,
      account_create_p50_ms: round(median(creates)), account_create_p95_ms: round(pct(creates, 0.95)),
      ok: ratio <= TARGET_RATIO && rewritten === 0 && median(unchanged.slice(1)) < 500,
    };
  } finally {
    for (const p of panels) await p.stop().catch(() => undefined);
    await nginx.stop();
    rmSync(homeBase, { recursive: true, force: true });
    rmSync(baselineDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((r) => console.log(JSON.stringify(r)), (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
