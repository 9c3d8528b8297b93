// Benchmark: regenerate 10,000 domains through the nginx engine (render, compare, temp + rename,
// `nginx -t`, reload of a real private nginx) against writing the same bytes with writeFileSync in
// the same run; an unchanged regenerate must rewrite nothing; account creation p50 in local mode
// with nginx reloads. `main()` prints one JSON line with the figures and the ratio to the baseline.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

async function hostingPanel(nginx: PrivateNginx, homeBase: string): Promise<TestPanel> {
  const panel = await startTestPanel({
    plugins: ['accounts', 'domains', 'nginx'],
    config: { home_base: homeBase, plugins: { domains: { engine: 'nginx' }, nginx: nginx.pluginConfig } } as never,
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
    const panel = await hostingPanel(nginx, homeBase);
    panels.push(panel);
    await seed(panel, homeBase);
    const regen: number[] = [];
    const write: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      clear(nginx.sitesDir);
      let t = performance.now();
      const res = await panel.request('POST', '/api/veloserve/regenerate');
      regen.push(performance.now() - t);
      if (res.body.data?.changed !== DOMAINS) throw new Error(`regenerate wrote ${JSON.stringify(res.body)}`);
      const files = readdirSync(nginx.sitesDir).map((f) => [f, readFileSync(path.join(nginx.sitesDir, f))] as const);
      clear(baselineDir);
      t = performance.now();
      for (const [f, bytes] of files) writeFileSync(path.join(baselineDir, f), bytes);
      write.push(performance.now() - t);
    }
    const mtimes = () => readdirSync(nginx.sitesDir).map((f) => statSync(path.join(nginx.sitesDir, f)).mtimeMs);
    const before = mtimes();
    let t = performance.now();
    const unchanged = await panel.request('POST', '/api/veloserve/regenerate');
    const unchangedMs = performance.now() - t;
    if (unchanged.body.data?.changed !== 0) throw new Error(`unchanged regenerate wrote ${JSON.stringify(unchanged.body)}`);
    const after = mtimes();
    const rewritten = after.filter((m, i) => m !== before[i]).length;
    await panel.stop();
    panels.pop();

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
      ratio: Math.round(ratio * 100) / 100, target_ratio: TARGET_RATIO, unchanged_regenerate_ms: round(unchangedMs), unchanged_rewritten_files: rewritten,
      account_create_p50_ms: round(median(creates)), account_create_p95_ms: round(pct(creates, 0.95)),
      ok: ratio <= TARGET_RATIO && rewritten === 0 && unchangedMs < 500,
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
