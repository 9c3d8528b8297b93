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

/** Faults armed in this process by {@link failAt}, by name. */
const faults = new Set<string>();

/**
 * A named point where a test may make a step fail instead of killing the process (a store
 * that stops answering a renewal, say). Unarmed — always in production — it returns at once;
 * armed by {@link failAt}, it throws an `Error` naming the point every time it is reached.
 *
 * @example
 * ```ts
 * faultpoint('accounts.claims.renew'); // a test can make the claims' renewal fail here
 * await db.knex(table).whereIn('id', ids).update({ expires_at });
 * ```
 */
export function faultpoint(name: string): void {
  if (faults.size !== 0 && faults.has(name)) throw new Error(`failpoint ${name}: injected failure`);
}

/**
 * Test-only: make {@link faultpoint} `name` throw in this process until `clear` is called.
 *
 * @example
 * ```ts
 * const fault = failAt('accounts.claims.renew');
 * // … the claims stop being renewed …
 * fault.clear();
 * ```
 */
export function failAt(name: string): { clear: () => void } {
  faults.add(name);
  return { clear: () => void faults.delete(name) };
}
