// Class 11, admin-settable paths and values: a home base on a system directory, config values that
// would reach nginx or VeloServe files, and an engine nobody provides are refused clearly.
import { readdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { accountBody, openTempDir } from '../webserver/helpers.js';

async function plugins(panel: TestPanel): Promise<Record<string, { state: string; reason: string | null }>> {
  return Object.fromEntries((await panel.request('GET', '/api/plugins')).body.data.map((p: any) => [p.id, p]));
}

describe('unsafe panel settings', () => {
  it('disables the accounts plugin (and what depends on it) for a home base on a system directory', async () => {
    const panel = await startTestPanel({ plugins: ['accounts', 'domains', 'nginx'], config: { home_base: '/etc' } });
    try {
      const list = await plugins(panel);
      expect(list.accounts).toMatchObject({
        state: 'disabled',
        reason: "failed to start: home_base '/etc' is not allowed (use a dedicated directory such as /home)",
      });
      expect(list.domains!.state).toBe('disabled');
      const res = await panel.request('POST', '/api/accounts', { body: accountBody() });
      expect(res.status).toBe(404);
    } finally {
      await panel.stop();
    }
  });

  it('refuses web-server settings that would inject into a config', async () => {
    const panel = await startTestPanel({
      plugins: ['nginx', 'veloserve'],
      config: {
        veloserve_config_path: '/tmp/velo serve.toml',
        plugins: { nginx: { listen: '80; include /etc/shadow' } },
      } as never,
    });
    try {
      const list = await plugins(panel);
      expect(list.nginx!.reason).toMatch(/^misconfigured: plugins\.nginx\.listen: must be a port or address:port/);
      expect(list.veloserve!.reason).toMatch(
        /veloserve_config_path '\/tmp\/velo serve\.toml' must be an absolute path/,
      );
    } finally {
      await panel.stop();
    }
  });
});

describe('an engine no plugin provides', () => {
  let panel: TestPanel;
  let homes: string;
  beforeAll(async () => {
    homes = openTempDir('velopanel-homes-');
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'nginx'],
      config: { home_base: homes, plugins: { domains: { engine: 'apache' } } } as never,
    });
  });
  afterAll(async () => {
    await panel?.stop();
    rmSync(homes, { recursive: true, force: true });
  });

  it('answers 503 naming the engine and creates nothing', async () => {
    const message = "Web-server engine 'apache' is not available: no active plugin provides it";
    const status = await panel.request('GET', '/api/veloserve/status');
    expect({ status: status.status, error: status.body.error }).toEqual({ status: 503, error: message });
    const res = await panel.request('POST', '/api/accounts', { body: accountBody() });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 503, error: message });
    expect(readdirSync(homes)).toEqual([]);
    expect((await panel.request('GET', '/api/accounts')).body.data).toEqual([]);
  });
});
