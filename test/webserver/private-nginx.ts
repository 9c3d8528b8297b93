// A private nginx for one test file (real-services.md recipe): every path under a temp dir, a
// default_server answering 404, `include sites/*.conf`. Each file gets its own instance so
// parallel files never share a sites directory (the bed's shared nginx is for files that add
// sites of their own; these are written by the panel's engine). The SSL tests start theirs on
// pebble's HTTP-01 port with an HTTPS port and a request log (test/ssl/acme-nginx.ts).
import { chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { NGINX_BIN, webUser } from '../bed/services/nginx.js';
import { PORT_WAIT_MS } from '../bed/helpers/pebble.js';
import {
  bedTempDir,
  canConnect,
  freePort,
  isRoot,
  removeDir,
  run,
  startDaemon,
  stopDaemon,
  waitFor,
  waitReady,
} from '../bed/proc.js';

export interface PrivateNginxOptions {
  /** Port of the default server and the engine's `listen` (default: a free one). Waited for when busy. */
  httpPort?: number;
  /** Also hand the engine a free port for `listen_ssl`. */
  https?: boolean;
  /** Log requests as `host "request" status` (read with `accessLog()`); off by default. */
  logRequests?: boolean;
  /** Part of the temp dir's name. */
  name?: string;
  /** `worker_processes` (default 1). */
  workers?: number;
  /** Log at `notice` level (signals received and who sent them) instead of `warn`. */
  notices?: boolean;
  /** Run the whole instance, master included, as this user (as the panel's own nginx in local mode). */
  runAs?: { uid: number; gid: number };
  /** A proxy cache, so the master also runs a cache manager and loader next to its workers. */
  proxyCache?: boolean;
}

export interface PrivateNginx {
  dir: string;
  port: number;
  /** The engine's `listen_ssl` port, when started with `https`. */
  httpsPort: number | null;
  sitesDir: string;
  /** `[plugins.nginx]` section pointing the engine at this instance. */
  pluginConfig: Record<string, unknown>;
  /** Lines of the request log (`host "request" status`); empty without `logRequests`. */
  accessLog(): string[];
  /** `nginx -s reload` of this instance. */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/** GET through nginx with a Host header, on a fresh connection (never a reused keep-alive one). */
export function getVia(port: number, host: string, urlPath = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, headers: { Host: host, Connection: 'close' }, agent: false },
      (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (d) => (body += d))
          .on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject).end();
  });
}

function nginxConf(dir: string, port: number, opts: PrivateNginxOptions): string {
  const user = webUser();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${dir}/tmp/${t};`)
    .join('\n  ');
  const log = opts.logRequests
    ? `log_format hosts '$host "$request" $status';\n  access_log ${dir}/logs/access.log hosts;`
    : 'access_log off;';
  return `${isRoot && !opts.runAs ? `user ${user} ${user === 'nobody' ? 'nogroup' : user};` : ''}
worker_processes ${opts.workers ?? 1};
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log ${opts.notices ? 'notice' : 'warn'};
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  ${log}
  ${temp}
  server_names_hash_bucket_size 128;
  ${opts.proxyCache ? `proxy_cache_path ${dir}/tmp/cache keys_zone=bench:1m;` : ''}
  server { listen 127.0.0.1:${port} default_server; server_name _; location / { return 404; } }
  include ${dir}/sites/*.conf;
}
`;
}

/** Hand the instance's dir to the user it runs as (its logs, temp files and pid file). */
function chownTree(dir: string, to: { uid: number; gid: number }): void {
  chownSync(dir, to.uid, to.gid);
  for (const e of readdirSync(dir, { recursive: true, encoding: 'utf8' })) chownSync(join(dir, e), to.uid, to.gid);
}

export async function startPrivateNginx(opts: PrivateNginxOptions = {}): Promise<PrivateNginx> {
  const dir = bedTempDir(opts.name ?? 'private-nginx');
  try {
    for (const sub of ['conf', 'logs', 'tmp', 'sites']) mkdirSync(join(dir, sub), { mode: 0o755 });
    const port = opts.httpPort ?? (await freePort());
    const httpsPort = opts.https ? await freePort() : null;
    const conf = join(dir, 'conf', 'nginx.conf');
    const errorLog = join(dir, 'logs', 'error.log');
    writeFileSync(conf, nginxConf(dir, port, opts));
    const base = ['-p', dir, '-c', conf, '-e', errorLog];
    await run(NGINX_BIN, [...base, '-t', '-q']);
    if (opts.runAs) chownTree(dir, opts.runAs); // after the test, which may have made the error log
    // A fixed port (pebble's challenge port) may still be held by another user for a moment.
    if (opts.httpPort) await waitFor(`port ${port} to be free`, async () => !(await canConnect(port)), PORT_WAIT_MS);
    const daemon = startDaemon(NGINX_BIN, base, join(dir, 'logs', 'stdout.log'), opts.runAs ?? {});
    await waitReady({ ...daemon, logFile: errorLog }, 'private nginx', () => canConnect(port)).catch(async (e) => {
      await stopDaemon(daemon, 'SIGKILL', [], 1_000).catch(() => undefined);
      throw e;
    });
    return {
      dir,
      port,
      httpsPort,
      sitesDir: join(dir, 'sites'),
      pluginConfig: {
        binary: NGINX_BIN,
        prefix: dir,
        conf,
        error_log: errorLog,
        sites_dir: join(dir, 'sites'),
        listen: `127.0.0.1:${port}`,
        // The panel's per-domain bandwidth logs stay in this instance's dir (linux mode would use /var/log);
        // a test reading the request log keeps them off (a server's access_log replaces the http one)
        ...(opts.logRequests ? { access_logs: false } : { access_log_dir: join(dir, 'logs', 'velopanel') }),
        ...(httpsPort ? { listen_ssl: `127.0.0.1:${httpsPort}` } : {}),
      },
      accessLog: () => {
        try {
          return readFileSync(join(dir, 'logs', 'access.log'), 'utf8')
            .trim()
            .split('\n');
        } catch {
          return [];
        }
      },
      reload: async () => {
        await run(NGINX_BIN, [...base, '-s', 'reload']);
      },
      async stop() {
        await stopDaemon(daemon, 'SIGQUIT', [port], 10_000);
        removeDir(dir);
      },
    };
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
