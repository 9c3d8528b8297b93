import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ExecService } from '../../sdk/index.js';
import { canConnect, type Recipe } from './supervisor.js';
import { findBinary, notInstalled } from './binaries.js';

/** Debian's pdns-backend-sqlite3 schema: without it there is no backend to serve from. */
const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

/**
 * PowerDNS Authoritative in the foreground: zones in a sqlite file under the data dir, DNS on a
 * loopback port, its HTTP API on another with a key made at each start (the dns plugin gets
 * it through the managed-services registry). Caches are off, so a record just written through
 * the API is what the next query sees.
 */
export function pdnsRecipe(
  exec: ExecService,
  o: { dataDir: string; binary: string; dnsPort: number; apiPort: number },
): Recipe & { apiUrl: string; apiKey: string } {
  const dir = path.join(o.dataDir, 'services', 'pdns');
  const db = path.join(dir, 'pdns.db');
  const binary = () => findBinary(o.binary);
  const apiKey = randomBytes(24).toString('hex');
  return {
    name: 'pdns',
    dir,
    pidFile: path.join(dir, 'pdns.pid'),
    port: o.dnsPort,
    socket: null,
    stopSignal: 'SIGTERM',
    apiUrl: `http://127.0.0.1:${o.apiPort}`,
    apiKey,
    unavailable: () =>
      !binary()
        ? notInstalled(o.binary)
        : !existsSync(SCHEMA)
          ? notInstalled('The PowerDNS sqlite backend (pdns-backend-sqlite3)')
          : null,
    async prepare() {
      if (!existsSync(db)) {
        const handle = new Database(db);
        try {
          handle.exec(readFileSync(SCHEMA, 'utf8'));
        } finally {
          handle.close();
        }
      }
      writeFileSync(
        path.join(dir, 'pdns.conf'),
        [
          "# Written by VeloPanel's local-services plugin at every start.",
          'launch=gsqlite3',
          `gsqlite3-database=${db}`,
          'local-address=127.0.0.1',
          `local-port=${o.dnsPort}`,
          'api=yes',
          `api-key=${apiKey}`,
          'webserver=yes',
          'webserver-address=127.0.0.1',
          `webserver-port=${o.apiPort}`,
          'webserver-allow-from=127.0.0.0/8',
          `socket-dir=${dir}`,
          'guardian=no',
          'daemon=no',
          'cache-ttl=0',
          'query-cache-ttl=0',
          'negquery-cache-ttl=0',
          'security-poll-suffix=',
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
    },
    command: () => ({ cmd: binary()!, args: [`--config-dir=${dir}`] }),
    async ready() {
      if (!(await canConnect(o.apiPort))) return false;
      const res = await fetch(`http://127.0.0.1:${o.apiPort}/api/v1/servers/localhost`, {
        headers: { 'X-API-Key': apiKey },
        signal: AbortSignal.timeout(2000),
      });
      return res.ok;
    },
    async version() {
      const r = await exec.run(binary()!, ['--version'], { allowFailure: true, timeoutMs: 10_000 });
      return /Authoritative Server (\d\S*)/.exec(r.stdout + r.stderr)?.[1] ?? null;
    },
  };
}
