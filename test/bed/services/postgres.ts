// Private PostgreSQL 15 run as the `postgres` OS user (initdb refuses root). Auth: trust on the
// unix socket (its directory is 0700 postgres, so only root/postgres get there), scram-sha-256 on TCP.
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresInfo, Running } from '../types.js';
import * as proc from '../proc.js';
import { passwdIds } from '../users.js';
import { inBedDir, readyOrStop } from '../starting.js';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

const HBA = `local all all trust
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
`;

function osUser(name: string): { uid: number; gid: number } {
  const ids = passwdIds(name);
  if (!ids) throw new Error(`OS user ${name} not found (is postgresql-15 installed?)`);
  return ids;
}

export function startPostgres(): Promise<Running<PostgresInfo>> {
  const ids: { uid?: number; gid?: number } = proc.isRoot ? osUser('postgres') : {};
  return inBedDir('postgres', async (dir) => {
    const dataDir = join(dir, 'data');
    const socketDir = join(dir, 'sock');
    for (const d of [dataDir, socketDir]) {
      mkdirSync(d, { mode: 0o700 });
      if (proc.isRoot) chownSync(d, ids.uid!, ids.gid!);
    }
    const port = await proc.freePort();
    const socket = join(socketDir, `.s.PGSQL.${port}`);
    const asPg = { ...ids, cwd: dir, env: { ...process.env, LC_ALL: 'C.UTF-8' } };
    await proc.run(
      `${PG_BIN}/initdb`,
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'],
      asPg,
    );
    writeFileSync(join(dataDir, 'pg_hba.conf'), HBA);
    const d = proc.startDaemon(
      `${PG_BIN}/postgres`,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-k',
        socketDir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'max_connections=200',
      ],
      join(dir, 'pg.log'),
      { ...asPg, stopSignal: 'SIGINT' },
    );
    const stop = async () => {
      await proc.stopDaemon(d, 'SIGINT', [port, socket], 20_000);
      proc.removeDir(dir);
    };
    return readyOrStop(stop, async () => {
      const psqlArgs = [
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        socketDir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
      ];
      const psql = (input: string) => proc.run(`${PG_BIN}/psql`, psqlArgs, { input, timeoutMs: 10_000 });
      await proc.waitReady(
        d,
        'postgres socket',
        async () =>
          (await proc.canConnect(socket)) &&
          psql('SELECT 1').then(
            () => true,
            () => false,
          ),
      );
      const adminPassword = proc.randomSecret();
      await psql(`ALTER ROLE postgres PASSWORD '${adminPassword}';`);
      const version = (await psql('SHOW server_version;')).stdout.trim();
      const info: PostgresInfo = {
        host: '127.0.0.1',
        port,
        socketDir,
        adminUser: 'postgres',
        adminPassword,
        adminUrl: `postgres://postgres:${adminPassword}@127.0.0.1:${port}/postgres`,
        binDir: PG_BIN,
        version,
        dataDir,
        pid: d.pid,
      };
      return { info, stop };
    });
  });
}
