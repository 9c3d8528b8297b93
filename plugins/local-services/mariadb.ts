import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecService } from '../../sdk/index.js';
import { canConnect, type Recipe } from './supervisor.js';
import { findBinary, notInstalled } from './binaries.js';

/**
 * MariaDB on a unix socket only (no TCP port to collide with anything), its data under the data
 * dir. The admin login is `root` over that socket without a password: only the panel's own user
 * can reach the socket's directory. As root, mariadbd needs `--user=root` to agree to run.
 */
export function mariadbRecipe(exec: ExecService, o: { dataDir: string; binary: string }): Recipe {
  const dir = path.join(o.dataDir, 'services', 'mariadb');
  const dataDir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const server = () => findBinary(o.binary);
  const installDb = () => findBinary('mariadb-install-db') ?? findBinary('mysql_install_db');
  const asRoot = os.userInfo().uid === 0 ? ['--user=root'] : [];
  // A small server: shorter redo log and buffer pool than the defaults, for a panel on a laptop.
  const small = ['--innodb-log-file-size=16M', '--innodb-buffer-pool-size=64M', '--skip-log-bin'];
  return {
    name: 'mariadb',
    dir,
    pidFile: path.join(dir, 'mariadbd.pid'),
    port: null,
    socket,
    stopSignal: 'SIGTERM',
    unavailable: () => (!server() ? notInstalled(o.binary) : !installDb() ? notInstalled('mariadb-install-db') : null),
    async prepare() {
      if (existsSync(path.join(dataDir, 'mysql'))) return;
      await exec.run(
        installDb()!,
        [
          '--no-defaults',
          `--datadir=${dataDir}`,
          ...asRoot,
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
          ...small,
        ],
        { timeoutMs: 120_000 },
      );
    },
    command: () => ({
      cmd: server()!,
      args: [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        '--skip-networking',
        ...asRoot,
        `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
        `--log-error=${path.join(dir, 'error.log')}`,
        '--skip-name-resolve',
        ...small,
      ],
    }),
    ready: () => canConnect(socket),
    async version() {
      const r = await exec.run(server()!, ['--version'], { timeoutMs: 10_000 });
      return /Ver\s+(\S+)/.exec(r.stdout)?.[1] ?? null;
    },
  };
}
