import { chmodSync, chownSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecService } from '../../sdk/index.js';
import { canConnect, type Recipe } from './supervisor.js';
import { findBinary, notInstalled, osUser, postgresBinDirs } from './binaries.js';

/** Whether users other than the owner may walk through `dir` and every directory above it. */
function othersCanReach(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((statSync(d, { throwIfNoEntry: false })?.mode ?? 0) % 2 === 0) return false;
    if (d === '/') return true;
  }
}

/**
 * PostgreSQL on a unix socket directory under the data dir, loopback port chosen by the panel.
 * It refuses to run as root, so as root it runs as the `postgres` OS user — which must then be
 * able to reach the data dir.
 */
export function postgresqlRecipe(exec: ExecService, o: { dataDir: string; binDir: string; port: number }): Recipe {
  const dir = path.join(o.dataDir, 'services', 'postgresql');
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'sock');
  const bin = (name: string) => findBinary(o.binDir ? path.join(o.binDir, name) : name, postgresBinDirs());
  const root = os.userInfo().uid === 0;
  const ids = root ? osUser('postgres') : null;
  const as = { ...(ids ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } };
  return {
    name: 'postgresql',
    dir,
    pidFile: path.join(dataDir, 'postmaster.pid'),
    port: o.port,
    socket: socketDir,
    stopSignal: 'SIGINT',
    unavailable() {
      if (!bin('postgres') || !bin('initdb')) return notInstalled('PostgreSQL (postgres and initdb)');
      if (root && !ids) return 'it cannot run as root and there is no postgres OS user';
      if (root && !othersCanReach(path.dirname(o.dataDir)))
        return `the postgres OS user cannot reach ${o.dataDir} (make the directories above it searchable, or run the panel as a normal user)`;
      return null;
    },
    async prepare() {
      // As root, postgres must pass through the data dir (0750 by default): search, not list; the
      // panel's own files in it are 0600 and its services dir 0711.
      if (root) chmodSync(o.dataDir, (statSync(o.dataDir).mode & 0o7777) | 0o001);
      for (const d of [dir, dataDir, socketDir]) {
        mkdirSync(d, { recursive: true, mode: 0o700 });
        if (ids) chownSync(d, ids.uid, ids.gid);
      }
      if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
      await exec.run(
        bin('initdb')!,
        ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'],
        { ...(ids ?? {}), cwd: dir, timeoutMs: 120_000 },
      );
      // trust only on the socket, whose directory is private to the server's user
      writeFileSync(
        path.join(dataDir, 'pg_hba.conf'),
        'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
      );
      if (ids) chownSync(path.join(dataDir, 'pg_hba.conf'), ids.uid, ids.gid);
    },
    command: () => ({
      cmd: bin('postgres')!,
      ...as,
      args: ['-D', dataDir, '-p', String(o.port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1'],
    }),
    ready: () => canConnect(path.join(socketDir, `.s.PGSQL.${o.port}`)),
    async version() {
      const r = await exec.run(bin('postgres')!, ['--version'], { timeoutMs: 10_000 });
      return /(\d+(\.\d+)+)/.exec(r.stdout)?.[1] ?? null;
    },
  };
}
