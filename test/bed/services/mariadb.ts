// Private MariaDB: own datadir, socket and port; root over the socket, a password admin over TCP.
import { join } from 'node:path';
import type { MariadbInfo, Running } from '../types.js';
import {
  bedTempDir,
  canConnect,
  freePort,
  isRoot,
  randomSecret,
  removeDir,
  run,
  startDaemon,
  stopDaemon,
  waitReady,
} from '../proc.js';

export async function startMariadb(): Promise<Running<MariadbInfo>> {
  const dir = bedTempDir('mariadb');
  const dataDir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const userArgs = isRoot ? ['--user=root'] : [];
  const port = await freePort();
  try {
    // the server-side options shrink the 100 MB default redo log and skip fsyncs: a test DB
    const fast = [
      '--innodb-log-file-size=16M',
      '--innodb-buffer-pool-size=64M',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      '--skip-log-bin',
    ];
    await run(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        ...userArgs,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...fast,
      ],
      { timeoutMs: 60_000 },
    );
    const d = startDaemon(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        ...userArgs,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        `--log-error=${join(dir, 'err.log')}`,
        '--skip-name-resolve',
        '--max-connections=300',
        '--innodb-fast-shutdown=2',
        ...fast,
      ],
      join(dir, 'stdout.log'),
    );
    const stop = async () => {
      await stopDaemon(d, 'SIGTERM', [port, socket], 30_000);
      removeDir(dir);
    };
    try {
      const ping = () =>
        run('mariadb-admin', ['--no-defaults', `--socket=${socket}`, '-uroot', 'ping'], { timeoutMs: 5_000 }).then(
          () => true,
          () => false,
        );
      await waitReady(
        { ...d, logFile: join(dir, 'err.log') },
        'mariadb ping',
        async () => (await ping()) && canConnect(port),
        30_000,
      );
      const adminUser = 'bedadmin';
      const adminPassword = randomSecret();
      await sql(
        socket,
        `CREATE USER '${adminUser}'@'127.0.0.1' IDENTIFIED BY '${adminPassword}';
        GRANT ALL PRIVILEGES ON *.* TO '${adminUser}'@'127.0.0.1' WITH GRANT OPTION;`,
      );
      const version = (await sql(socket, 'SELECT VERSION();')).trim();
      const info: MariadbInfo = {
        host: '127.0.0.1',
        port,
        socket,
        rootUser: 'root',
        adminUser,
        adminPassword,
        version,
        dataDir,
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

/** Runs SQL as root over the unix socket (statement text through stdin), returns the raw output. */
export async function sql(socket: string, statements: string): Promise<string> {
  const { stdout } = await run('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-N', '-B'], {
    input: statements,
    timeoutMs: 20_000,
  });
  return stdout;
}
