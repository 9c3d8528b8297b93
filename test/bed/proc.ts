// Process, port and temp-dir plumbing shared by the service modules.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, chmodSync, openSync, closeSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackDaemon, trackDir, untrackDir } from './tracking.js';

export { onEmergency, emergencyStopSync } from './tracking.js';

export const isRoot = process.getuid?.() === 0;

/** mkdtemp under os.tmpdir() with the bed prefix, 0755 so service workers (www-data…) can enter. */
export function bedTempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `velopanel-bed-${name}-`));
  chmodSync(dir, 0o755);
  trackDir(dir);
  return dir;
}

/** Removes a bed temp dir (kept when VELOPANEL_BED_KEEP is set, for post-mortems). */
export function removeDir(dir: string): void {
  untrackDir(dir);
  if (process.env.VELOPANEL_BED_KEEP) return;
  rmSync(dir, { recursive: true, force: true });
}

/** A TCP port that was free a moment ago (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves true if something accepts a connection (TCP port on 127.0.0.1, or a unix socket path). */
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

/** Bounded poll: resolves when check() is true, throws `what` after timeoutMs. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 1.5, 250)) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await sleep(delay);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

export interface RunOptions extends SpawnOptions {
  input?: string;
  timeoutMs?: number;
  /** at an emergency stop, wait for this command instead of killing it (e.g. useradd) */
  uninterruptible?: boolean;
}

/** Runs a command to completion (argument array, no shell), rejects on non-zero exit or timeout. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const stdin = opts.input === undefined ? 'ignore' : 'pipe';
    // own process group, so an emergency stop also reaches what a wrapper script started
    const child = spawn(cmd, args, {
      ...opts,
      stdio: [stdin, 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
      detached: true,
    });
    // a command that exits without reading its input must not crash us with EPIPE
    child.stdin?.on('error', () => undefined);
    // tracked too: an initdb/install-db still running at an emergency stop would race the dir removal
    const done = () => child.exitCode !== null || child.signalCode !== null;
    const signal = opts.uninterruptible ? null : 'SIGTERM';
    const untrack = child.pid === undefined ? () => false : trackDaemon(child.pid, signal, done, true);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      untrack();
      if (code === 0) resolve({ stdout, stderr });
      else
        reject(
          new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code}): ${(stderr || stdout).trim().slice(-600)}`),
        );
    });
    child.stdin?.end(opts.input);
  });
}

export interface Daemon {
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  logFile: string;
}

export interface DaemonOptions extends SpawnOptions {
  ipc?: boolean;
  /** graceful stop signal, used by the emergency path (default SIGTERM) */
  stopSignal?: NodeJS.Signals;
}

/** Starts a long-running process with stdout+stderr appended to logFile. */
export function startDaemon(cmd: string, args: string[], logFile: string, opts: DaemonOptions = {}): Daemon {
  const fd = openSync(logFile, 'a');
  // an IPC channel lets a node child notice that the bed's process died (see s3rver-child.mjs)
  const child = spawn(cmd, args, { ...opts, stdio: opts.ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd] });
  closeSync(fd);
  child.channel?.unref();
  let done = false;
  const exited = new Promise<void>((resolve) => {
    const end = () => {
      done = true;
      resolve();
    };
    child.once('exit', end);
    child.once('error', end);
  });
  if (child.pid === undefined) throw new Error(`${cmd} did not start (see ${logFile})`);
  const pid = child.pid;
  void exited.then(trackDaemon(pid, opts.stopSignal ?? 'SIGTERM', () => done));
  return { child, pid, exited, logFile };
}

/** Waits for `ready`, but fails fast with the log tail when the daemon dies first. */
export async function waitReady(
  d: Daemon,
  what: string,
  ready: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  let dead = false;
  void d.exited.then(() => (dead = true));
  await waitFor(
    what,
    async () => {
      if (dead) throw new Error(`${what}: process exited early: ${tail(d.logFile)}`);
      return ready();
    },
    timeoutMs,
  ).catch((e: Error) => {
    throw dead ? e : new Error(`${e.message}: ${tail(d.logFile)}`);
  });
}

/** Signal, wait for exit and for the port/socket to go away; SIGKILL after graceMs. */
export async function stopDaemon(
  d: Daemon,
  signal: NodeJS.Signals,
  gone: Array<number | string> = [],
  graceMs = 10_000,
): Promise<void> {
  const allGone = async () => (await Promise.all(gone.map((g) => canConnect(g)))).every((up) => !up);
  const exitedOrTimeout = (ms: number) => Promise.race([d.exited.then(() => true), sleep(ms, false, { ref: false })]);
  d.child.kill(signal);
  if (!(await exitedOrTimeout(graceMs))) {
    d.child.kill('SIGKILL');
    await exitedOrTimeout(5_000);
  }
  await waitFor(`${gone.join(', ')} to close`, allGone, 5_000);
}

/** Last lines of a log file, for error messages. */
export function tail(file: string, lines = 8): string {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' | ');
}

export function runSync(cmd: string, args: string[]): void {
  spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
}

export function randomSecret(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}
