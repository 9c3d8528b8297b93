// Per-account php-fpm pools on the bed's master: write pool.d/<name>.conf, reload (USR2), wait
// for the pool's socket.
//
//   const pool = await addPool(bed.phpfpm, { user: account.name });
//   nginx: fastcgi_pass unix:${pool.socket};
//   await pool.remove();
import { mkdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhpFpmInfo } from '../types.js';
import { poolConfig } from '../services/phpfpm.js';
import { canConnect, run, waitFor } from '../proc.js';

export interface Pool {
  name: string;
  socket: string;
  file: string;
  remove(): Promise<void>;
}

export interface AddPoolOptions {
  user: string;
  group?: string;
  /** pool name; defaults to the user name */
  name?: string;
  openBasedir?: string;
}

const STALE_LOCK_MS = 30_000;

// A USR2 that arrives while the master is re-executing would kill it (default disposition), so
// reloads from parallel test files are serialised with a mkdir lock in the prefix.
async function withReloadLock<T>(info: PhpFpmInfo, fn: () => Promise<T>): Promise<T> {
  const lock = join(info.prefix, 'reload.lock');
  await waitFor(
    'php-fpm reload lock',
    () => {
      try {
        mkdirSync(lock);
        return true;
      } catch {
        const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > STALE_LOCK_MS) rmdirSync(lock);
        return false;
      }
    },
    STALE_LOCK_MS + 10_000,
  );
  try {
    return await fn();
  } finally {
    rmdirSync(lock);
  }
}

/** Tests the config, sends USR2, waits until `ready` (the master re-execs; its PID stays). */
async function reload(info: PhpFpmInfo, ready: () => Promise<boolean>): Promise<void> {
  // a config the new master cannot load would take the shared master down: test it first
  await run(info.binary, ['-t', '-y', info.confPath, '-p', info.prefix]);
  process.kill(info.pid, 'SIGUSR2');
  await waitFor('php-fpm reload', ready, 15_000);
}

export async function addPool(info: PhpFpmInfo, opts: AddPoolOptions): Promise<Pool> {
  const name = opts.name ?? opts.user;
  if (!/^[a-z_][a-z0-9_-]*$/.test(name)) throw new Error(`bad pool name ${name}`);
  const socket = join(info.socketDir, `${name}.sock`);
  const file = join(info.poolDir, `${name}.conf`);
  await withReloadLock(info, async () => {
    writeFileSync(file, poolConfig({ ...opts, name, socket, listenOwner: info.listenOwner }));
    try {
      await reload(info, () => canConnect(socket));
    } catch (e) {
      rmSync(file, { force: true });
      throw e;
    }
  });
  return {
    name,
    socket,
    file,
    remove: () =>
      withReloadLock(info, async () => {
        rmSync(file, { force: true });
        await reload(info, async () => !(await canConnect(socket)));
      }),
  };
}
