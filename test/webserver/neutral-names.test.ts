// `/api/webserver/*` are the engine-neutral names of the web server's routes; `/api/veloserve/*`
// (the contract's names) stay and answer the same, whichever engine is configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostingPanel, type HostingPanel } from './helpers.js';

describe('engine-neutral web server routes', () => {
  let h: HostingPanel;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('answers status and version under both names, for the configured engine', async () => {
    const neutral = (await h.panel.request('GET', '/api/webserver/version')).body.data;
    expect(neutral.engine).toBe('nginx');
    expect((await h.panel.request('GET', '/api/veloserve/version')).body.data).toEqual(neutral);
    const status = await h.panel.request('GET', '/api/webserver/status');
    expect(status.status).toBe(200);
    expect(status.body.data).toMatchObject({ engine: 'nginx', tenant_symlinks: { refused: true } });
    expect(Object.keys((await h.panel.request('GET', '/api/veloserve/status')).body.data).sort()).toEqual(
      Object.keys(status.body.data).sort(),
    );
  });

  it('reloads and regenerates under both names', async () => {
    for (const prefix of ['/api/webserver', '/api/veloserve']) {
      expect((await h.panel.request('POST', `${prefix}/reload`)).body.data).toMatchObject({
        engine: 'nginx',
        reloaded: true,
      });
      expect((await h.panel.request('POST', `${prefix}/regenerate`)).body.data).toMatchObject({ engine: 'nginx' });
    }
  });

  it('keeps them for admins under both names, and documents both', async () => {
    for (const prefix of ['/api/webserver', '/api/veloserve']) {
      expect((await h.panel.request('GET', `${prefix}/status`, { as: 'reseller' })).status).toBe(403);
      expect((await h.panel.request('POST', `${prefix}/regenerate`, { as: 'user' })).status).toBe(403);
    }
    const paths = Object.keys((await h.panel.request('GET', '/api/openapi.json')).body.paths);
    for (const p of ['status', 'version', 'regenerate', 'reload'])
      expect(paths).toEqual(expect.arrayContaining([`/api/webserver/${p}`, `/api/veloserve/${p}`]));
  });
});
