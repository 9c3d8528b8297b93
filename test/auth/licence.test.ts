import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLicence, testLicenceKeyFile } from '../../core/licence/sign.js';
import { definePlugin, usageCounters } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { startBarePanel } from './helpers.js';

const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);
const businessOnly = definePlugin({
  manifest: { id: 'biz-only', version: '1.0.0', sdk: '^1.0.0', tier: 'business' },
  start(ctx) {
    ctx.route({ method: 'GET', path: '/api/biz-only', access: {}, handler: () => 'yes' });
  },
});

/** A plugin of its own limit: the licence reports it and its usage as it does the accounts plugin's. */
const widgets = definePlugin({
  manifest: {
    id: 'widgets',
    version: '1.0.0',
    sdk: '^1.0.0',
    provides: ['usage-counters'],
    licence: {
      limits: { max_widgets: { counter: 'widget-count', tiers: { community: 1, pro: 7, business: null } } },
      features: { 'widgets.blue': 'pro' },
    },
  },
  start(ctx) {
    ctx.extensions.provide(usageCounters, 'widget-count', { count: async () => 2 });
  },
});

/** Replace the licence file the way an admin's `cp` + `mv` would, then wait (bounded) for the panel to see it. */
async function replaceLicence(panel: TestPanel, text: string, until: (lic: any) => boolean): Promise<any> {
  const file = path.join(panel.dataDir, 'license.key');
  writeFileSync(`${file}.new`, text);
  renameSync(`${file}.new`, file);
  let lic: any;
  for (let i = 0; i < 200; i++) {
    lic = (await panel.request('GET', '/api/license')).body.data;
    if (until(lic)) return lic;
    await new Promise((r) => setTimeout(r, 50));
  }
  return lic;
}

describe('licences', () => {
  let h: HostingPanel;
  let panel: TestPanel;
  beforeAll(async () => {
    // The free limits are the accounts and domains plugins' settings, still given at the top level of the config.
    h = await startHostingPanel({
      engine: 'veloserve',
      tier: 'pro',
      inline: [businessOnly, widgets],
      config: { max_accounts_free: 3, max_domains_free: 6 } as never,
    });
    panel = h.panel;
  });
  afterAll(async () => {
    await h.stop();
  });

  it('reports tier, limits, usage, expiry and state', async () => {
    const res = await panel.request('GET', '/api/license');
    expect(res.body.data).toMatchObject({
      tier: 'pro',
      state: 'valid',
      valid: true,
      customer: 'VeloPanel tests',
      limits: { max_accounts: 50, max_domains: null, max_widgets: 7 },
      usage: { accounts: 0, domains: 0, 'widget-count': 2 },
      test_key: true,
      message: null,
    });
    expect(res.body.data.features).toContain('widgets.blue');
    expect(Date.parse(res.body.data.expires_at)).toBeGreaterThan(Date.now());
    expect((await panel.request('GET', '/api/biz-only')).body.error).toMatch(/requires a Business license/);
  });

  it('picks up a changed licence file without a restart, and falls back to Community on a bad one', async () => {
    let lic = await replaceLicence(
      panel,
      await signLicence({ tier: 'business', customer: 'Upgraded' }),
      (l) => l.tier === 'business',
    );
    expect(lic).toMatchObject({
      tier: 'business',
      customer: 'Upgraded',
      limits: { max_accounts: null, max_domains: null },
    });
    expect((await panel.request('GET', '/api/biz-only')).status).toBe(200);
    const [h, p, s] = (await signLicence({ tier: 'business' })).split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), limits: { max_accounts: 9999 } })).toString('base64url')}.${s}`;
    lic = await replaceLicence(panel, tampered, (l) => l.state === 'invalid');
    expect(lic).toMatchObject({
      tier: 'community',
      state: 'invalid',
      valid: false,
      limits: { max_accounts: 3, max_domains: 6, max_widgets: 1 },
      message: expect.stringMatching(/signature is invalid/),
    });
    expect(lic.features).not.toContain('widgets.blue');
    expect((await panel.request('GET', '/api/biz-only')).status).toBe(403);
  });

  it('keeps the tier through the grace period, then runs as Community', async () => {
    let lic = await replaceLicence(
      panel,
      await signLicence({ tier: 'pro', nbf: now() - 40 * DAY, exp: now() - 2 * DAY, grace_days: 14 }),
      (l) => l.state === 'grace',
    );
    expect(lic).toMatchObject({
      tier: 'pro',
      state: 'grace',
      valid: true,
      limits: { max_accounts: 50 },
      message: expect.stringMatching(/grace period until/),
    });
    lic = await replaceLicence(
      panel,
      await signLicence({ tier: 'pro', nbf: now() - 40 * DAY, exp: now() - 20 * DAY, grace_days: 14 }),
      (l) => l.state === 'expired',
    );
    expect(lic).toMatchObject({ tier: 'community', state: 'expired', limits: { max_accounts: 3, max_domains: 6 } });
  });

  it('refuses a licence signed with a key that is not the vendor’s', async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const lic = await replaceLicence(
      panel,
      await signLicence({ tier: 'business' }, { privateKeyPem: pem, kid: 'velopanel-2026' }),
      (l) => l.state === 'invalid' && /another key/.test(l.message),
    );
    expect(lic).toMatchObject({ tier: 'community', state: 'invalid' });
  });

  it('lets an admin install a licence, refusing bad ones without changing anything', async () => {
    const file = path.join(panel.dataDir, 'license.key');
    const good = await signLicence({ tier: 'pro', customer: 'Installed', limits: { max_accounts: 75 } });
    const ok = await panel.request('POST', '/api/license', { body: { license_key: good } });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ tier: 'pro', customer: 'Installed', limits: { max_accounts: 75 } });
    expect(readFileSync(file, 'utf8').trim()).toBe(good);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const bad: [string, RegExp][] = [
      ['not a licence', /^license_key: licence is not a signed licence/],
      [
        await signLicence({ tier: 'business', nbf: now() - 90 * DAY, exp: now() - 60 * DAY }),
        /^license_key: licence expired on .*running as Community/,
      ],
      [good.slice(0, -4) + 'AAAA', /^license_key: licence signature is invalid/],
    ];
    for (const [text, message] of bad) {
      const res = await panel.request('POST', '/api/license', { body: { license_key: text } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    expect((await panel.request('POST', '/api/license', { as: 'reseller', body: { license_key: good } })).status).toBe(
      403,
    );
    expect((await panel.request('POST', '/api/license', { body: { license_key: 42 } })).status).toBe(400);
    expect(readFileSync(file, 'utf8').trim()).toBe(good);
    expect((await panel.request('GET', '/api/license', { as: 'user' })).body.data.customer).toBe('Installed');
  });

  it('signs with the vendor command (key outside the repository) and refuses a production key inside it', async () => {
    const lic = execFileSync(
      process.execPath,
      [
        'scripts/license-sign.mjs',
        'sign',
        '--kid',
        'test-only',
        '--private-key',
        testLicenceKeyFile(),
        '--customer',
        'Script Co',
        '--tier',
        'business',
        '--days',
        '30',
        '--max-accounts',
        '99',
        '--feature',
        'dns.wildcard',
      ],
      { encoding: 'utf8' },
    ).trim();
    const res = await panel.request('POST', '/api/license', { body: { license_key: lic } });
    expect(res.body.data).toMatchObject({
      tier: 'business',
      customer: 'Script Co',
      limits: { max_accounts: 99, max_domains: null },
    });
    expect(res.body.data.features).toContain('dns.wildcard');
    const inside = spawnSync(
      process.execPath,
      ['scripts/license-sign.mjs', 'keygen', '--kid', 'prod-key', '--private-key', 'config/prod-key.pem'],
      { encoding: 'utf8' },
    );
    expect(inside.status).toBe(2);
    expect(inside.stderr).toMatch(/must live outside this repository/);
    const inRepo = spawnSync(
      process.execPath,
      [
        'scripts/license-sign.mjs',
        'sign',
        '--kid',
        'velopanel-2026',
        '--private-key',
        testLicenceKeyFile(),
        '--customer',
        'X',
        '--tier',
        'pro',
      ],
      { encoding: 'utf8' },
    );
    expect(inRepo.status).toBe(2);
    expect(inRepo.stderr).toMatch(/must live outside this repository/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vendor-'));
    try {
      copyFileSync(testLicenceKeyFile(), path.join(dir, 'key.pem'));
      const mismatch = spawnSync(
        process.execPath,
        [
          'scripts/license-sign.mjs',
          'sign',
          '--kid',
          'velopanel-2026',
          '--private-key',
          path.join(dir, 'key.pem'),
          '--customer',
          'X',
          '--tier',
          'pro',
        ],
        { encoding: 'utf8' },
      );
      expect(mismatch.status).toBe(2);
      expect(mismatch.stderr).toMatch(/does not match .*velopanel-2026\.pem/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('licence limits without the plugins that declare them', () => {
  it("a panel without accounts or domains knows no such limit, and their top-level keys are nobody's", async () => {
    const panel = await startTestPanel({ tier: 'pro' });
    try {
      expect((await panel.request('GET', '/api/license')).body.data).toMatchObject({ limits: {}, usage: {} });
    } finally {
      await panel.stop();
    }
    await expect(startTestPanel({ config: { max_accounts_free: 3 } as never })).rejects.toThrow(
      'config: max_accounts_free: unknown field',
    );
    await expect(startTestPanel({ config: { home_base: '/srv/homes' } as never })).rejects.toThrow(
      'config: home_base: unknown field',
    );
  });
});

describe('licences outside test mode', () => {
  it('refuses a licence signed with the test key', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-prodlike-'));
    writeFileSync(path.join(dataDir, 'license.key'), await signLicence({ tier: 'business' }));
    const panel = await startBarePanel({ config: { test_mode: false }, dataDir });
    try {
      expect(panel.kernel.licence()).toMatchObject({ tier: 'community', state: 'invalid' });
      await panel.call('POST', '/api/auth/setup', { body: { username: 'admin', password: 'MySecurePass123' } });
      const token = (
        await panel.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'MySecurePass123' } })
      ).body.data.token;
      const lic = (await panel.call('GET', '/api/license', { token })).body.data;
      expect(lic).toMatchObject({
        tier: 'community',
        state: 'invalid',
        message: 'licence is signed with the TEST key, which is accepted only in test mode',
      });
      const install = await panel.call('POST', '/api/license', {
        token,
        body: { license_key: await signLicence({ tier: 'pro' }) },
      });
      expect(install.status).toBe(400);
    } finally {
      await panel.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
