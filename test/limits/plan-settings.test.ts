// Plans made through /api/plans carry the settings that otherwise come from other plugins'
// `<plan>_*` keys (`free`'s for such a plan): shell, max cron jobs, max DNS records and PHP workers.
// Bad values are a 400 naming the field; a reseller may set them only where the ceiling plan does,
// and never above it; the dns plugin enforces a plan's max_dns_records with its usual 403, where
// the `free` key alone would have let the records in. (Cron: plan-settings-linux.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { startDnsPanel, type DnsPanel } from '../dns/stack.js';

const bed = useServices('pdns');

describe.skipIf(bed.skip)('plan settings of other plugins', () => {
  let s: DnsPanel;
  const zone = 'plan-settings.test';
  const plan = { name: 'tiny', disk_quota_mb: 100, bandwidth_quota_mb: 100 };
  beforeAll(async () => {
    s = await startDnsPanel(bed.pdns, {
      dns: { record_limits: { free: 1000, pro: 1000, business: 1000 } },
      accounts: { business_cpu_percent: 100, business_memory_mb: 512 },
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('takes and answers the fields, null by default (the plugin key)', async () => {
    const made = await s.api('POST', '/api/plans', { ...plan, name: 'plain' });
    expect(made.body.data).toMatchObject({
      shell: null,
      max_cron_jobs: null,
      max_dns_records: null,
      php_workers: null,
    });
    const set = await s.api('POST', '/api/plans', {
      ...plan,
      shell: 'sftp-only',
      max_cron_jobs: 2,
      max_dns_records: 50,
      php_workers: 4,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.data).toMatchObject({
      name: 'tiny',
      shell: 'sftp-only',
      max_cron_jobs: 2,
      max_dns_records: 50,
      php_workers: 4,
    });
    const free = (await s.api('GET', '/api/plans')).body.data.find((p: any) => p.name === 'free');
    expect(free).toMatchObject({ shell: null, max_cron_jobs: null, max_dns_records: null, php_workers: null });
  });

  it('names the field for bad values and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [
        { ...plan, name: 'bad', shell: 'bash' },
        "shell: must be nologin, sftp-only or full, or null (the access plugin's setting)",
      ],
      [
        { ...plan, name: 'bad', max_cron_jobs: -1 },
        "max_cron_jobs: must be a whole number from 0 to 1000, or null (the access plugin's setting)",
      ],
      [
        { ...plan, name: 'bad', max_dns_records: 1.5 },
        "max_dns_records: must be a whole number from 0 to 1000000, or null (the dns plugin's setting)",
      ],
      [
        { ...plan, name: 'bad', php_workers: 0 },
        "php_workers: must be a whole number from 1 to 1000, or null (the php plugin's setting)",
      ],
    ];
    for (const [body, error] of cases) {
      const res = await s.api('POST', '/api/plans', body);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error });
    }
    expect((await s.api('GET', '/api/plans')).body.data.map((p: any) => p.name)).not.toContain('bad');
  });

  it("bounds a reseller's plan by the ceiling plan's settings", async () => {
    const body = { ...plan, name: 'resold', cpu_percent: 50, memory_mb: 256, max_cron_jobs: 10 };
    const unset = await s.api('POST', '/api/plans', body, 'reseller');
    expect({ status: unset.status, error: unset.body.error }).toEqual({
      status: 403,
      error:
        'max_cron_jobs: resellers may set it only where the business plan sets it (reseller_plan_ceiling); leave it null',
    });
    const business = (await s.api('GET', '/api/plans')).body.data.find((p: any) => p.name === 'business');
    expect((await s.api('PATCH', `/api/plans/${business.id}`, { max_cron_jobs: 5, shell: 'sftp-only' })).status).toBe(
      200,
    );
    const over = await s.api('POST', '/api/plans', body, 'reseller');
    expect({ status: over.status, error: over.body.error }).toEqual({
      status: 403,
      error: "max_cron_jobs: 10 exceeds what resellers may offer (5, the business plan's)",
    });
    const shell = await s.api('POST', '/api/plans', { ...body, max_cron_jobs: 5, shell: 'full' }, 'reseller');
    expect({ status: shell.status, error: shell.body.error }).toEqual({
      status: 403,
      error: "shell: full exceeds what resellers may offer (sftp-only, the business plan's)",
    });
    const ok = await s.api('POST', '/api/plans', { ...body, max_cron_jobs: 5, shell: 'nologin' }, 'reseller');
    expect(ok.body.data).toMatchObject({ name: 'resold', max_cron_jobs: 5, shell: 'nologin' });
  });

  it("refuses a DNS record past the plan's max_dns_records with the seed-style 403", async () => {
    const a = await s.account(zone, { plan: 'tiny' });
    const count = async () =>
      (await s.api('GET', `/api/dns/zones/${zone}`)).body.data.rrsets
        .filter((r: any) => r.type !== 'SOA')
        .reduce((n: number, r: any) => n + r.records.length, 0);
    const have = await count();
    const id = (await s.api('GET', '/api/plans')).body.data.find((p: any) => p.name === 'tiny').id;
    expect((await s.api('PATCH', `/api/plans/${id}`, { max_dns_records: have + 1 })).status).toBe(200);
    const put = (name: string) =>
      s.api('PUT', `/api/dns/zones/${zone}/records`, { name, type: 'A', records: ['198.51.100.7'] });
    expect((await put('one')).status).toBe(200);
    const over = await put('two');
    expect({ status: over.status, error: over.body.error }).toEqual({
      status: 403,
      error: `records: the tiny plan allows ${have + 1} DNS records across the account's zones (it has ${have + 1})`,
    });
    expect(await count()).toBe(have + 1);
    expect(a.plan).toBe('tiny');
  });
});
