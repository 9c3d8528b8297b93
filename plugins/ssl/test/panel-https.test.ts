// The panel's own listener over TLS: from tls_cert_path/tls_key_path (reloaded when the files
// change), from a plugin through ctx.setPanelCertificate (swapped without a restart), the Secure
// session cookie, and the loud warning for plain HTTP on a public bind.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, type Logger, type PluginContext } from '../../../sdk/index.js';
import { startBarePanel, testPanelConfig, type BarePanel } from '../../../sdk/testing/index.js';
import { makeLocalhostCert, type CertFiles } from '../../../test/bed/certs.js';
import { fetchVhost } from '../../../test/bed/helpers/http.js';

const dir = mkdtempSync(path.join(tmpdir(), 'velopanel-panel-tls-'));
const warnings: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  error: () => undefined,
  warn: (msg) => void warnings.push(msg),
  child: () => logger,
};

const panel = (config: Record<string, unknown>, inline: ReturnType<typeof definePlugin>[] = []) =>
  startBarePanel({ config, inline, logger, dataDir: mkdtempSync(path.join(dir, 'data-')) });

const port = (p: BarePanel) => p.kernel.address!.port;
const get = (
  p: BarePanel,
  ca: string,
  route = '/api/openapi.json',
  more: Partial<Parameters<typeof fetchVhost>[0]> = {},
) => fetchVhost({ port: port(p), host: 'localhost', https: true, ca, path: route, ...more });
const serial = async (p: BarePanel) =>
  (await fetchVhost({ port: port(p), host: 'localhost', https: true, path: '/api/openapi.json' })).certificate
    ?.serialNumber;

describe('the panel over HTTPS', () => {
  let a: CertFiles;
  let b: CertFiles;
  beforeAll(async () => {
    a = await makeLocalhostCert(mkdtempSync(path.join(dir, 'a-')), { caName: 'panel-test-ca-a' });
    b = await makeLocalhostCert(mkdtempSync(path.join(dir, 'b-')), { caName: 'panel-test-ca-b' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS from tls_cert_path/tls_key_path, sets a Secure cookie, and reloads changed files', async () => {
    const live = mkdtempSync(path.join(dir, 'live-'));
    const [cert, key] = [path.join(live, 'cert.pem'), path.join(live, 'key.pem')];
    const copy = (from: CertFiles) => {
      writeFileSync(`${cert}.tmp`, readPem(from.certPath));
      writeFileSync(`${key}.tmp`, readPem(from.keyPath));
      renameSync(`${key}.tmp`, key);
      renameSync(`${cert}.tmp`, cert);
    };
    copy(a);
    const k = await panel({ tls_cert_path: cert, tls_key_path: key, bind_address: '0.0.0.0' });
    try {
      expect(k.kernel.http.tls).toBe(true);
      const res = await get(k, a.caPem);
      expect(res).toMatchObject({ status: 200, authorized: true });
      const body = JSON.stringify({ username: 'tlsadmin', password: 'Tls-Password-123' });
      const headers = { 'content-type': 'application/json' };
      expect((await get(k, a.caPem, '/api/auth/setup', { method: 'POST', headers, body })).status).toBe(200);
      const login = await get(k, a.caPem, '/api/auth/login', { method: 'POST', headers, body });
      expect(String(login.headers['set-cookie'])).toMatch(/velopanel_token=[^;]+;.*; Secure/);
      expect(warnings.filter((w) => w.includes('INSECURE'))).toEqual([]);

      const before = await serial(k);
      copy(b);
      let after = before;
      for (let i = 0; i < 150 && after === before; i++) {
        await sleep(100);
        after = await serial(k);
      }
      expect(after).not.toBe(before);
      expect(await get(k, b.caPem)).toMatchObject({ status: 200, authorized: true });
    } finally {
      await k.stop();
    }
  });

  it('takes a certificate from a plugin and swaps a new one in without a restart', async () => {
    let ctx!: PluginContext;
    const holder = definePlugin({
      manifest: { id: 'cert-holder', version: '1.0.0', sdk: '^1.0.0' },
      start(c) {
        ctx = c;
        c.setPanelCertificate(readPem(a.certPath), readPem(a.keyPath));
      },
    });
    const k = await panel({}, [holder]);
    try {
      expect(await get(k, a.caPem)).toMatchObject({ status: 200, authorized: true });
      expect(() => ctx.setPanelCertificate(readPem(b.certPath), readPem(a.keyPath))).toThrow(/key values mismatch/);
      expect(await get(k, a.caPem)).toMatchObject({ status: 200, authorized: true });
      ctx.setPanelCertificate(readPem(b.certPath), readPem(b.keyPath));
      expect(await get(k, b.caPem)).toMatchObject({ status: 200, authorized: true });
    } finally {
      await k.stop();
    }
  });

  it('warns loudly about plain HTTP on a public bind, unless loopback or allow_plain_http', async () => {
    for (const [overrides, loud] of [
      [{ bind_address: '0.0.0.0' }, true],
      [{ bind_address: '0.0.0.0', allow_plain_http: true }, false],
      [{}, false],
    ] as const) {
      warnings.length = 0;
      const k = await panel(overrides);
      expect(k.kernel.http.tls).toBe(false);
      await k.stop();
      expect(
        warnings.some((w) => /INSECURE: .*plain HTTP.*tls_cert_path.*allow_plain_http/.test(w)),
        JSON.stringify(overrides),
      ).toBe(loud);
    }
  });

  it('refuses a half TLS configuration at start', () => {
    expect(() => testPanelConfig(dir, { tls_cert_path: '/x/cert.pem' })).toThrow(
      'config: tls_cert_path and tls_key_path: set both or neither',
    );
  });
});

function readPem(file: string): string {
  return readFileSync(file, 'utf8');
}
