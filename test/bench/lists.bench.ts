// Benchmark: a page of 100 against the whole contract list, over HTTP, at 1,000 accounts (5,000
// domains) and 10,000 accounts (50,000 domains) inserted straight into the store. Figures, not
// assertions: p50/p99 per request and the answer's size; the ratios are full list / page. A
// reseller's domain page goes through the account directory (its account ids, then IN) and is
// reported apart from the admin's.
// Goals of issue 24: a page of 100 under 20 ms p99, the full list under 0.5 s.
// `npm run bench -- lists` keeps the one JSON line `main()` reports.
import { it } from 'vitest';
import { insertAccounts, insertDomains } from '../lists/rows.js';
import { startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { report } from './report.js';

const WARM_ROUNDS = 20;
const PAGE_ROUNDS = 200;
const FULL_ROUNDS = 10;
const DOMAINS_PER_ACCOUNT = 5;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** Time `rounds` GETs of the paths `pathFor(i)` gives; p50, p99 and the size of the last answer. */
async function time(
  h: HostingPanel,
  rounds: number,
  pathFor: (i: number) => string,
  as: 'admin' | 'reseller' = 'admin',
) {
  const ms: number[] = [];
  let bytes = 0;
  // Untimed first rounds: compiled validators, JIT and the page cache warm up before timing.
  for (let i = 0; i < Math.min(rounds, WARM_ROUNDS); i++)
    await (
      await fetch(h.panel.url + pathFor(i), { headers: { authorization: `Bearer ${h.panel.tokens[as]}` } })
    ).arrayBuffer();
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    const res = await fetch(h.panel.url + pathFor(i), { headers: { authorization: `Bearer ${h.panel.tokens[as]}` } });
    const body = await res.arrayBuffer();
    ms.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${pathFor(i)}: HTTP ${res.status}`);
    bytes = body.byteLength;
  }
  return { p50_ms: round(pct(ms, 0.5)), p99_ms: round(pct(ms, 0.99)), kb: Math.round(bytes / 1024) };
}

/** Pages of 100 at spread offsets, sorted and searched as the UI asks, against the full lists. */
async function measure(h: HostingPanel, accounts: number) {
  const offset = (i: number, n: number) => ((i * 7919) % Math.max(1, Math.floor(n / 100))) * 100;
  const accountPage = await time(
    h,
    PAGE_ROUNDS,
    (i) => `/api/accounts?limit=100&offset=${offset(i, accounts)}&sort=username`,
  );
  const accountSearch = await time(h, PAGE_ROUNDS, (i) => `/api/accounts?limit=100&q=bulk00${i % 10}&sort=-created_at`);
  const resellerPage = await time(
    h,
    PAGE_ROUNDS,
    (i) => `/api/accounts?limit=100&offset=${offset(i, accounts / 2)}`,
    'reseller',
  );
  const accountFull = await time(h, FULL_ROUNDS, () => '/api/accounts');
  const domains = accounts * DOMAINS_PER_ACCOUNT;
  const domainPage = await time(
    h,
    PAGE_ROUNDS,
    (i) => `/api/domains?limit=100&offset=${offset(i, domains)}&sort=domain_name`,
  );
  const resellerDomains = await time(
    h,
    PAGE_ROUNDS,
    (i) => `/api/domains?limit=100&offset=${offset(i, domains / 2)}`,
    'reseller',
  );
  const domainFull = await time(h, FULL_ROUNDS, () => '/api/domains');
  return {
    accounts,
    domains,
    account_page: accountPage,
    account_search: accountSearch,
    reseller_account_page: resellerPage,
    account_full: accountFull,
    domain_page: domainPage,
    reseller_domain_page: resellerDomains,
    domain_full: domainFull,
    account_full_vs_page_p50: round(accountFull.p50_ms / accountPage.p50_ms),
    domain_full_vs_page_p50: round(domainFull.p50_ms / domainPage.p50_ms),
  };
}

async function main() {
  const h = await startHostingPanel({ engine: 'nginx' });
  try {
    const knex = h.panel.kernel.knex;
    const seed = async (n: number, start: number) => {
      await insertAccounts(knex, n, { resellerId: 2, everyNth: 2, start });
      const rows = await knex('accounts_accounts')
        .select('id', 'username')
        .where('username', '>=', `bulk${String(start).padStart(5, '0')}`)
        .orderBy('id');
      await insertDomains(knex, rows, DOMAINS_PER_ACCOUNT);
    };
    await seed(1000, 0);
    const small = await measure(h, 1000);
    await seed(9000, 1000);
    const large = await measure(h, 10_000);
    const result = {
      at_1k: small,
      at_10k: large,
      goal: 'page of 100 under 20 ms p99, full list under 500 ms (issue 24)',
      page_p99_growth_1k_to_10k: round(large.account_page.p99_ms / small.account_page.p99_ms),
      full_p50_growth_1k_to_10k: round(large.account_full.p50_ms / small.account_full.p50_ms),
    };
    report('lists', result);
    return result;
  } finally {
    await h.stop();
  }
}

it('pages of 100 against full lists at 1,000 and 10,000 accounts', async () => {
  await main();
});
