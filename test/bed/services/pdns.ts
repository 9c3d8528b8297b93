// PowerDNS Authoritative on loopback: sqlite backend in its own temp dir, no daemon, no root
// paths, the HTTP API on its own port. Caches are off so a record changed through the API is
// what the next query (dig, pebble's VA) sees.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PdnsInfo, Running } from '../types.js';
import { canConnect, freePort, randomSecret, removeDir, startDaemon, stopDaemon, waitReady } from '../proc.js';
import { inBedDir, readyOrStop } from '../starting.js';

export const PDNS_BIN = '/usr/sbin/pdns_server';
export const PDNS_SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

function pdnsConf(dir: string, dnsPort: number, apiPort: number, apiKey: string): string {
  return [
    'launch=gsqlite3',
    `gsqlite3-database=${join(dir, 'pdns.db')}`,
    'gsqlite3-dnssec=yes',
    'local-address=127.0.0.1',
    `local-port=${dnsPort}`,
    'api=yes',
    `api-key=${apiKey}`,
    'webserver=yes',
    'webserver-address=127.0.0.1',
    `webserver-port=${apiPort}`,
    'webserver-allow-from=127.0.0.0/8',
    `socket-dir=${dir}`,
    'guardian=no',
    'daemon=no',
    // no packet/query caches: a test reads its own writes; no security poll over the network
    'cache-ttl=0',
    'query-cache-ttl=0',
    'negquery-cache-ttl=0',
    'security-poll-suffix=',
    'loglevel=4',
    '',
  ].join('\n');
}

/** Starts one private PowerDNS (the `pdns` service, and the DNS of the `pebbledns` service). */
export function startPdns(): Promise<Running<PdnsInfo>> {
  return inBedDir('pdns', async (dir) => {
    const [dnsPort, apiPort] = [await freePort(), await freePort()];
    const apiKey = randomSecret();
    if (!existsSync(PDNS_SCHEMA))
      throw new Error(
        `not installed: ${PDNS_SCHEMA} (Debian pdns-backend-sqlite3; run scripts/install-services.sh as root)`,
      );
    const db = new Database(join(dir, 'pdns.db'));
    db.exec(readFileSync(PDNS_SCHEMA, 'utf8'));
    db.close();
    writeFileSync(join(dir, 'pdns.conf'), pdnsConf(dir, dnsPort!, apiPort!, apiKey), { mode: 0o600 });
    const d = startDaemon(PDNS_BIN, [`--config-dir=${dir}`], join(dir, 'pdns.log'));
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const stop = async () => {
      await stopDaemon(d, 'SIGTERM', [apiPort!], 5_000);
      removeDir(dir);
    };
    return readyOrStop(stop, async () => {
      await waitReady(
        d,
        'PowerDNS API',
        async () =>
          (await canConnect(apiPort!)) &&
          (await fetch(`${apiUrl}/api/v1/servers/localhost`, { headers: { 'X-API-Key': apiKey } })).ok,
      );
      const info: PdnsInfo = {
        host: '127.0.0.1',
        dnsPort: dnsPort!,
        apiUrl,
        apiKey,
        serverId: 'localhost',
        dataDir: dir,
        pid: d.pid,
      };
      return { info, stop };
    });
  });
}
