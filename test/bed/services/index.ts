// Which binaries each service needs, and how to start it. Service modules load lazily so a
// missing npm package (playwright-core, s3rver) only makes that one service unavailable.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Running, ServiceInfoMap, ServiceName } from '../types.js';

interface ServiceDef<N extends ServiceName> {
  binaries: string[];
  start(): Promise<Running<ServiceInfoMap[N]>>;
}

export const services: { [N in ServiceName]: ServiceDef<N> } = {
  mariadb: {
    binaries: ['/usr/sbin/mariadbd', 'mariadb-install-db', 'mariadb-admin', 'mariadb', 'mariadb-dump'],
    start: async () => (await import('./mariadb.js')).startMariadb(),
  },
  postgres: {
    binaries: [
      '/usr/lib/postgresql/15/bin/initdb',
      '/usr/lib/postgresql/15/bin/postgres',
      '/usr/lib/postgresql/15/bin/psql',
      'pg_dump',
    ],
    start: async () => (await import('./postgres.js')).startPostgres(),
  },
  nginx: {
    binaries: ['/usr/sbin/nginx', 'openssl'],
    start: async () => (await import('./nginx.js')).startNginx(),
  },
  phpfpm: {
    binaries: ['/usr/sbin/php-fpm8.2', '/usr/bin/php-cgi8.2'],
    start: async () => (await import('./phpfpm.js')).startPhpFpm(),
  },
  pebble: {
    binaries: ['pebble', 'pebble-challtestsrv', 'openssl'],
    // the port pebble GETs HTTP-01 challenges on; a free one unless VELOPANEL_BED_PEBBLE_HTTP_PORT
    start: async () =>
      (await import('./pebble.js')).startPebble({
        httpPort: Number(process.env.VELOPANEL_BED_PEBBLE_HTTP_PORT) || undefined,
      }),
  },
  sshd: {
    binaries: ['/usr/sbin/sshd', 'ssh-keygen', 'useradd', 'userdel', 'chpasswd'],
    start: async () => (await import('./sshd.js')).startSshd(),
  },
  s3: {
    binaries: [],
    start: async () => (await import('./s3.js')).startS3(),
  },
  pdns: {
    binaries: ['/usr/sbin/pdns_server', 'dig'],
    start: async () => (await import('./pdns.js')).startPdns(),
  },
  pebbledns: {
    binaries: ['pebble', 'pebble-challtestsrv', 'openssl', '/usr/sbin/pdns_server', 'dig'],
    start: async () => (await import('./pebble.js')).startPebbleWithPdns(),
  },
  named: {
    binaries: ['/usr/sbin/named', 'rndc', 'named-checkzone', 'dig'],
    start: async () => (await import('./named.js')).startNamed(),
  },
  chromium: {
    binaries: ['/usr/bin/chromium'],
    start: async () => (await import('./chromium.js')).startChromium(),
  },
};

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Binaries of `name` that are neither an executable path nor found on PATH (+ sbin dirs). */
export function missingBinaries(name: ServiceName): string[] {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN];
  return services[name].binaries.filter((bin) =>
    bin.startsWith('/') ? !executable(bin) : !dirs.some((d) => executable(join(d, bin))),
  );
}
