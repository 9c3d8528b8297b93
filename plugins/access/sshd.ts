import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { errors, type ExecService, type Logger } from '../../sdk/index.js';
import type { AccessConfig } from './config.js';

/** Who goes in which Match block (usernames were validated: `[a-z][a-z0-9]{2,15}`). */
export interface MatchUsers {
  /** Chrooted to their home, SFTP only. */
  sftp: string[];
  /** No SSH login at all: `nologin` accounts and suspended ones. */
  denied: string[];
}

const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const NO_FORWARDING = [
  'AllowTcpForwarding no',
  'AllowAgentForwarding no',
  'AllowStreamLocalForwarding no',
  'X11Forwarding no',
  'PermitTunnel no',
];

/** The managed Match file; it ends with `Match all` so whatever follows its Include is global again. */
export function renderMatchFile(users: MatchUsers, nologin: string): string {
  for (const u of [...users.sftp, ...users.denied])
    if (!USER.test(u))
      throw errors.internal(`refusing to write user name ${JSON.stringify(u)} into sshd's configuration`);
  const out = ['# Managed by VeloPanel (shells of hosting accounts): changes made here are overwritten.'];
  const block = (names: string[], lines: string[]) => {
    if (names.length) out.push(`Match User ${[...names].sort().join(',')}`, ...lines.map((l) => `    ${l}`));
  };
  // The home is the chroot; sessions start in public_html (the home itself is root's, see home-files.ts).
  block(users.sftp, [
    'ChrootDirectory %h',
    'ForceCommand internal-sftp -d /public_html',
    'PermitTTY no',
    ...NO_FORWARDING,
  ]);
  block(users.denied, [
    'PubkeyAuthentication no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'HostbasedAuthentication no',
    `ForceCommand ${nologin}`,
    'PermitTTY no',
    ...NO_FORWARDING,
  ]);
  out.push('Match all', '');
  return out.join('\n');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * sshd's managed Match file: a candidate is tested with `sshd -t` against a copy of the main
 * configuration that includes the candidate in place of the live file, and only then renamed
 * over it and sshd reloaded. A failing test leaves the live file and sshd as they were.
 */
export class SshdMatch {
  constructor(
    private readonly cfg: AccessConfig,
    private readonly exec: ExecService,
    private readonly log: Logger,
  ) {}

  /** The live file's text, or '' when there is none. */
  current(): string {
    try {
      return readFileSync(this.cfg.match_file, 'utf8');
    } catch {
      return '';
    }
  }

  async apply(text: string): Promise<void> {
    if (this.current() === text) return;
    const { match_file: live, sshd_config: main } = this.cfg;
    let mainText: string;
    try {
      mainText = readFileSync(main, 'utf8');
    } catch (e) {
      throw errors
        .unavailable(`sshd's configuration cannot be read, so shells cannot be applied`)
        .withAdminDetail(`${main}: ${(e as Error).message}`);
    }
    const include = new RegExp(`^([ \\t]*Include[ \\t]+)${escapeRe(live)}[ \\t]*$`, 'm');
    if (!include.test(mainText))
      throw errors
        .unavailable(`sshd does not read the panel's Match file, so shells cannot be applied`)
        .withAdminDetail(`add "Include ${live}" as the last line of ${main}`);
    const candidate = `${live}.new`;
    const testMain = `${live}.test-main`;
    try {
      writeFileSync(candidate, text, { mode: 0o644 });
      writeFileSync(testMain, mainText.replace(include, `$1${candidate}`), { mode: 0o600 });
      const r = await this.exec.run(this.cfg.sshd_binary, ['-t', '-f', testMain], {
        allowFailure: true,
        timeoutMs: 15_000,
      });
      if (r.code !== 0)
        throw errors
          .externalCommand('sshd refused the new Match configuration; nothing was changed')
          .withAdminDetail(r.stderr.trim().slice(0, 500));
      renameSync(candidate, live);
    } finally {
      rmSync(candidate, { force: true });
      rmSync(testMain, { force: true });
    }
    await this.reload();
  }

  /** SIGHUP (sshd re-executes itself and reads its configuration again), or the reload command. */
  private async reload(): Promise<void> {
    if (this.cfg.sshd_reload_command.length) {
      const [cmd, ...args] = this.cfg.sshd_reload_command;
      await this.exec.run(cmd!, args, { timeoutMs: 30_000 });
      return;
    }
    const pidFile = this.cfg.sshd_pid_file;
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
    if (!Number.isInteger(pid) || pid < 2) {
      this.log.warn('access: sshd is not running (no pid file); the Match file applies when it starts', { pidFile });
      return;
    }
    try {
      process.kill(pid, 'SIGHUP');
    } catch (e) {
      this.log.warn('access: could not signal sshd to reload', { pid, error: (e as Error).message });
    }
  }
}
