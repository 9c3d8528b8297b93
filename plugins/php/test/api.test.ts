// The PHP API against stand-ins for accounts and domains (local mode, no pool): versions,
// per-account version/mode with the engine's answer, licence and ownership checks, php.ini
// allow-list, and what the vhosts get through the contributor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountSettingsSections, definePlugin, type ExtensionRegistry } from '../../../sdk/index.js';
import { startTestPanel, testLicenceKey, type TestPanel } from '../../../sdk/testing/index.js';
import { accountsStandIn, domainsStandIn, NGINX_CAPS, standInAccount, VELOSERVE_CAPS } from './stand-ins.js';

const accounts = [standInAccount(1, { reseller_id: 2 }), standInAccount(2), standInAccount(3, { reseller_id: 2 })];

describe('PHP API (nginx-like engine)', () => {
  let panel: TestPanel;
  let registry: ExtensionRegistry;
  const domains = domainsStandIn({ id: 'nginx', capabilities: NGINX_CAPS }, accounts);
  // stands in for the backups plugin, which reads and restores the `php` settings section
  const backups = definePlugin({
    manifest: { id: 'backups', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      registry = ctx.extensions;
    },
  });
  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['php'], inline: [accountsStandIn(accounts), domains.plugin, backups] });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('lists the installed versions with binaries, modes and the default', async () => {
    for (const as of ['admin', 'user'] as const) {
      const res = await panel.request('GET', '/api/php/versions', { as });
      expect(res.status).toBe(200);
      expect(res.body.data.default).toBe('8.2');
      expect(res.body.data.versions.find((v: any) => v.version === '8.2')).toMatchObject({
        binaries: { cgi: '/usr/bin/php-cgi8.2', fpm: '/usr/sbin/php-fpm8.2' },
        modes: ['cgi', 'fpm', 'lsapi'],
        default: true,
      });
    }
    expect((await panel.request('GET', '/api/php/versions', { as: 'anon' })).status).toBe(401);
  });

  it('reports the server default for an account without settings, and that nginx cannot run CGI', async () => {
    const res = await panel.request('GET', '/api/php/config/1');
    expect(res.body.data).toMatchObject({
      account_id: 1,
      username: 'acct1',
      version: '8.2',
      mode: 'cgi',
      source: 'server default',
      installed: true,
      binary: '/usr/bin/php-cgi8.2',
      socket: null,
      applied: false,
      engine: 'nginx',
    });
    expect(res.body.data.reason).toContain('cannot run PHP in cgi mode for one site (it can: fpm, lsapi)');
  });

  it.each([
    [{ version: '7.1', mode: 'cgi' }, 'version: PHP 7.1 is not installed (installed: 8.2)'],
    [{ version: '8.2\nuser = root', mode: 'fpm' }, 'version: must be an installed version such as 8.2'],
    [{ version: '8.2', mode: 'suexec' }, 'mode: must be cgi, fpm or lsapi'],
    [{ version: '8.2' }, 'mode'],
    [{ version: 8.2, mode: 'cgi' }, 'version'],
    [{ version: '8.2', mode: 'cgi', user: 'root' }, 'user'],
  ])('refuses %j with a 400 and changes nothing', async (body, message) => {
    const before = (await panel.request('GET', '/api/php/config/2')).body.data;
    const res = await panel.request('POST', '/api/php/version/2', { body });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(message);
    expect((await panel.request('GET', '/api/php/config/2')).body.data).toEqual(before);
  });

  it('sets CGI and LSAPI: saved, handed to the vhost, and said not to apply on this engine', async () => {
    const cgi = await panel.request('POST', '/api/php/version/2', { body: { version: '8.2', mode: 'cgi' } });
    expect(cgi.status).toBe(200);
    expect(cgi.body.data).toMatchObject({ mode: 'cgi', source: 'account', applied: false });
    expect(domains.specs.get(2)?.php).toEqual({ mode: 'cgi', version: '8.2', binary: '/usr/bin/php-cgi8.2' });
    const lsapi = await panel.request('POST', '/api/php/version/2', { body: { version: '8.2', mode: 'lsapi' } });
    expect(lsapi.body.data).toMatchObject({ mode: 'lsapi', version: '8.2', applied: false });
    expect(lsapi.body.data.reason).toContain('no per-account LSAPI worker');
    expect(domains.specs.get(2)?.php).toEqual({ mode: 'lsapi', version: '8.2', binary: '/usr/bin/php-cgi8.2' });
  });

  it.runIf(process.getuid?.() === 0)(
    'refuses FPM for an account without a system user and keeps the old mode',
    async () => {
      const res = await panel.request('POST', '/api/php/version/2', { body: { version: '8.2', mode: 'fpm' } });
      expect(res.status).toBe(409);
      expect(res.body.error).toContain('has no system user');
      expect((await panel.request('GET', '/api/php/config/2')).body.data.mode).toBe('lsapi');
    },
  );

  it('checks ownership: a user sees only its account, a reseller only its own', async () => {
    expect((await panel.request('GET', '/api/php/config/1', { as: 'user' })).status).toBe(200);
    expect((await panel.request('GET', '/api/php/config/2', { as: 'user' })).status).toBe(403);
    expect(
      (await panel.request('POST', '/api/php/version/2', { as: 'user', body: { version: '8.2', mode: 'cgi' } })).status,
    ).toBe(403);
    expect((await panel.request('GET', '/api/php/ini/3', { as: 'reseller' })).status).toBe(200);
    expect((await panel.request('GET', '/api/php/ini/2', { as: 'reseller' })).status).toBe(403);
    expect((await panel.request('GET', '/api/php/config/99')).status).toBe(404);
    expect((await panel.request('GET', '/api/php/config/abc')).status).toBe(400);
  });

  it('stores allow-listed php.ini values and refuses anything else', async () => {
    const empty = await panel.request('GET', '/api/php/ini/1', { as: 'user' });
    expect(empty.body.data.settings).toMatchObject({ memory_limit: null, 'date.timezone': null, display_errors: null });
    const res = await panel.request('POST', '/api/php/ini/1', {
      as: 'user',
      body: { settings: { memory_limit: '256M', display_errors: false, max_execution_time: 90 } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.settings).toMatchObject({
      memory_limit: '256M',
      display_errors: 'Off',
      max_execution_time: '90',
      post_max_size: null,
    });
    expect(res.body.data).toMatchObject({ mode: 'cgi', applied: false });
    expect(res.body.data.reason).toContain("applied through the account's FPM pool");
    for (const body of [
      { settings: { memory_limit: '128M\nuser = root' } },
      { settings: { user: 'root' } },
      { settings: { 'memory_limit = 1\nuser': '1' } },
      { settings: { memory_limit: ['1M'] } },
      { memory_limit: '64M' },
      { settings: { memory_limit: '64M' }, extra: 1 },
    ]) {
      const bad = await panel.request('POST', '/api/php/ini/1', { body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    expect((await panel.request('GET', '/api/php/ini/1')).body.data.settings.memory_limit).toBe('256M');
  });

  it('exports the settings for a backup and validates a restored section like the API', async () => {
    const section = registry.find(accountSettingsSections, 'php')!.value;
    const exported = await section.export(accounts[0]!);
    expect(exported).toEqual({
      version: '8.2',
      mode: 'cgi',
      ini: { memory_limit: '256M', display_errors: 'Off', max_execution_time: '90' },
    });
    for (const hostile of [
      { version: '8.2', mode: 'cgi', ini: { memory_limit: '1M\nuser = root' } },
      { version: '8.2', mode: 'cgi', ini: { user: 'root' } },
      { version: '8.2\n', mode: 'cgi', ini: {} },
      { version: '8.2', mode: 'cgi', ini: {}, pool: 'user = root' },
      'user = root',
    ])
      await expect(section.import(accounts[0]!, hostile), JSON.stringify(hostile)).rejects.toMatchObject({
        status: 400,
      });
    expect(await section.export(accounts[0]!)).toEqual(exported);
    await section.import(accounts[0]!, { version: '8.2', mode: 'lsapi', ini: { 'date.timezone': 'UTC' } });
    expect((await panel.request('GET', '/api/php/config/1')).body.data).toMatchObject({
      mode: 'lsapi',
      source: 'account',
    });
  });
});

describe('php.ini limits an account sets for itself', () => {
  // A tenant asks the API for no memory limit and a day of CPU per request; the plan says otherwise.
  let panel: TestPanel;
  let registry: ExtensionRegistry;
  const capped = [standInAccount(1), standInAccount(2, { plan: 'business' }), standInAccount(3, { plan: 'pro' })];
  const backups = definePlugin({
    manifest: { id: 'backups', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      registry = ctx.extensions;
    },
  });
  beforeAll(async () => {
    panel = await startTestPanel({
      plugins: ['php'],
      inline: [
        accountsStandIn(capped),
        domainsStandIn({ id: 'nginx', capabilities: NGINX_CAPS }, capped).plugin,
        backups,
      ],
      config: { plugins: { php: { business_memory_limit_mb: 0 } } },
    });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it("refuses values above the plan's caps, 'no limit' included, naming the cap, and changes nothing", async () => {
    expect(
      (await panel.request('POST', '/api/php/ini/1', { as: 'user', body: { settings: { memory_limit: '128M' } } }))
        .status,
    ).toBe(200);
    for (const [settings, message] of [
      [{ memory_limit: '-1' }, "settings.memory_limit: -1 (no limit) exceeds the free plan's cap of 256M"],
      [{ memory_limit: '1G' }, "settings.memory_limit: 1G exceeds the free plan's cap of 256M"],
      [{ memory_limit: '262145K' }, "settings.memory_limit: 262145K exceeds the free plan's cap of 256M"],
      [{ max_execution_time: 99999 }, "settings.max_execution_time: 99999 exceeds the free plan's cap of 120 seconds"],
      [
        { max_execution_time: 0 },
        "settings.max_execution_time: 0 (no limit) exceeds the free plan's cap of 120 seconds",
      ],
      [{ max_input_time: 0 }, "settings.max_input_time: 0 (no limit) exceeds the free plan's cap of 120 seconds"],
      [{ upload_max_filesize: '2G' }, "settings.upload_max_filesize: 2G exceeds the free plan's cap of 64M"],
      [{ post_max_size: '0' }, "settings.post_max_size: 0 (no limit) exceeds the free plan's cap of 64M"],
    ] as const) {
      const res = await panel.request('POST', '/api/php/ini/1', {
        as: 'user',
        body: { settings: { display_errors: 'On', ...settings } },
      });
      expect(res.status, JSON.stringify(settings)).toBe(400);
      expect(res.body.error).toBe(message);
    }
    expect((await panel.request('GET', '/api/php/ini/1')).body.data.settings).toMatchObject({
      memory_limit: '128M',
      display_errors: null,
    });
    expect((await panel.request('GET', '/api/php/ini/1', { as: 'user' })).body.data.caps).toEqual({
      max_execution_time: '120',
      max_input_time: '120',
      memory_limit: '256M',
      post_max_size: '64M',
      upload_max_filesize: '64M',
    });
    expect((await panel.request('GET', '/api/php/ini/2')).body.data.caps).toMatchObject({
      memory_limit: null,
      max_execution_time: '600',
    });
  });

  it('accepts values up to the cap in any unit, and follows the plan', async () => {
    const atCap = {
      memory_limit: '262144K',
      max_execution_time: 120,
      max_input_time: -1,
      upload_max_filesize: '64M',
      post_max_size: '65536K',
    };
    expect((await panel.request('POST', '/api/php/ini/1', { as: 'user', body: { settings: atCap } })).status).toBe(200);
    const pro = await panel.request('POST', '/api/php/ini/3', {
      body: { settings: { memory_limit: '1G', max_execution_time: 300 } },
    });
    expect(pro.body.error).toBe("settings.memory_limit: 1G exceeds the pro plan's cap of 512M");
    // business_memory_limit_mb = 0: the plan sets no memory ceiling; its time cap still holds
    expect((await panel.request('POST', '/api/php/ini/2', { body: { settings: { memory_limit: '-1' } } })).status).toBe(
      200,
    );
    expect(
      (await panel.request('POST', '/api/php/ini/2', { body: { settings: { max_execution_time: 0 } } })).body.error,
    ).toBe("settings.max_execution_time: 0 (no limit) exceeds the business plan's cap of 600 seconds");
  });

  it('refuses a restored backup section above the caps, as the API does', async () => {
    const section = registry.find(accountSettingsSections, 'php')!.value;
    const before = await section.export(capped[0]!);
    await expect(
      section.import(capped[0]!, { version: '8.2', mode: 'cgi', ini: { memory_limit: '-1' } }),
    ).rejects.toMatchObject({
      status: 400,
      message: "php.ini.memory_limit: -1 (no limit) exceeds the free plan's cap of 256M",
    });
    expect(await section.export(capped[0]!)).toEqual(before);
  });
});

describe('PHP API on a community licence and a server-wide-PHP engine', () => {
  let panel: TestPanel;
  const domains = domainsStandIn({ id: 'veloserve', capabilities: VELOSERVE_CAPS }, accounts);
  beforeAll(async () => {
    panel = await startTestPanel({
      plugins: ['php'],
      inline: [accountsStandIn(accounts), domains.plugin],
      tier: 'community',
    });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('refuses LSAPI below Pro with the seed message', async () => {
    const res = await panel.request('POST', '/api/php/version/1', { body: { version: '8.2', mode: 'lsapi' } });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('LSAPI mode requires a Pro or Business license');
    expect((await panel.request('GET', '/api/php/config/1')).body.data.source).toBe('server default');
  });

  it("allows LSAPI on a Community licence that grants the 'php.lsapi' feature itself", async () => {
    const key = await testLicenceKey({ tier: 'community', features: ['php.lsapi'] });
    expect((await panel.request('POST', '/api/license', { body: { license_key: key } })).status).toBe(200);
    try {
      const res = await panel.request('POST', '/api/php/version/1', { body: { version: '8.2', mode: 'lsapi' } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.data).toMatchObject({ mode: 'lsapi' });
    } finally {
      await panel.request('POST', '/api/php/version/1', { body: { version: '8.2', mode: 'cgi' } });
      await panel.request('POST', '/api/license', {
        body: { license_key: await testLicenceKey({ tier: 'community' }) },
      });
    }
  });

  it('says plainly that VeloServe cannot apply a per-account version or mode', async () => {
    const res = await panel.request('POST', '/api/php/version/1', { body: { version: '8.2', mode: 'cgi' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mode: 'cgi', applied: false, engine: 'veloserve' });
    expect(res.body.data.reason).toContain('runs PHP server-wide');
  });
});
