import { readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors, isAlive, readPid, type ExecService } from '../../sdk/index.js';
import { socketAnswers } from './status.js';

/** One php-fpm master (one per PHP version) as the plugin drives it. */
export interface FpmMaster {
  version: string;
  binary: string;
  /** Master configuration for `-t -y` ('' = the binary's built-in default). */
  config: string;
  prefix: string;
  poolDir: string;
  pidFile: string;
  reloadCommand: string[];
  waitMs: number;
  /** Pools without a user are allowed to run as root (`-R`): the panel's own master when the panel is root. */
  allowRoot?: boolean;
}

/** php-fpm's own words: its ERROR/ALERT lines when there are some. */
export function fpmMessage(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim())
    .filter(Boolean);
  const bad = lines.filter((l) => /^(ERROR|ALERT|EMERG)/.test(l));
  return (bad.length ? bad : lines).join('; ').slice(0, 800);
}

/** `php-fpm -t [-y conf] [-p prefix]`: does the master accept this configuration? */
export async function testMaster(
  exec: ExecService,
  m: FpmMaster,
  config = m.config,
): Promise<{ ok: boolean; message: string }> {
  const args = [
    '-t',
    ...(config ? ['-y', config] : []),
    ...(m.prefix ? ['-p', m.prefix] : []),
    ...(m.allowRoot ? ['-R'] : []),
  ];
  const r = await exec.run(m.binary, args, { allowFailure: true, timeoutMs: 60_000 });
  return { ok: r.code === 0, message: fpmMessage(r.stderr + '\n' + r.stdout) || `exit ${r.code}` };
}

function pidFileStamp(file: string): string | null {
  try {
    const st = statSync(file);
    return `${st.ino}:${st.mtimeMs}`;
  } catch {
    return null;
  }
}

function masterReady(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('php-fpm: master process');
  } catch {
    return false;
  }
}

/**
 * Reload a master gracefully (USR2 to its pid, or the configured command) and wait until the
 * re-executed master is up: it rewrites its pid file and sets its process title once its pools
 * listen. A second USR2 during the re-exec would kill it, so callers reload one at a time.
 * `socket`: a pool socket that must now accept (`present`) or refuse connections.
 */
export async function reloadMaster(
  exec: ExecService,
  m: FpmMaster,
  socket: { path: string; present: boolean } | null,
): Promise<{ reloaded: boolean; message: string }> {
  const pid = m.pidFile ? readPid(m.pidFile) : null;
  if (!m.reloadCommand.length && !isAlive(pid))
    return { reloaded: false, message: `php-fpm ${m.version} is not running; the pool loads when it starts` };
  const before = m.pidFile ? pidFileStamp(m.pidFile) : null;
  if (m.reloadCommand.length) {
    const [cmd, ...args] = m.reloadCommand.map((a) => a.split('{version}').join(m.version));
    const r = await exec.run(cmd!, args, { allowFailure: true, timeoutMs: 60_000 });
    if (r.code !== 0)
      throw errors
        .externalCommand(`php-fpm ${m.version} reload failed`)
        .withAdminDetail(fpmMessage(r.stderr || r.stdout) || `exit ${r.code}`);
  } else process.kill(pid!, 'SIGUSR2');
  const watched = isAlive(pid) ? pid : null;
  const deadline = Date.now() + m.waitMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const masterDone = watched === null || (pidFileStamp(m.pidFile) !== before && masterReady(watched));
    if (masterDone && (!socket || (await socketAnswers(socket.path)) === socket.present))
      return { reloaded: true, message: `php-fpm ${m.version} reloaded` };
    if (watched !== null && !isAlive(watched))
      throw errors.externalCommand(`php-fpm ${m.version} stopped while reloading (see its error log)`);
    if (Date.now() > deadline)
      throw errors.externalCommand(`php-fpm ${m.version} did not finish reloading within ${m.waitMs} ms`);
    await sleep(delay);
  }
}
