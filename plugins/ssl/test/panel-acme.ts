// The panel's own certificate from pebble (panel_certificate = "acme"), as a block of the pebble
// spec file (it shares pebble's challenge port): a self-signed placeholder at once, the issued
// certificate swapped into the running listener, and kept across a restart.
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { loadConfig } from '../../../core/config/load.js';
import type { Kernel } from '../../../core/kernel.js';
import { createPanel } from '../../../core/panel.js';
import type { PebbleInfo } from '../../../test/bed/types.js';
import { fetchVhost } from '../../../test/bed/helpers/http.js';
import { openTempDir } from '../../../test/webserver/helpers.js';
import type { SslStack } from './stack.js';

export function panelCertificateTests(get: () => { pebble: PebbleInfo; s: SslStack }, host: string): void {
  it('serves a placeholder at once, then the certificate pebble issued for server_hostname, without a restart', async () => {
    const { pebble, s } = get();
    const webroot = openTempDir('velopanel-panel-webroot-');
    writeFileSync(path.join(webroot, 'probe.txt'), 'ok');
    await s.nginx.addSite(
      `panel-${host}`,
      `server { listen 127.0.0.1:${s.nginx.port}; server_name ${host}; root ${webroot}; }\n`,
      { host, path: '/probe.txt' },
    );
    const dataDir = mkdtempSync(path.join(s.tmp, 'panel-data-'));
    const start = async (): Promise<Kernel> => {
      const config = loadConfig({
        env: {},
        overrides: {
          bind_address: '127.0.0.1',
          bind_port: 0,
          data_dir: dataDir,
          log_level: 'silent',
          server_hostname: host,
          acme_email: 'panel@velopanel.test',
          plugins: {
            ssl: {
              directory_url: pebble.directoryUrl,
              ca_file: path.join(s.tmp, 'pebble-api-ca.pem'),
              backoff_min_ms: 100,
              backoff_max_ms: 500,
              // Under the full suite's load pebble's validation outlasts ten polls; a failed
              // order is then tried again after panel_retry_ms, as it would be in production.
              backoff_attempts: 60,
              panel_retry_ms: 500,
              panel_certificate: 'acme',
              panel_webroot: webroot,
            },
          },
        },
      });
      const k = createPanel(config, { onlyPlugins: ['ssl'] });
      await k.start();
      return k;
    };
    const served = async (k: Kernel) =>
      (await fetchVhost({ port: k.address!.port, host, https: true, path: '/api/openapi.json' })).certificate!;
    let k = await start();
    try {
      expect(k.http.tls).toBe(true);
      let cert = await served(k);
      expect(cert.subject.CN).toBe(host);
      // Bounded at 120 s: on a loaded machine pebble's order and validation have taken over 30 s.
      for (let i = 0; i < 1200 && !/Pebble/.test(String(cert.issuer.CN ?? '')); i++) {
        await sleep(100);
        cert = await served(k);
      }
      expect(cert.issuer.CN).toMatch(/Pebble/);
      const verified = await fetchVhost({
        port: k.address!.port,
        host,
        https: true,
        ca: s.pebbleRoot,
        path: '/api/openapi.json',
      });
      expect(verified).toMatchObject({ status: 200, authorized: true });
      await k.stop(1000);
      k = await start();
      expect((await served(k)).serialNumber).toBe(cert.serialNumber);
    } finally {
      await k.stop(1000);
    }
  }, 240_000);
}
