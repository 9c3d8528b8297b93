// Benchmark (issue 24, hosting scale): what one item costs as the server grows, in one run, at
// 20 accounts (100 domains, the baseline), 1,000 (5,000) and 10,000 accounts (50,000 domains):
// a page of the account and domain lists, adding and removing a domain (one at a time, and 20 at
// once, which share batches), a 5-byte file write in a home of 100 files and in one of 20,000,
// and a restart (stop, start on the same data, until the start-up reconciliation is done); RSS at
// each size. VeloServe engine (the default): every domain is in its one main file. The VeloServe
// binary is not installed here, so its own config test and reload are not in the figures (the
// panel's schema check of the whole file is). Rows go straight into the store and one regenerate
// writes their vhosts, as a server that grew there would have them.
// Figures, not assertions. `npm run bench -- scale` keeps the one JSON line `main()` reports.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { fileUsage } from '../../plugins/files/usage.js';
import { openTempDir, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { peakRssMb, report, rssMb } from './report.js';
import { DOMAINS_PER_ACCOUNT, idOf, seed } from './scale-seed.js';

// VELOPANEL_SCALE_SIZES=20,100,500 for a quick dry run of the bench itself.
const SIZES = (process.env.VELOPANEL_SCALE_SIZES ?? '20,1000,10000').split(',').map(Number);
const ROUNDS = 20;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** `n` files in a home (the quota check of a write used to walk them all). */
function fill(home: string, n: number): void {
  const dir = path.join(home, 'many');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `f${i}.txt`), 'x');
}

async function timed(fn: (i: number) => Promise<void>, rounds = ROUNDS): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  return ms;
}

async function ok(h: HostingPanel, method: string, route: string, body?: unknown): Promise<any> {
  const send = () => h.panel.request(method as 'GET', route, body === undefined ? {} : { body });
  // After a restart the client may still hold a keep-alive socket to the stopped panel: once more.
  const res = await send().catch(send);
  if (res.status !== 200) throw new Error(`${method} ${route}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

async function measure(h: HostingPanel, accounts: number, tag: string) {
  // The start-up walk of every home (the usage counters) finishes first, so it does not share the CPU with the timings.
  await h.panel.kernel.services.find(fileUsage)!.correct();
  const ids = [await idOf(h, 0), await idOf(h, 1), await idOf(h, accounts - 1)];
  const list = await timed(async (i) => {
    await ok(h, 'GET', `/api/${i % 2 ? 'domains' : 'accounts'}?limit=100&offset=${(i * 100) % accounts}`);
  });
  const added: number[] = [];
  const add = await timed(async (i) => {
    added.push(
      (
        await ok(h, 'POST', '/api/domains', {
          account_id: ids[i % 3],
          domain_name: `a${i}.${tag}.test`,
          domain_type: 'addon',
        })
      ).id,
    );
  });
  const remove = await timed(async (i) => {
    await ok(h, 'DELETE', `/api/domains/${added[i]}`);
  });
  // 20 adds at once: they share batches (one main-file rebuild per batch); time per domain.
  const t = performance.now();
  const many = await Promise.all(
    Array.from({ length: ROUNDS }, (_, i) =>
      ok(h, 'POST', '/api/domains', { account_id: ids[i % 3], domain_name: `c${i}.${tag}.test`, domain_type: 'addon' }),
    ),
  );
  const concurrentAdd = (performance.now() - t) / ROUNDS;
  for (const d of many) await ok(h, 'DELETE', `/api/domains/${d.id}`);
  const write = async (account: number, rounds: number) => {
    await ok(h, 'POST', '/api/files/write', { account_id: account, path: '/public_html/warm.txt', content: 'hello' });
    return timed(async (i) => {
      await ok(h, 'POST', '/api/files/write', {
        account_id: account,
        path: `/public_html/w${i}.txt`,
        content: 'hello',
      });
    }, rounds);
  };
  return {
    list_page_p50_ms: round(p50(list)),
    add_domain_p50_ms: round(p50(add)),
    remove_domain_p50_ms: round(p50(remove)),
    add_domain_concurrent_per_item_ms: round(concurrentAdd),
    write_5b_home_100_files_p50_ms: round(p50(await write(ids[1]!, ROUNDS))),
    write_5b_home_20000_files_p50_ms: round(p50(await write(ids[0]!, ROUNDS))),
  };
}

async function main() {
  const dataDir = openTempDir('velopanel-scale-data-');
  const homeBase = openTempDir('velopanel-scale-homes-');
  const start = () =>
    startHostingPanel({ engine: 'veloserve', homeBase, config: { data_dir: dataDir }, extra: ['files'] });
  let h = await start();
  const figures: Record<string, any> = {};
  try {
    let seeded = 0;
    for (const n of SIZES) {
      await seed(h, seeded, n);
      if (seeded === 0) {
        fill(path.join(homeBase, 'scale0'), 20_000);
        fill(path.join(homeBase, 'scale1'), 100);
      }
      seeded = n;
      const f: Record<string, unknown> = await measure(h, n, `s${n}`);
      await h.stop();
      const t = performance.now();
      h = await start();
      f.restart_ms = Math.round(performance.now() - t);
      f.rss_mb = await rssMb();
      f.peak_rss_mb = await peakRssMb();
      figures[`at_${n}`] = { accounts: n, domains: n * DOMAINS_PER_ACCOUNT, ...f };
    }
  } finally {
    await h.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(homeBase, { recursive: true, force: true });
  }
  const [k0, k1, k10] = SIZES.map((n) => figures[`at_${n}`]);
  const ratio = (k: string) => round(k10[k] / k1[k]);
  const result = {
    ...figures,
    growth_last_vs_middle: Object.fromEntries(
      [
        'list_page_p50_ms',
        'add_domain_p50_ms',
        'remove_domain_p50_ms',
        'add_domain_concurrent_per_item_ms',
        'write_5b_home_20000_files_p50_ms',
        'restart_ms',
        'rss_mb',
      ].map((k) => [k, ratio(k)]),
    ),
    add_domain_largest_vs_smallest: round(k10.add_domain_p50_ms / k0.add_domain_p50_ms),
    goal: 'adding or removing a domain at 50,000 domains within 2x of adding one at 100; a write not walking the home (issue 24)',
  };
  report('scale', result);
  return result;
}

it('costs per item at 100, 5,000 and 50,000 domains', async () => {
  await main();
});
