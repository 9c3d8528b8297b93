// The SSL tests' panel: accounts + domains + the nginx engine + ssl, nginx listening where pebble
// validates HTTP-01, the ssl plugin pointed at pebble with its API CA trusted through `ca_file`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PebbleInfo } from '../bed/types.js';
import { makeLocalhostCert } from '../bed/certs.js';
import { pebbleRootPem } from '../bed/helpers/pebble.js';
import { accountBody, openTempDir, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { startAcmeNginx, type AcmeNginx } from './acme-nginx.js';

export interface SslStack {
  h: HostingPanel;
  nginx: AcmeNginx;
  /** Root that pebble's certificates chain to (changes at every pebble start). */
  pebbleRoot: string;
  tmp: string;
  stop(): Promise<void>;
}

/** Fast polling of pebble; the rest of `[plugins.ssl]` can be overridden. */
export async function startSslStack(
  pebble: PebbleInfo,
  opts: {
    acmeEmail?: string;
    ssl?: Record<string, unknown>;
    extra?: string[];
    plugins?: Record<string, Record<string, unknown>>;
  } = {},
): Promise<SslStack> {
  const tmp = openTempDir('velopanel-ssl-test-');
  const caFile = join(tmp, 'pebble-api-ca.pem');
  writeFileSync(caFile, pebble.apiCaPem);
  const nginx = await startAcmeNginx(pebble.httpPort);
  try {
    const h = await startHostingPanel({
      engine: 'nginx',
      nginx,
      extra: ['ssl', ...(opts.extra ?? [])],
      config: { acme_email: opts.acmeEmail ?? 'ssl-tests@velopanel.test' },
      plugins: {
        ssl: {
          directory_url: pebble.directoryUrl,
          ca_file: caFile,
          backoff_min_ms: 100,
          backoff_max_ms: 500,
          backoff_attempts: 40,
          ...opts.ssl,
        },
        ...opts.plugins,
      },
    });
    return {
      h,
      nginx,
      tmp,
      pebbleRoot: await pebbleRootPem(pebble),
      async stop() {
        await h.stop();
        await nginx.stop();
      },
    };
  } catch (e) {
    await nginx.stop();
    throw e;
  }
}

/** Create an account (admin) and return it; `domain` becomes its primary domain. */
export async function createAccount(
  s: SslStack,
  domain: string,
): Promise<{ id: number; home_dir: string; username: string }> {
  const res = await s.h.panel.request('POST', '/api/accounts', { body: accountBody({ domain }) });
  if (res.status !== 200) throw new Error(`account for ${domain}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** Add a domain of a type (`alias`, `addon`, `subdomain`) to an account. */
export async function addDomain(
  s: SslStack,
  accountId: number,
  name: string,
  type: 'alias' | 'addon' | 'subdomain',
): Promise<any> {
  const res = await s.h.panel.request('POST', '/api/domains', {
    body: { account_id: accountId, domain_name: name, domain_type: type },
  });
  if (res.status !== 200) throw new Error(`domain ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** A custom certificate for `names` from a throwaway CA (valid 3 days: inside the renewal window). */
export async function customCertificate(
  tmp: string,
  names: string[],
): Promise<{ certificate: string; private_key: string; chain: string }> {
  const files = await makeLocalhostCert(mkdtempSync(join(tmp, 'custom-')), {
    names,
    caName: 'velopanel-ssl-test-custom-ca',
  });
  return {
    certificate: readFileSync(files.certPath, 'utf8'),
    private_key: readFileSync(files.keyPath, 'utf8'),
    chain: files.caPem,
  };
}

/** POST to pebble-challtestsrv's management API (DNS answers pebble's VA sees). */
export async function challtestsrv(pebble: PebbleInfo, action: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${pebble.challtestsrvUrl}/${action}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`challtestsrv ${action}: HTTP ${res.status} ${await res.text()}`);
}
