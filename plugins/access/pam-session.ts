import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errors, type ExecService, type Logger } from '../../sdk/index.js';
import type { AccessConfig } from './config.js';
import { CHECK_ENV, renderSessionHelper } from './session-helper.js';

const MARK = "# VeloPanel: SSH sessions start in the account's control groups (the next line is managed)";

/** The PAM text without the panel's line (and its marker). */
export function withoutSessionLine(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === MARK) {
      if (/pam_exec\.so/.test(lines[i + 1] ?? '')) i++;
      continue;
    }
    out.push(lines[i]!);
  }
  return out.join('\n');
}

const SESSION = /^\s*-?session\s/;

/**
 * The PAM text with the panel's line where it must be: after pam_systemd (Debian's
 * `@include common-session`, or the module's own line), which moves the session into logind's
 * scope and would undo an earlier placement; before pam_env, which may read a user's
 * ~/.pam_environment into the environment a later pam_exec passes to its root-run program. With
 * neither, it goes first among the session rules (after pam_selinux's `close`). A stack where
 * pam_env comes before pam_systemd gets no line (an error: the caller leaves sessions to the sweep).
 */
export function withSessionLine(text: string, helper: string): string {
  const lines = withoutSessionLine(text).split('\n');
  const last = (re: RegExp) => lines.reduce((found, l, i) => (re.test(l) ? i : found), -1);
  const after = Math.max(last(/^\s*@include\s+common-session\s*$/), last(/^\s*-?session\s.*\bpam_systemd\.so/));
  const first = lines.findIndex((l) => SESSION.test(l) && !/pam_selinux\.so/.test(l));
  const at = after >= 0 ? after + 1 : first >= 0 ? first : lines.at(-1) === '' ? lines.length - 1 : lines.length;
  const env = lines.findIndex((l) => SESSION.test(l) && /\bpam_env\.so/.test(l));
  if (env >= 0 && env < at)
    throw errors.internal(`line ${env + 1}: pam_env comes before pam_systemd in the PAM stack; no line was added`);
  lines.splice(at, 0, MARK, `session    required     pam_exec.so quiet ${helper}`);
  return lines.join('\n');
}

/** Whether a PAM module is installed in one of the usual module directories. */
function pamModule(name: string): boolean {
  const dirs = ['/lib', '/lib64', '/usr/lib', '/usr/lib64'].flatMap((d) => [
    path.join(d, 'security'),
    ...(existsSync(d) ? readdirSync(d).filter((e) => e.endsWith('-linux-gnu')) : []).map((e) =>
      path.join(d, e, 'security'),
    ),
  ]);
  return dirs.some((d) => existsSync(path.join(d, name)));
}

/** Root runs the helper: it and every directory above it must be root's and writable by no one else. */
function assertRootOnly(file: string): void {
  for (let p = path.dirname(file); ; p = path.dirname(p)) {
    const st = statSync(p);
    if (st.uid !== 0 || (st.mode & 0o022) !== 0)
      throw errors.internal(`${p} is not root's alone (owner ${st.uid}, mode ${(st.mode & 0o777).toString(8)})`);
    if (p === '/') return;
  }
}

/** Replace a file by rename from a sibling, keeping its mode (PAM reads it at every login). */
function replace(file: string, text: string, mode: number): void {
  const tmp = `${file}.velopanel-new`;
  try {
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * sshd's PAM session line and the helper it runs. Set up: the helper is written and run once (for
 * a user without groups: it must exit 0), then the line goes into the PAM file. Anything failing
 * leaves no line of the panel's in the PAM file (sessions then wait for the sweep): a line whose
 * helper cannot run would refuse every SSH login on the host.
 */
export class PamSession {
  constructor(
    private readonly cfg: AccessConfig,
    private readonly exec: ExecService,
    private readonly log: Logger,
  ) {}

  /** Set up for these group directories ([]: none here, or turned off: the line goes). */
  async sync(parents: string[]): Promise<'placed at session start' | 'sweep only'> {
    const file = this.cfg.pam_file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      this.log.warn('access: SSH sessions wait for the cgroup sweep: the PAM file cannot be read', {
        file,
        error: (e as Error).message,
      });
      return 'sweep only';
    }
    const mode = statSync(file).mode & 0o777;
    if (this.cfg.session_cgroups && parents.length) {
      try {
        if (!pamModule('pam_exec.so')) throw errors.internal('pam_exec.so is not installed (Debian: libpam-modules)');
        await this.writeHelper(parents);
        const next = withSessionLine(text, this.cfg.session_helper);
        if (next !== text) replace(file, next, mode);
        await this.warnWithoutPam();
        return 'placed at session start';
      } catch (e) {
        this.log.warn('access: SSH sessions wait for the cgroup sweep', { file, error: (e as Error).message });
      }
    }
    const next = withoutSessionLine(text);
    if (next !== text) replace(file, next, mode);
    return 'sweep only';
  }

  /** sshd reads no PAM stack unless `UsePAM yes`: the line is then inert, and the sweep alone places sessions. */
  private async warnWithoutPam(): Promise<void> {
    const r = await this.exec.run(this.cfg.sshd_binary, ['-T', '-f', this.cfg.sshd_config], {
      allowFailure: true,
      timeoutMs: 15_000,
    });
    if (r.code === 0 && !/^usepam yes$/m.test(r.stdout))
      this.log.warn('access: sshd runs without PAM (UsePAM no): SSH sessions wait for the cgroup sweep', {
        sshd_config: this.cfg.sshd_config,
      });
  }

  private async writeHelper(parents: string[]): Promise<void> {
    const helper = this.cfg.session_helper;
    mkdirSync(path.dirname(helper), { recursive: true, mode: 0o755 });
    assertRootOnly(helper);
    const text = renderSessionHelper(parents);
    const st = existsSync(helper) ? statSync(helper) : null;
    if (!st || st.uid !== 0 || st.mode & 0o022 || readFileSync(helper, 'utf8') !== text) replace(helper, text, 0o700);
    const r = await this.exec.run(helper, [], { env: CHECK_ENV, allowFailure: true, timeoutMs: 10_000 });
    if (r.code !== 0)
      throw errors.internal(`the SSH session helper ${helper} failed its check (exit ${r.code}): ${r.stderr.trim()}`);
  }
}
