// Both first-party engines run the web-server engine conformance suite unchanged: nginx against a
// real private nginx (serving checked over HTTP), VeloServe without its binary (not installable
// here), where the output is checked against VeloServe's config schema instead.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { webServerEngines, type WebServerEngine } from '../../sdk/index.js';
import { startTestPanel, webServerEngineSuite, type TestPanel } from '../../sdk/testing/index.js';
import { openTempDir } from './helpers.js';
import { getVia, startPrivateNginx, type PrivateNginx } from './private-nginx.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function engineOf(panel: TestPanel, id: string): Promise<WebServerEngine> {
  const entry = panel.kernel.extensions.entries(webServerEngines).find((e) => e.entryId === id);
  if (!entry?.available) throw new Error(`engine ${id} not available: ${entry?.reason}`);
  return entry.value;
}

webServerEngineSuite.run('nginx', async () => {
  const nginx: PrivateNginx = await startPrivateNginx();
  const workDir = openTempDir('velopanel-conformance-');
  const panel = await startTestPanel({
    plugins: ['nginx'],
    config: { plugins: { nginx: nginx.pluginConfig } } as never,
  });
  cleanups.push(
    () => nginx.stop(),
    () => rmSync(workDir, { recursive: true, force: true }),
    () => panel.stop(),
  );
  return {
    engine: await engineOf(panel, 'nginx'),
    vhostsDir: nginx.sitesDir,
    workDir,
    fetch: (host, urlPath) => getVia(nginx.port, host, urlPath),
    broken: (spec) => ({ ...spec, tls: { certificate: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' } }),
  };
});

webServerEngineSuite.run('veloserve', async () => {
  const dir = openTempDir('velopanel-veloserve-');
  const workDir = openTempDir('velopanel-conformance-');
  const panel = await startTestPanel({
    plugins: ['veloserve'],
    config: { veloserve_config_path: path.join(dir, 'veloserve.toml') },
  });
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => rmSync(workDir, { recursive: true, force: true }),
    () => panel.stop(),
  );
  return { engine: await engineOf(panel, 'veloserve'), vhostsDir: path.join(dir, 'vhosts'), workDir };
});
