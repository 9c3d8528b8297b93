import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { accountCgroups, errors, isAlive, readPid, type AccountInfo, type PluginContext } from '../../sdk/index.js';
import type { PhpSettings } from './settings.js';
import { fpmMessage, type FpmMaster } from './master.js';
import { killOrphanWorkers } from './orphans.js';
import { poolNames } from './pool.js';
import type { FpmPools } from './pools.js';
import { socketAnswers } from './status.js';

// The shell writes its own pid into every cgroup.procs file of the account's groups, then starts
// php-fpm, which inherits them: the master and every worker it forks are inside the limits from
// their first instruction. A group it cannot enter stops the start (exit 97): a master never runs
// unconfined. The master stays in the foreground of its own session (so a USR2 reload re-executes
// it under the same pid), detached from the panel; its errors go to its error_log.
const ENTER_AND_START =
  'b=$1 c=$2; shift 2; for f do echo $$ > "$f" || exit 97; done; setsid "$b" -F -y "$c" </dev/null >/dev/null 2>&1 &';

/** A per-account master that is running: its pid and the binary (real path) it runs. */
export interface RunningMaster {
  pid: number;
  binary: string;
}

/**
 * One php-fpm master per FPM account (`account_masters`), holding only that account's pool, in
 * `<account_master_dir>/<user>/`. A pool change of the same version is the usual test-then-swap
 * and graceful reload of that master alone; a version change restarts it with the other binary.
 * Suspend and delete stop it and remove its directory. Every change returns its undo.
 */
export class AccountMasters {
  constructor(
    private readonly ctx: PluginContext,
    private readonly s: PhpSettings,
    private readonly pools: FpmPools,
  ) {}

  /** The master of an account for a php-fpm binary (the username is checked by {@link poolNames}). */
  master(username: string, version: string, binary: string): FpmMaster {
    poolNames(username, this.s.socketDir);
    const dir = path.join(this.s.accountMasterDir, username);
    return {
      version,
      binary,
      config: path.join(dir, 'php-fpm.conf'),
      prefix: '',
      poolDir: path.join(dir, 'pool.d'),
      pidFile: path.join(dir, 'php-fpm.pid'),
      reloadCommand: [],
      waitMs: this.s.reloadWaitMs,
    };
  }

  /** Usernames that have a master directory. */
  list(): string[] {
    try {
      return readdirSync(this.s.accountMasterDir).filter((u) =>
        existsSync(path.join(this.s.accountMasterDir, u, 'php-fpm.conf')),
      );
    } catch {
      return [];
    }
  }

  /** The account's master when it runs (checked by its process title, not only its pid file). */
  running(username: string): RunningMaster | null {
    const m = this.master(username, '', '');
    const pid = readPid(m.pidFile);
    if (!isAlive(pid)) return null;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(`php-fpm: master process (${m.config})`))
        return null;
      return { pid, binary: readlinkSync(`/proc/${pid}/exe`) };
    } catch {
      return null;
    }
  }

  /** Give the account's master this pool (starting or restarting it as needed); returns whether anything changed, and the undo. */
  async set(
    account: AccountInfo,
    m: FpmMaster,
    content: string,
    socket: string,
  ): Promise<{ changed: boolean; undo: () => Promise<void> }> {
    const { file } = poolNames(account.username, this.s.socketDir);
    const before = this.pools.read(m, file);
    const prev = this.running(account.username);
    this.writeConfig(m);
    const undo = () => this.restore(account, m, before, prev, socket);
    if (prev && prev.binary === realBinary(m.binary)) {
      const r = await this.pools.change(m, file, content, socket);
      return { changed: r.changed, undo };
    }
    if (prev) await this.stop(account.username);
    try {
      await this.pools.change(m, file, content, socket); // not running: tested and swapped in, nothing to reload
      await this.start(account, m);
    } catch (e) {
      await undo().catch((err: Error) =>
        this.ctx.logger.error('php: could not bring back the previous master', {
          account: account.id,
          error: err.message,
        }),
      );
      throw e;
    }
    return { changed: true, undo };
  }

  /** Stop the account's master and remove its directory; returns the undo (null when it had none). */
  async remove(account: AccountInfo): Promise<(() => Promise<void>) | null> {
    const m = this.master(account.username, '', '');
    const { file, socket } = poolNames(account.username, this.s.socketDir);
    const before = this.pools.read(m, file);
    const prev = this.running(account.username);
    if (before === null && !prev && !existsSync(m.config)) return null;
    await this.drop(account.username);
    return () => this.restore(account, m, before, prev, socket);
  }

  /** Stop a master and remove its directory (an account that no longer wants one). */
  async drop(username: string): Promise<void> {
    await this.stop(username);
    rmSync(path.dirname(this.master(username, '', '').config), { recursive: true, force: true });
  }

  /** Stop a master by its username (SIGQUIT: requests finish; SIGKILL when it outlasts the wait). */
  async stop(username: string): Promise<void> {
    for (const signal of ['SIGQUIT', 'SIGKILL'] as const) {
      const r = this.running(username);
      if (!r) return;
      process.kill(r.pid, signal);
      const deadline = Date.now() + this.s.reloadWaitMs;
      while (isAlive(r.pid) && Date.now() < deadline) await sleep(20);
      if (!isAlive(r.pid)) return;
    }
    throw errors.externalCommand(`the php-fpm master of ${username} did not stop`);
  }

  /** Start the master through the wrapper that enters the account's groups first; waits until its pool answers. */
  private async start(account: AccountInfo, m: FpmMaster): Promise<void> {
    const { pool, socket } = poolNames(account.username, this.s.socketDir);
    const orphans = killOrphanWorkers(pool, account.uid);
    if (orphans)
      this.ctx.logger.warn('php: killed workers a dead master left behind', { account: account.id, workers: orphans });
    const files = (await this.ctx.services.find(accountCgroups)?.entry(account.id)) ?? [];
    const r = await this.ctx.exec.run(
      '/bin/sh',
      ['-c', ENTER_AND_START, 'velopanel-fpm', m.binary, m.config, ...files],
      { allowFailure: true, timeoutMs: m.waitMs },
    );
    if (r.code === 97)
      throw errors
        .externalCommand(
          `php-fpm of ${account.username} was not started: it could not enter the account's control groups`,
        )
        .withAdminDetail(r.stderr.slice(0, 800));
    if (r.code !== 0)
      throw errors
        .externalCommand(`php-fpm ${m.version} of ${account.username} did not start`)
        .withAdminDetail(fpmMessage(r.stderr + '\n' + r.stdout) || `exit ${r.code}`);
    const deadline = Date.now() + m.waitMs;
    // Ready: it wrote its pid file and took its title (once its pool listens), and the pool answers.
    while (!this.running(account.username) || !(await socketAnswers(socket))) {
      if (Date.now() > deadline) {
        await this.stop(account.username).catch(() => undefined);
        throw errors
          .externalCommand(`php-fpm ${m.version} of ${account.username} did not answer within ${m.waitMs} ms`)
          .withAdminDetail(this.logTail(m));
      }
      await sleep(20);
    }
  }

  /** Put back a pool and master as they were (no pool: none runs, and its directory goes). */
  private async restore(
    account: AccountInfo,
    m: FpmMaster,
    before: string | null,
    prev: RunningMaster | null,
    socket: string,
  ): Promise<void> {
    await this.stop(account.username);
    const { file } = poolNames(account.username, this.s.socketDir);
    if (before === null) return void rmSync(path.dirname(m.config), { recursive: true, force: true });
    this.writeConfig(m);
    await this.pools.change(m, file, before, socket);
    if (prev) await this.start(account, { ...m, binary: prev.binary });
  }

  /** The last lines of a master's error log (what it said when it failed to start). */
  private logTail(m: FpmMaster): string {
    try {
      return fpmMessage(
        readFileSync(path.join(path.dirname(m.config), 'error.log'), 'utf8')
          .split('\n')
          .slice(-10)
          .join('\n'),
      );
    } catch {
      return 'no error log';
    }
  }

  private writeConfig(m: FpmMaster): void {
    mkdirSync(m.poolDir, { recursive: true, mode: 0o700 });
    const dir = path.dirname(m.config);
    writeFileSync(
      m.config,
      `; Managed by VeloPanel: the php-fpm master of one account\n[global]\npid = ${m.pidFile}\nerror_log = ${dir}/error.log\ndaemonize = no\ninclude = ${m.poolDir}/*.conf\n`,
      { mode: 0o600 },
    );
  }
}

function realBinary(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
