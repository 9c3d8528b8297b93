// A private nginx for the SSL tests whose HTTP port is the one pebble validates HTTP-01 on
// (bed.pebble.httpPort), plus a free HTTPS port the vhosts' `listen … ssl` uses. The panel's
// nginx engine writes the vhosts; pebble fetches the challenge through them for real.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NGINX_BIN, webUser } from '../bed/services/nginx.js';
import { bedTempDir, canConnect, freePort, removeDir, run, startDaemon, stopDaemon, waitFor, waitReady } from '../bed/proc.js';
import type { PrivateNginx } from '../webserver/private-nginx.js';
import { fetchVhost } from '../bed/helpers/http.js';

export interface AcmeNginx extends PrivateNginx {
  httpsPort: number;
  /** Lines of the access log (`host request status`), to see pebble's challenge fetches. */
  accessLog(): string[];
  /** Write an unmanaged site file (the panel's engine leaves it alone), reload, wait until `probe` answers 200. */
  addSite(name: string, conf: string, probe: { host: string; path: string }): Promise<void>;
}

export async function startAcmeNginx(httpPort: number): Promise<AcmeNginx> {
  const dir = bedTempDir('ssl-nginx');
  for (const sub of ['conf', 'logs', 'tmp', 'sites']) mkdirSync(join(dir, sub), { mode: 0o755 });
  const httpsPort = await freePort();
  const user = webUser();
  const conf = join(dir, 'conf', 'nginx.conf');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/tmp/${t};`).join('\n  ');
  writeFileSync(conf, `user ${user} ${user === 'nobody' ? 'nogroup' : user};
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  log_format hosts '$host "$request" $status';
  access_log ${dir}/logs/access.log hosts;
  ${temp}
  server_names_hash_bucket_size 128;
  server { listen 127.0.0.1:${httpPort} default_server; server_name _; location / { return 404; } }
  include ${dir}/sites/*.conf;
}
`);
  const errorLog = join(dir, 'logs', 'error.log');
  const base = ['-p', dir, '-c', conf, '-e', errorLog];
  await run(NGINX_BIN, [...base, '-t', '-q']);
  // The pebble smoke test may hold the shared challenge port for a moment: wait until it is free.
  await waitFor(`port ${httpPort} to be free`, async () => !(await canConnect(httpPort)), 60_000);
  const daemon = startDaemon(NGINX_BIN, base, join(dir, 'logs', 'stdout.log'));
  await waitReady({ ...daemon, logFile: errorLog }, 'ssl test nginx', () => canConnect(httpPort));
  return {
    dir, port: httpPort, httpsPort, sitesDir: join(dir, 'sites'),
    pluginConfig: {
      binary: NGINX_BIN, prefix: dir, conf, error_log: errorLog, sites_dir: join(dir, 'sites'),
      listen: `127.0.0.1:${httpPort}`, listen_ssl: `127.0.0.1:${httpsPort}`,
    },
    accessLog: () => {
      try {
        return readFileSync(join(dir, 'logs', 'access.log'), 'utf8').trim().split('\n');
      } catch {
        return [];
      }
    },
    async addSite(name, conf, probe) {
      writeFileSync(join(dir, 'sites', `${name}.conf`), conf);
      await run(NGINX_BIN, [...base, '-s', 'reload']);
      await waitFor(`nginx to serve ${probe.host}`, async () => (await fetchVhost({ port: httpPort, ...probe })).status === 200, 15_000);
    },
    async stop() {
      await stopDaemon(daemon, 'SIGQUIT', [httpPort], 10_000);
      removeDir(dir);
    },
  };
}
