import { errors, type ExecService } from '../../sdk/index.js';
import { passwdShell } from './login-shell.js';
import type { CronJobRow } from './store.js';

const EMAIL =
  /^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Validate a job's command. It stays on its own line (no control characters at all, so no newline
 * can start a second job or a `NAME=value` line). cron turns an unescaped `%` into a newline and
 * feeds the rest to the command's stdin; {@link cronCommand} escapes every `%`, and a backslash
 * right before one is refused because it would cancel that escape.
 */
export function parseCommand(input: string, where = 'command'): string {
  const s = input.trim();
  if (!s) throw errors.validation(`${where}: must not be empty`);
  if (s.length > 1000) throw errors.validation(`${where}: must be at most 1000 characters`);
  if (/[\x00-\x1f\x7f]/.test(input))
    throw errors.validation(
      `${where}: must be one line without control characters (a newline would start another cron line)`,
    );
  if (/\\%/.test(s))
    throw errors.validation(`${where}: must not have a backslash before % (the panel escapes % itself)`);
  return s;
}

/** Validate the optional address cron mails output to (empty or null: no mail). */
export function parseEmail(input: string | null | undefined, where = 'email'): string | null {
  if (input === null || input === undefined || input.trim() === '') return null;
  const s = input.trim();
  if (s.length > 254 || !EMAIL.test(s))
    throw errors.validation(`${where}: must be an email address such as ops@example.com`);
  return s;
}

/** The command as cron must see it: every `%` escaped, so it is passed on literally. */
export function cronCommand(command: string): string {
  return command.replace(/%/g, '\\%');
}

/**
 * The account's whole crontab, from rows only (the caller validated every field again: values
 * come from the database, which a restore or an old version may have filled). Disabled jobs are
 * left out; each job sets MAILTO itself, so one job's address never applies to the next.
 */
export function renderCrontab(jobs: CronJobRow[]): string {
  const out = [
    '# Managed by VeloPanel: jobs are edited in the panel; changes made here are overwritten.',
    'SHELL=/bin/sh',
    'PATH=/usr/local/bin:/usr/bin:/bin',
  ];
  for (const j of jobs) {
    if (!j.enabled) continue;
    out.push(`# job ${j.id}`, `MAILTO=${j.email ?? '""'}`, `${j.schedule} ${cronCommand(j.command)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The account's crontab through `crontab -u` (root), the file always on stdin. */
export class Crontabs {
  constructor(private readonly exec: ExecService) {}

  /** Install the text as the user's crontab (crontab checks it too before it replaces the old one). */
  async install(user: string, text: string): Promise<void> {
    await this.exec.run('crontab', ['-u', user, '-'], { input: text, timeoutMs: 15_000 });
  }

  /** Remove the user's crontab; none there, or no such user any more (a repeated delete), is fine. */
  async remove(user: string): Promise<void> {
    // No crontab program: no cron here either, so there is nothing to remove.
    if (!(await this.exec.which('crontab')) || passwdShell(user) === null) return;
    const r = await this.exec.run('crontab', ['-u', user, '-r'], { allowFailure: true, timeoutMs: 15_000 });
    if (r.code !== 0 && !/no crontab/i.test(r.stderr))
      throw errors.externalCommand(`crontab -r failed for ${user}`).withAdminDetail(r.stderr.trim());
  }

  /** The installed crontab, or null when the user has none. */
  async read(user: string): Promise<string | null> {
    const r = await this.exec.run('crontab', ['-u', user, '-l'], { allowFailure: true, timeoutMs: 15_000 });
    return r.code === 0 ? r.stdout : null;
  }
}
