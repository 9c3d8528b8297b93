// A private nginx for one test file (real-services.md recipe): every path under a temp dir, a
// default_server answering 404, `include sites/*.conf`. Each file gets its own instance so
// parallel files never share a sites directory. (The shared test bed can replace this later.)
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const NGINX = '/usr/sbin/nginx';
export const WEB_USER = 'www-data';

export interface PrivateNginx {
  dir: string;
  port: number;
  sitesDir: string;
  /** `[plugins.nginx]` section pointing the engine at this instance. */
  pluginConfig: Record<string, unknown>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** GET through nginx with a Host header, on a fresh connection (never a reused keep-alive one). */
export function getVia(port: number, host: string, urlPath = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers: { Host: host, Connection: 'close' }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

export async function startPrivateNginx(): Promise<PrivateNginx> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-nginx-'));
  chmodSync(dir, 0o755);
  for (const sub of ['conf', 'logs', 'tmp', 'sites']) mkdirSync(path.join(dir, sub), { mode: 0o755 });
  const port = await freePort();
  const conf = path.join(dir, 'conf', 'nginx.conf');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/tmp/${t};`).join('\n  ');
  writeFileSync(conf, `user ${WEB_USER} ${WEB_USER};
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  ${temp}
  server_names_hash_bucket_size 128;
  server { listen 127.0.0.1:${port} default_server; server_name _; location / { return 404; } }
  include ${dir}/sites/*.conf;
}
`);
  const base = ['-p', dir, '-c', conf, '-e', path.join(dir, 'logs', 'error.log')];
  const child: ChildProcess = spawn(NGINX, base, { stdio: 'ignore' });
  let exited = false;
  const gone = new Promise<void>((r) => child.once('exit', () => { exited = true; r(); }));
  for (let i = 0; i < 200; i++) {
    if (exited) throw new Error('private nginx exited at start');
    if (await getVia(port, 'probe.invalid').then(() => true, () => false)) break;
    await sleep(25);
  }
  return {
    dir, port, sitesDir: path.join(dir, 'sites'),
    pluginConfig: { binary: NGINX, prefix: dir, conf, error_log: path.join(dir, 'logs', 'error.log'), sites_dir: path.join(dir, 'sites'), listen: `127.0.0.1:${port}` },
    async stop() {
      if (!exited) child.kill('SIGQUIT');
      await Promise.race([gone, sleep(10_000)]);
      if (!exited) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
