// Private php-fpm 8.2 master (foreground) with `include pool.d/*.conf`; a `bed` pool always
// exists because the master refuses to start without one. Tests add per-account pools.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhpFpmInfo, Running } from '../types.js';
import { webUser } from './nginx.js';
import { bedTempDir, canConnect, isRoot, removeDir, run, startDaemon, stopDaemon, waitReady } from '../proc.js';

export const PHP_FPM_BIN = '/usr/sbin/php-fpm8.2';

export interface PoolOptions {
  name: string;
  /** OS user/group the workers run as (ignored when not root) */
  user: string;
  group?: string;
  socket: string;
  listenOwner: string;
  openBasedir?: string;
}

/** Pool file text in the form the panel writes: ondemand, unix socket owned by the web user. */
export function poolConfig(o: PoolOptions): string {
  const lines = [
    `[${o.name}]`,
    ...(isRoot ? [`user = ${o.user}`, `group = ${o.group ?? o.user}`] : []),
    `listen = ${o.socket}`,
    ...(isRoot ? [`listen.owner = ${o.listenOwner}`, `listen.group = ${o.listenOwner}`] : []),
    'listen.mode = 0660',
    'pm = ondemand',
    'pm.max_children = 4',
    'pm.process_idle_timeout = 10s',
    'catch_workers_output = yes',
    ...(o.openBasedir ? [`php_admin_value[open_basedir] = ${o.openBasedir}`] : []),
  ];
  return lines.join('\n') + '\n';
}

export async function startPhpFpm(): Promise<Running<PhpFpmInfo>> {
  const dir = bedTempDir('phpfpm');
  try {
    const poolDir = join(dir, 'pool.d');
    const socketDir = join(dir, 'sock');
    for (const d of [poolDir, socketDir, join(dir, 'log')]) mkdirSync(d, { mode: 0o755 });
    const listenOwner = webUser();
    const defaultSocket = join(socketDir, 'bed.sock');
    writeFileSync(
      join(poolDir, 'bed.conf'),
      poolConfig({ name: 'bed', user: listenOwner, socket: defaultSocket, listenOwner }),
    );
    const confPath = join(dir, 'php-fpm.conf');
    writeFileSync(
      confPath,
      `[global]
pid = ${join(dir, 'php-fpm.pid')}
error_log = ${join(dir, 'log', 'php-fpm.log')}
daemonize = no
include = ${poolDir}/*.conf
`,
    );
    const args = ['-F', '-y', confPath, '-p', dir];
    await run(PHP_FPM_BIN, [...args, '-t']);
    const version = (await run(PHP_FPM_BIN, ['-v'])).stdout.split('\n')[0] ?? '';
    const d = startDaemon(PHP_FPM_BIN, args, join(dir, 'log', 'stdout.log'));
    const stop = async () => {
      await stopDaemon(d, 'SIGQUIT', [defaultSocket], 10_000);
      removeDir(dir);
    };
    try {
      await waitReady({ ...d, logFile: join(dir, 'log', 'php-fpm.log') }, 'php-fpm socket', () =>
        canConnect(defaultSocket),
      );
      const info: PhpFpmInfo = {
        binary: PHP_FPM_BIN,
        version,
        prefix: dir,
        confPath,
        poolDir,
        socketDir,
        defaultSocket,
        listenOwner,
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
