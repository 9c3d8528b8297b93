// `velopanel plans …` and `velopanel accounts plan` against a running panel: create with limits,
// list as a table and JSON, change one (following the re-apply job), move an account onto it, a
// refused value named by the API, and delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

describe('velopanel plans', () => {
  let h: HostingPanel;
  const home = tempHome();
  const as = (role: 'admin' | 'reseller' | 'user', args: string[]) =>
    velopanel(['--url', h.panel.url, '--token', h.panel.tokens[role], ...args], { home });
  beforeAll(async () => {
    buildOnce();
    h = await startHostingPanel({ engine: 'veloserve' });
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('creates a plan with limits and lists it', async () => {
    const made = await as('admin', [
      'plans',
      'create',
      'gold',
      '--disk',
      '2000',
      '--bandwidth',
      '50000',
      '--max-domains',
      '5',
      '--php-modes',
      'fpm,cgi',
    ]);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(made.stdout).toMatch(/^Created plan \d+ 'gold'\.\n$/);
    const listed = await as('admin', ['plans', 'list']);
    const [header, ...rows] = listed.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+DISK\s+DOMAINS\s+DATABASES\s+CPU%\s+MEMORY\s+PHP\s+ACCOUNTS$/);
    expect(
      rows.some((r) => /^\s*\d+\s+gold\s+2000 MB\s+5\s+unlimited\s+unlimited\s+unlimited\s+cgi,fpm\s+0$/.test(r)),
    ).toBe(true);
    const json = JSON.parse((await as('admin', ['plans', 'list', '--json'])).stdout);
    expect(json.map((p: any) => p.name)).toEqual(['free', 'pro', 'business', 'gold']);
  });

  it('names a refused value and changes nothing', async () => {
    const bad = await as('admin', ['plans', 'set', 'gold', '--memory', 'lots']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('memory_mb: must be a whole number from 1 to 100000000, or null (unlimited)');
    expect((await as('user', ['plans', 'create', 'mine', '--disk', '1', '--bandwidth', '1'])).code).not.toBe(0);
  });

  it('moves an account onto the plan and changes the plan, following its job', async () => {
    const a = (await h.panel.request('POST', '/api/accounts', { body: accountBody() })).body.data;
    const moved = await as('admin', ['accounts', 'plan', a.username, 'gold']);
    expect(moved).toMatchObject({ code: 0 });
    expect(moved.stdout).toBe(`Account ${a.id} '${a.username}' is on plan gold (2000 MB disk).\n`);
    const set = await as('admin', ['plans', 'set', 'gold', '--disk', '2500', '--max-domains', 'unlimited', '--json']);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      name: 'gold',
      disk_quota_mb: 2500,
      max_domains: null,
      accounts: 1,
      job: { state: 'succeeded', progress: 100 },
    });
    expect((await h.panel.request('GET', `/api/accounts/${a.id}`)).body.data.disk_quota_mb).toBe(2500);
    expect((await as('admin', ['plans', 'delete', 'gold', '--yes'])).code).not.toBe(0);
    expect((await as('admin', ['accounts', 'plan', String(a.id), 'free'])).code).toBe(0);
    const deleted = await as('admin', ['plans', 'delete', 'gold', '--yes']);
    expect(deleted).toMatchObject({ code: 0 });
    expect(deleted.stdout).toMatch(/^Deleted plan \d+ 'gold'\.\n$/);
  });
});
