// nginx as the domains plugin uses it: a vhost file with a docroot, picked by Host header (HTTP)
// and by SNI (HTTPS, own certificate), reloaded in place; unknown names hit the 404 default.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { makeLocalhostCert, type CertFiles } from '../bed/certs.js';
import { fetchVhost } from '../bed/helpers/http.js';
import { addSite, makeWebRoot, type Site, type WebRoot } from '../bed/helpers/nginx.js';

const bed = useServices('nginx');

describe.skipIf(bed.skip)('smoke: nginx', () => {
  const name = `smoke-${process.pid}.test`;
  let root: WebRoot;
  let site: Site;
  let tlsDir: string;
  let certs: CertFiles;

  beforeAll(async () => {
    root = makeWebRoot({ 'index.html': '<h1>hello from the smoke vhost</h1>\n' });
    tlsDir = mkdtempSync(join(tmpdir(), 'velopanel-bed-smoke-tls-'));
    certs = await makeLocalhostCert(tlsDir, { names: [name] });
    const { httpPort, httpsPort } = bed.nginx;
    site = await addSite(
      bed.nginx,
      `server {
  listen 127.0.0.1:${httpPort};
  listen 127.0.0.1:${httpsPort} ssl;
  server_name ${name};
  ssl_certificate ${certs.certPath};
  ssl_certificate_key ${certs.keyPath};
  root ${root.dir};
  index index.html;
}
`,
    );
  });

  afterAll(async () => {
    await site?.remove();
    root?.remove();
    rmSync(tlsDir, { recursive: true, force: true });
  });

  it('serves the docroot for its Host header over HTTP', async () => {
    const r = await fetchVhost({ port: bed.nginx.httpPort, host: name });
    expect(r.status).toBe(200);
    expect(r.body).toContain('hello from the smoke vhost');
  });

  it('serves it over HTTPS with the vhost certificate chosen by SNI', async () => {
    // Right after a reload an old worker may still take a new connection (it knows only the default
    // certificate); a few bounded tries reach the new workers.
    let r = await fetchVhost({ port: bed.nginx.httpsPort, host: name, https: true, ca: certs.caPem }).catch(() => null);
    for (let i = 0; i < 20 && !r?.authorized; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      r = await fetchVhost({ port: bed.nginx.httpsPort, host: name, https: true, ca: certs.caPem }).catch(() => null);
    }
    expect(r?.status).toBe(200);
    expect(r?.authorized).toBe(true);
    expect(r?.certificate?.issuer.CN).toBe('velopanel-bed-ca');
  });

  it('answers 404 from the default server for an unknown Host', async () => {
    const r = await fetchVhost({ port: bed.nginx.httpPort, host: 'unknown.invalid' });
    expect(r.status).toBe(404);
    const s = await fetchVhost({ port: bed.nginx.httpsPort, host: 'unknown.invalid', https: true });
    expect(s.status).toBe(404);
    expect(s.certificate?.issuer.CN).toBe('velopanel-bed-nginx');
  });
});
