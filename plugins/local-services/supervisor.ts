import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { findBinary } from './binaries.js';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger, ManagedServiceState } from '../../sdk/index.js';

/** How to run one server: prepared once, then started, watched and restarted by {@link Supervisor}. */
export interface Recipe {
  name: string;
  /** Why it cannot run here (a binary is missing…), or null. Checked before anything else. */
  unavailable(): string | null;
  port: number | null;
  socket: string | null;
  /** Work directory; the process log is `<dir>/<name>.log`. */
  dir: string;
  /** One-time set-up before the first start (data directory, config files). */
  prepare(): Promise<void>;
  command(): { cmd: string; args: string[]; uid?: number; gid?: number; env?: NodeJS.ProcessEnv };
  ready(): Promise<boolean>;
  stopSignal: NodeJS.Signals;
  version(): Promise<string | null>;
  /** Pid file the server writes: a leftover of a panel that died hard is stopped before a start. */
  pidFile: string;
}

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 20_000;
const MAX_BACKOFF_MS = 30_000;

/** Resolves true when something accepts a connection on a loopback port or a unix socket. */
export function canConnect(target: number | string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = typeof target === 'number' ? connect(target, '127.0.0.1') : connect(target);
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Stops a server a previous panel left running (its pid file names a live process started from `dir`). */
async function stopLeftover(pidFile: string, dir: string): Promise<void> {
  let pid = 0;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]!.trim()) || 0;
  } catch {
    return;
  }
  const ours = () => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
    } catch {
      return false;
    }
  };
  if (!pid || !ours()) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && ours(); i++) await sleep(100);
  if (ours()) process.kill(pid, 'SIGKILL');
}

/**
 * Keeps one process running: starts it, waits until it answers, restarts it when it dies (1 s, 2 s,
 * 4 s… up to 30 s between tries; the delay resets after a minute of good running) and stops it
 * with its graceful signal (then SIGKILL) when the panel stops.
 */
export class Supervisor {
  readonly state: ManagedServiceState;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private failures = 0;

  constructor(
    private readonly r: Recipe,
    private readonly log: Logger,
  ) {
    this.state = {
      name: r.name,
      state: 'starting',
      pid: null,
      port: r.port,
      socket: r.socket,
      version: null,
      restarts: 0,
      reason: null,
    };
  }

  /** Prepare and start; resolves once the server answers (or it is known not to). */
  async start(): Promise<void> {
    const reason = this.r.unavailable();
    if (reason) return this.set('unavailable', reason);
    try {
      mkdirSync(this.r.dir, { recursive: true, mode: 0o750 });
      await this.r.prepare();
      this.state.version = await this.r.version().catch(() => null);
    } catch (e) {
      return this.set('unavailable', `could not be set up: ${(e as Error).message.slice(0, 500)}`);
    }
    await this.run();
  }

  private async run(): Promise<void> {
    if (this.stopping) return;
    await stopLeftover(this.r.pidFile, this.r.dir);
    const { cmd, args, ...opts } = this.r.command();
    const fd = openSync(path.join(this.r.dir, `${this.r.name}.log`), 'a');
    // setpriv --pdeathsig: the server gets its stop signal even when the panel is killed outright
    const setpriv = findBinary('setpriv');
    const argv = setpriv
      ? [setpriv, '--pdeathsig', this.r.stopSignal.replace(/^SIG/, ''), '--', cmd, ...args]
      : [cmd, ...args];
    // its own process group, so what it leaves behind when it dies (nginx workers) goes with it
    const child = spawn(argv[0]!, argv.slice(1), { ...opts, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    this.child = child;
    const startedAt = Date.now();
    this.exited = new Promise<void>((resolve) => {
      child.once('error', () => resolve());
      child.once('exit', (code, signal) => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is empty already
        }
        resolve();
        this.child = null;
        this.state.pid = null;
        if (this.stopping) return;
        if (Date.now() - startedAt > 60_000) this.failures = 0;
        const delay = Math.min(1000 * 2 ** this.failures++, MAX_BACKOFF_MS);
        this.state.restarts++;
        this.set('restarting', `exited (${signal ?? code}); restarting in ${delay / 1000} s`);
        void sleep(delay, undefined, { ref: false }).then(() => this.run());
      });
    });
    this.state.pid = child.pid ?? null;
    if (this.state.state !== 'restarting') this.state.state = 'starting';
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (let delay = 20; Date.now() < deadline && this.child === child; delay = Math.min(delay * 1.5, 250)) {
      if (await this.r.ready().catch(() => false)) {
        this.state.reason = null;
        return this.set('running', null);
      }
      await sleep(delay);
    }
    if (this.child === child)
      this.log.warn(`${this.r.name} did not become ready in time`, {
        log: path.join(this.r.dir, `${this.r.name}.log`),
      });
  }

  /** Stop for good: the graceful signal, SIGKILL after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child) {
      child.kill(this.r.stopSignal);
      const ended = await Promise.race([this.exited.then(() => true), sleep(STOP_GRACE_MS, false, { ref: false })]);
      if (!ended) {
        child.kill('SIGKILL');
        await this.exited;
      }
    }
    if (this.state.state !== 'unavailable') this.set('stopped', null);
  }

  private set(state: ManagedServiceState['state'], reason: string | null): void {
    this.state.state = state;
    this.state.reason = reason;
    if (state === 'restarting' || state === 'unavailable') this.log.warn(`${this.r.name}: ${reason}`);
  }
}
