// Private PostgreSQL 15 run as the `postgres` OS user (initdb refuses root). Auth: trust on the
// unix socket (its directory is 0700 postgres, so only root/postgres get there), scram-sha-256 on TCP.
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresInfo, Running } from '../types.js';
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

export const PG_BIN = '/usr/lib/postgresql/15/bin';

const HBA = `local all all trust
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
`;

function osUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new Error(`OS user ${name} not found (is postgresql-15 installed?)`);
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<Running<PostgresInfo>> {
  const ids: { uid?: number; gid?: number } = isRoot ? osUser('postgres') : {};
  const dir = bedTempDir('postgres');
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  for (const d of [dataDir, socketDir]) {
    mkdirSync(d, { mode: 0o700 });
    if (isRoot) chownSync(d, ids.uid!, ids.gid!);
  }
  const port = await freePort();
  const socket = join(socketDir, `.s.PGSQL.${port}`);
  const asPg = { ...ids, cwd: dir, env: { ...process.env, LC_ALL: 'C.UTF-8' } };
  try {
    await run(
      `${PG_BIN}/initdb`,
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'],
      asPg,
    );
    writeFileSync(join(dataDir, 'pg_hba.conf'), HBA);
    const d = startDaemon(
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
      await stopDaemon(d, 'SIGINT', [port, socket], 20_000);
      removeDir(dir);
    };
    try {
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
      const psql = (input: string) => run(`${PG_BIN}/psql`, psqlArgs, { input, timeoutMs: 10_000 });
      await waitReady(
        d,
        'postgres socket',
        async () =>
          (await canConnect(socket)) &&
          psql('SELECT 1').then(
            () => true,
            () => false,
          ),
      );
      const adminPassword = randomSecret();
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
    } catch (e) {
      await stop().catch(() => undefined);
      throw e;
    }
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
