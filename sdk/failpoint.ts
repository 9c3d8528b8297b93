import { writeSync } from 'node:fs';

/** Names armed through `VELOPANEL_FAILPOINTS` (comma-separated), read once at load. */
const armed = new Set(
  (process.env.VELOPANEL_FAILPOINTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

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

/** Holds armed in this process by {@link holdAt}, by pause point name. */
const holds = new Map<string, { reached: () => void; released: Promise<void> }>();

/**
 * A named point where an in-process race test may hold an operation midway (a backup whose walk
 * has begun, a restore about to extract) while it sends the competing request. Unarmed — always
 * in production — it resolves at once. Armed by {@link holdAt}, the first operation to reach it
 * waits there until the test releases it.
 *
 * @example
 * ```ts
 * await pausepoint('backups.create.writing');
 * ```
 */
export async function pausepoint(name: string): Promise<void> {
  const hold = holds.size === 0 ? undefined : holds.get(name);
  if (!hold) return;
  holds.delete(name);
  hold.reached();
  await hold.released;
}

/**
 * Test-only: arm {@link pausepoint} `name` once. `reached` resolves when an operation waits
 * there; `release` lets it go on (calling it before it was reached disarms the point).
 *
 * @example
 * ```ts
 * const hold = holdAt('backups.create.writing');
 * const backup = panel.request('POST', '/api/backups/accounts/1?async=true');
 * await hold.reached; // the backup is under way, held
 * hold.release();
 * ```
 */
export function holdAt(name: string): { reached: Promise<void>; release: () => void } {
  let reached!: () => void;
  let release!: () => void;
  const reachedP = new Promise<void>((r) => (reached = r));
  const released = new Promise<void>((r) => (release = r));
  holds.set(name, { reached, released });
  return {
    reached: reachedP,
    release: () => {
      holds.delete(name);
      release();
    },
  };
}
