// pebble (ACME test CA) + pebble-challtestsrv as its DNS (every name → 127.0.0.1). HTTP-01 is
// validated for real: pebble GETs http://<name>:httpPort/… and the test must serve it there.
import { writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import type { PebbleDnsInfo, PebbleInfo, Running } from '../types.js';
import { startPdns } from './pdns.js';
import { makeLocalhostCert } from '../certs.js';
import {
  bedTempDir,
  canConnect,
  freePort,
  removeDir,
  startDaemon,
  stopDaemon,
  waitReady,
  type Daemon,
} from '../proc.js';

/** GET over HTTPS trusting only `ca`; resolves with status and body. */
export function httpsGetCa(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { ca, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout GET ${url}`)));
    req.on('error', reject);
  });
}

/** pebble validating DNS-01 through a private PowerDNS (the `pebbledns` service); stops both. */
export async function startPebbleWithPdns(): Promise<Running<PebbleDnsInfo>> {
  const pdns = await startPdns();
  try {
    const pebble = await startPebble({ dnsServer: `127.0.0.1:${pdns.info.dnsPort}` });
    return {
      // no challtestsrv here: pebble asks the PowerDNS, which answers only what a test put in it
      info: { ...pebble.info, challtestsrvUrl: '', dnsPort: pdns.info.dnsPort, pdns: pdns.info },
      stop: async () => {
        await pebble.stop().finally(() => pdns.stop());
      },
    };
  } catch (e) {
    await pdns.stop().catch(() => undefined);
    throw e;
  }
}

/**
 * `dnsServer`: where pebble's VA resolves names (default: a pebble-challtestsrv answering
 * 127.0.0.1 for every name, so HTTP-01 reaches the test's web server).
 */
export async function startPebble(opts: { httpPort?: number; dnsServer?: string } = {}): Promise<Running<PebbleInfo>> {
  const dir = bedTempDir('pebble');
  const daemons: Daemon[] = [];
  const stopAll = async (ports: number[]) => {
    await Promise.all([...daemons].reverse().map((d) => stopDaemon(d, 'SIGTERM', ports, 5_000)));
    removeDir(dir);
  };
  const [listen, mgmt, tlsPort, dnsPort, ctsMgmt] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
  const httpPort = opts.httpPort ?? (await freePort());
  const ports = opts.dnsServer ? [listen!, mgmt!] : [listen!, mgmt!, ctsMgmt!];
  try {
    const certs = await makeLocalhostCert(dir, { caName: 'velopanel-bed-pebble-api' });
    if (!opts.dnsServer) {
      const cts = startDaemon(
        'pebble-challtestsrv',
        [
          '-dns01',
          `127.0.0.1:${dnsPort}`,
          '-http01',
          '',
          '-https01',
          '',
          '-tlsalpn01',
          '',
          '-management',
          `127.0.0.1:${ctsMgmt}`,
          '-defaultIPv4',
          '127.0.0.1',
          '-defaultIPv6',
          '',
        ],
        join(dir, 'challtestsrv.log'),
      );
      daemons.push(cts);
      await waitReady(cts, 'pebble-challtestsrv', () => canConnect(ctsMgmt!));
    }
    const configPath = join(dir, 'pebble.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${listen}`,
          managementListenAddress: `127.0.0.1:${mgmt}`,
          certificate: certs.certPath,
          privateKey: certs.keyPath,
          httpPort,
          tlsPort,
          ocspResponderURL: '',
          externalAccountBindingRequired: false,
        },
      }),
    );
    const pebble = startDaemon(
      'pebble',
      ['-config', configPath, '-dnsserver', opts.dnsServer ?? `127.0.0.1:${dnsPort}`, '-strict=false'],
      join(dir, 'pebble.log'),
      { env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' } },
    );
    daemons.push(pebble);
    const directoryUrl = `https://127.0.0.1:${listen}/dir`;
    await waitReady(
      pebble,
      'pebble directory',
      async () => (await httpsGetCa(directoryUrl, certs.caPem)).status === 200,
    );
    const info: PebbleInfo = {
      directoryUrl,
      managementUrl: `https://127.0.0.1:${mgmt}`,
      apiCaPem: certs.caPem,
      apiCaPath: certs.caPath,
      httpPort,
      tlsPort: tlsPort!,
      challtestsrvUrl: `http://127.0.0.1:${ctsMgmt}`,
      dnsPort: dnsPort!,
      pid: pebble.pid,
    };
    return { info, stop: () => stopAll(ports) };
  } catch (e) {
    await stopAll(ports).catch(() => undefined);
    throw e;
  }
}
