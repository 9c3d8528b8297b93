import { writeSync } from 'node:fs';

/** Names armed through `VELOPANEL_FAILPOINTS` (comma-separated), read once at load. */
const armed = new Set((process.env.VELOPANEL_FAILPOINTS ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/**
 * A named point in a multi-step change where a crash test may kill the panel. When the
 * environment variable `VELOPANEL_FAILPOINTS` names it, the process writes one line to stderr
 * (`velopanel: failpoint <name>`, so the test knows where it died) and kills itself with SIGKILL
 * on the spot: no handler, no `finally`, no flush — what a power cut or `kill -9` leaves. Unset,
 * it costs one set lookup on an empty set. Test-only: production never sets the variable.
 *
 * @example
 * ```ts
 * await fs.promises.rename(home, aside);
 * failpoint('backups.restore.home-aside'); // the home is gone, the staged copy not yet in place
 * await fs.promises.rename(staging, home);
 * ```
 */
export function failpoint(name: string): void {
  if (armed.size === 0 || !armed.has(name)) return;
  writeSync(2, `velopanel: failpoint ${name}\n`);
  process.kill(process.pid, 'SIGKILL');
}
