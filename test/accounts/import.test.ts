// Bulk import (`POST /api/accounts/import`, issue 24): hundreds of accounts as one job with ONE
// config test and ONE web-server reload for the whole batch; every row is checked before anything
// is made (a 400 names each bad row, nothing is created); reseller caps hold for the batch; a row
// failing during the job (a plugin's veto) is reported alone and the rest are made. VeloServe's
// CLI is a stand-in script (its contract) that logs each config test and each reload; a private
// nginx then serves every imported account as soon as the import answers.
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../sdk/index.js';
import { openTempDir, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { getVia } from '../webserver/private-nginx.js';

const veto = definePlugin({
  manifest: { id: 'importveto', version: '1.0.0', sdk: '^1.0.0', dependencies: ['accounts'] },
  start(ctx) {
    ctx.hooks.before('account.create', ({ account }) =>
      account.username.startsWith('vetoed') ? { veto: 'this name is on a block list' } : undefined,
    );
  },
});

describe('account import', () => {
  let h: HostingPanel;
  let dir: string;
  const main = () => path.join(dir, 'veloserve.toml');
  const hosts = () => new Set([...readFileSync(main(), 'utf8').matchAll(/^domain = "([^"]+)"/gm)].map((m) => m[1]));
  const logged = (what: 'test' | 'reload') =>
    existsSync(path.join(dir, what))
      ? readFileSync(path.join(dir, what), 'utf8').split('\n').filter(Boolean).length
      : 0;
  const counts = () => ({ tests: logged('test'), reloads: logged('reload') });
  const accounts = async () => (await h.panel.request('GET', '/api/accounts')).body.data as any[];
  const rows = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      username: `${prefix}${i}`,
      domain: `${prefix}${i}.example.test`,
      email: `${prefix}${i}@example.com`,
      password: `Import-Pass-${i}`,
    }));

  beforeAll(async () => {
    dir = openTempDir('velopanel-import-');
    const cli = path.join(dir, 'veloserve');
    writeFileSync(
      cli,
      `#!/bin/sh
if [ "$1" = "--version" ]; then echo "veloserve 1.4.2"; exit 0; fi
if [ "$3" = "config" ] && [ "$4" = "test" ]; then echo test >> "${dir}/test"; exit 0; fi
if [ "$3" = "config" ] && [ "$4" = "reload" ]; then echo reload >> "${dir}/reload"; exit 0; fi
exit 2
`,
    );
    chmodSync(cli, 0o755);
    writeFileSync(path.join(dir, 'veloserve.pid'), `${process.pid}\n`);
    h = await startHostingPanel({
      engine: 'veloserve',
      inline: [veto],
      config: { veloserve_config_path: main() },
      plugins: { veloserve: { binary: cli, pid_file: path.join(dir, 'veloserve.pid') } },
    });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates 200 accounts with one config test and one reload, every one usable', async () => {
    const before = counts();
    const res = await h.panel.request('POST', '/api/accounts/import', { body: { accounts: rows('bulk', 200) } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'ok', failed: [], reloaded: true });
    expect(res.body.data.created).toHaveLength(200);
    expect(counts()).toEqual({ tests: before.tests + 1, reloads: before.reloads + 1 });
    const job = (await h.panel.request('GET', `/api/jobs/${res.body.data.job_id}`)).body.data;
    expect(job).toMatchObject({ kind: 'accounts.import', state: 'succeeded', progress: 100 });
    const made = (await accounts()).filter((a) => a.username.startsWith('bulk'));
    expect(made).toHaveLength(200);
    expect(made.every((a) => a.status === 'active' && a.plan === 'free')).toBe(true);
    const served = hosts();
    for (let i = 0; i < 200; i++) {
      expect(served.has(`bulk${i}.example.test`)).toBe(true);
      expect(existsSync(path.join(h.homeBase, `bulk${i}`, 'public_html'))).toBe(true);
    }
    for (const i of [0, 117, 199]) {
      const login = await h.panel.request('POST', '/api/auth/login', {
        body: { username: `bulk${i}`, password: `Import-Pass-${i}` },
        as: 'anon',
      });
      expect(login.status).toBe(200);
    }
  }, 180_000);

  it('refuses a file with bad rows with a 400 naming each of them, and creates nothing', async () => {
    const before = { ...counts(), accounts: (await accounts()).length, homes: readdirSync(h.homeBase).length };
    const good = rows('fine', 3);
    const res = await h.panel.request('POST', '/api/accounts/import', {
      body: {
        accounts: [
          ...good,
          { ...rows('x', 1)[0], username: 'Bad Name' },
          { ...rows('dupe', 1)[0], domain: 'fine0.example.test' },
          { ...rows('taken', 1)[0], domain: 'bulk5.example.test' },
          { ...rows('nested', 1)[0], domain: 'shop.fine1.example.test' },
          { ...rows('short', 1)[0], password: 'short' },
          { username: 'nomail', domain: 'nomail.test', password: 'Import-Pass-0' },
          { ...rows('bulk', 1)[0] },
          { ...rows('noplan', 1)[0], plan: 'platinum' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(
      'Import refused, nothing was created: 8 of 11 rows have problems: ' +
        'row 4: username: must be 3–16 alphanumeric characters, lowercase, starting with a letter; ' +
        'row 5: domain: fine0.example.test is also in row 1; ' +
        'row 6: Domain bulk5.example.test already exists on this server; ' +
        'row 7: domain: shop.fine1.example.test is under fine1.example.test of row 2; ' +
        'row 8: password: must be 8–128 characters without control characters; ' +
        'row 9: email: is required; ' +
        "row 10: Account 'bulk0' already exists; " +
        'row 11: plan: must be free, pro or business',
    );
    expect({ ...counts(), accounts: (await accounts()).length, homes: readdirSync(h.homeBase).length }).toEqual(before);
  });

  it("holds a reseller's account cap for the whole batch, and makes the batch the reseller owns", async () => {
    const resellerId = (await h.panel.kernel.users!.findByUsername('panel-reseller'))!.id;
    expect((await h.panel.request('PATCH', `/api/resellers/${resellerId}`, { body: { max_accounts: 3 } })).status).toBe(
      200,
    );
    const before = (await accounts()).length;
    const over = await h.panel.request('POST', '/api/accounts/import', {
      body: { accounts: rows('capped', 4) },
      as: 'reseller',
    });
    expect({ status: over.status, error: over.body.error }).toEqual({
      status: 403,
      error: 'Reseller account limit reached: 0 + 4 imported would pass 3.',
    });
    expect((await accounts()).length).toBe(before);
    const ok = await h.panel.request('POST', '/api/accounts/import', {
      body: { accounts: rows('capped', 3) },
      as: 'reseller',
    });
    expect(ok.body.data).toMatchObject({ status: 'ok' });
    const mine = (await h.panel.request('GET', '/api/accounts', { as: 'reseller' })).body.data
      .map((a: any) => a.username)
      .sort();
    expect(mine).toEqual(['capped0', 'capped1', 'capped2']);
  });

  it('reports a row vetoed during the job by its number, makes the others, still with one reload', async () => {
    const before = counts();
    const res = await h.panel.request('POST', '/api/accounts/import', {
      body: { accounts: [...rows('after', 2), ...rows('vetoed', 1), ...rows('later', 2)] },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      status: 'partial',
      failed: [{ row: 3, username: 'vetoed0', error: "Refused by plugin 'importveto': this name is on a block list" }],
    });
    expect(res.body.data.created.map((c: any) => c.row)).toEqual([1, 2, 4, 5]);
    expect(counts()).toEqual({ tests: before.tests + 1, reloads: before.reloads + 1 });
    expect(existsSync(path.join(h.homeBase, 'vetoed0'))).toBe(false);
  });
});

describe('account import through nginx', () => {
  let h: HostingPanel;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('serves every imported account at once when the import answers', async () => {
    const accounts = Array.from({ length: 12 }, (_, i) => ({
      username: `served${i}`,
      domain: `served${i}.test`,
      email: `s${i}@example.com`,
      password: `Served-Pass-${i}`,
    }));
    const res = await h.panel.request('POST', '/api/accounts/import', { body: { accounts } });
    expect(res.body.data).toMatchObject({ status: 'ok', reloaded: true });
    for (const a of accounts) {
      const page = await getVia(h.nginx!.port, a.domain);
      expect(page.status).toBe(200);
      expect(page.body).toContain(`<h1>${a.domain}</h1>`);
    }
  });
});
