import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecService } from '../../sdk/index.js';
import { canConnect, type Recipe } from './supervisor.js';
import { findBinary, notInstalled } from './binaries.js';

/** The web server: every vhost the nginx engine writes, on one loopback port, chosen by `Host`. */
export function nginxRecipe(
  exec: ExecService,
  o: { dataDir: string; binary: string; httpPort: number; httpsPort: number; sitesDir: string },
): Recipe & { conf: string; pidFile: string } {
  const dir = path.join(o.dataDir, 'services', 'nginx');
  const conf = path.join(dir, 'nginx.conf');
  const pidFile = path.join(dir, 'nginx.pid');
  const binary = () => findBinary(o.binary);
  const base = () => ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')];
  // Workers run as the panel's own user: in local mode the homes belong to it, not to www-data.
  const me = os.userInfo();
  const group = me.uid === 0 ? 'root' : String(me.gid);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
    (t) => `${t}_temp_path ${path.join(dir, 'tmp', t)};`,
  );
  return {
    name: 'nginx',
    dir,
    conf,
    pidFile,
    port: o.httpPort,
    socket: null,
    stopSignal: 'SIGQUIT',
    unavailable: () => (binary() ? null : notInstalled(o.binary)),
    async prepare() {
      mkdirSync(path.join(dir, 'tmp'), { recursive: true, mode: 0o750 });
      mkdirSync(o.sitesDir, { recursive: true, mode: 0o750 });
      writeFileSync(
        conf,
        `# Written by VeloPanel's local-services plugin at every start.
${me.uid === 0 ? `user root ${group};` : ''}
worker_processes 1;
daemon off;
pid ${pidFile};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 512; }
http {
  ${existsSync('/etc/nginx/mime.types') ? 'include /etc/nginx/mime.types;' : ''}
  default_type application/octet-stream;
  access_log ${path.join(dir, 'access.log')};
  ${temp.join('\n  ')}
  server_names_hash_bucket_size 128;
  server {
    listen 127.0.0.1:${o.httpPort} default_server;
    server_name _;
    location / { return 404; }
  }
  include ${o.sitesDir}/*.conf;
}
`,
        { mode: 0o640 },
      );
    },
    command: () => ({ cmd: binary()!, args: base() }),
    ready: () => canConnect(o.httpPort),
    async version() {
      const r = await exec.run(binary()!, ['-v'], { timeoutMs: 10_000 });
      return /nginx\/(\S+)/.exec(r.stderr + r.stdout)?.[1] ?? null;
    },
  };
}
