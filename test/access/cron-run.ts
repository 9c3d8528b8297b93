// Running an installed crontab line the way Debian's cron does (do_command.c): the text after the
// five fields, an unescaped `%` ends the command (the rest is its stdin), `\%` is a literal `%`,
// run by /bin/sh -c as the user, in its home, with cron's environment.
import { spawnSync } from 'node:child_process';

/** Split a command field as cron does: [command, stdin]. */
export function cronSplit(field: string): [string, string] {
  let out = '';
  let escaped = false;
  for (let i = 0; i < field.length; i++) {
    const ch = field[i]!;
    if (escaped) {
      out += ch === '%' ? '%' : `\\${ch}`;
      escaped = false;
      continue;
    }
    if (ch === '\\') {
      escaped = true;
      continue;
    }
    if (ch === '%') return [out, field.slice(i + 1).replace(/%/g, '\n')];
    out += ch;
  }
  return [escaped ? `${out}\\` : out, ''];
}

/** The job lines of a crontab (not comments, not variables). */
export function jobLines(crontab: string): string[] {
  return crontab.split('\n').filter((l) => l.trim() && !l.startsWith('#') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(l));
}

/** Run one job line as the user through /bin/sh, as cron would. */
export function runLikeCron(
  line: string,
  user: { uid: number; gid: number; home: string; name: string },
): number | null {
  const field = line.startsWith('@') ? line.replace(/^\S+ /, '') : line.split(' ').slice(5).join(' ');
  const [command, stdin] = cronSplit(field);
  const env = { HOME: user.home, LOGNAME: user.name, SHELL: '/bin/sh', PATH: '/usr/local/bin:/usr/bin:/bin' };
  return spawnSync('/bin/sh', ['-c', command], { uid: user.uid, gid: user.gid, cwd: user.home, env, input: stdin })
    .status;
}
