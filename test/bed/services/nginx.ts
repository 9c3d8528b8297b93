// Private nginx: every path under its prefix, a 404 default_server on HTTP and HTTPS, and
// `include sites/*.conf` for the vhosts tests add (reload through helpers/nginx.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NginxInfo, Running } from '../types.js';
import { makeLocalhostCert } from '../certs.js';
import {
  bedTempDir,
  canConnect,
  freePort,
  isRoot,
  removeDir,
  run,
  startDaemon,
  stopDaemon,
  waitReady,
} from '../proc.js';

export const NGINX_BIN = '/usr/sbin/nginx';

/** The user nginx workers (and so php-fpm socket owners) run as on this machine. */
export function webUser(): string {
  if (!isRoot) return process.env.USER ?? 'nobody';
  return readFileSync('/etc/passwd', 'utf8').includes('\nwww-data:') ? 'www-data' : 'nobody';
}

function config(p: {
  dir: string;
  httpPort: number;
  httpsPort: number;
  cert: string;
  key: string;
  user: string;
}): string {
  const t = (n: string) => `${n}_temp_path ${join(p.dir, 'tmp', n)};`;
  return `${isRoot ? `user ${p.user} ${p.user === 'nobody' ? 'nogroup' : p.user};` : ''}
worker_processes 2;
daemon off;
pid ${join(p.dir, 'nginx.pid')};
error_log ${join(p.dir, 'logs', 'error.log')} warn;
events { worker_connections 512; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${join(p.dir, 'logs', 'access.log')};
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(t).join('\n  ')}
  server_names_hash_bucket_size 128;
  server {
    listen 127.0.0.1:${p.httpPort} default_server;
    listen 127.0.0.1:${p.httpsPort} ssl default_server;
    server_name _;
    ssl_certificate ${p.cert};
    ssl_certificate_key ${p.key};
    location = /__bed/generation { include ${join(p.dir, 'generation.conf')}; }
    location / { return 404; }
  }
  include ${join(p.dir, 'sites')}/*.conf;
}
`;
}

export async function startNginx(): Promise<Running<NginxInfo>> {
  const dir = bedTempDir('nginx');
  try {
    for (const sub of ['conf', 'logs', 'tmp', 'sites', 'tls']) mkdirSync(join(dir, sub), { mode: 0o755 });
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const certs = await makeLocalhostCert(join(dir, 'tls'), { caName: 'velopanel-bed-nginx' });
    const user = webUser();
    const confPath = join(dir, 'conf', 'nginx.conf');
    const generationFile = join(dir, 'generation.conf');
    writeFileSync(generationFile, 'default_type text/plain; return 200 "0";\n');
    writeFileSync(confPath, config({ dir, httpPort, httpsPort, cert: certs.certPath, key: certs.keyPath, user }));
    const base = ['-p', dir, '-c', confPath, '-e', join(dir, 'logs', 'error.log')];
    await run(NGINX_BIN, [...base, '-t', '-q']);
    const d = startDaemon(NGINX_BIN, base, join(dir, 'logs', 'stdout.log'));
    const stop = async () => {
      await stopDaemon(d, 'SIGQUIT', [httpPort, httpsPort], 10_000);
      removeDir(dir);
    };
    try {
      await waitReady(
        { ...d, logFile: join(dir, 'logs', 'error.log') },
        'nginx ports',
        async () => (await canConnect(httpPort)) && canConnect(httpsPort),
      );
      const info: NginxInfo = {
        host: '127.0.0.1',
        httpPort,
        httpsPort,
        binary: NGINX_BIN,
        prefix: dir,
        confPath,
        sitesDir: join(dir, 'sites'),
        generationFile,
        defaultCert: certs.certPath,
        defaultKey: certs.keyPath,
        workerUser: user,
        workerGroup: user === 'nobody' ? 'nogroup' : user,
        pid: d.pid,
      };
      return { info, stop };
    } catch (e) {
      await stop().catch(() => undefined);
      throw e;
    }
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
