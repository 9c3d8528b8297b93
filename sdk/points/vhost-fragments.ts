import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { tightenModes, type ModeFix } from '../../core/file-modes.js';
import { FRAGMENT_MODE, isMissing, NEW, OLD, swapFragments, unlinkQuiet, type FragmentSwap } from './fragment-swap.js';
import { MANAGED_MARKER, type VhostChange } from './webserver-engines.js';

export type { FragmentSwap };

/**
 * The directory of one-fragment-per-domain files an engine manages, with an atomic swap: a
 * replaced file's new content goes to a temp file renamed over it, the current file kept as a hard
 * link until the engine commits; a new file is created in place with O_EXCL (the server reads
 * neither before the engine's test and reload); a rollback restores exactly the previous set.
 * Only files starting with {@link MANAGED_MARKER} are listed, so operator files are left alone.
 *
 * @example
 * ```ts
 * const dir = new FragmentDirectory('/etc/nginx/sites-enabled', '.conf');
 * const swap = dir.swap({ write: [{ name: 'example.com.conf', content }], remove: [] });
 * try { await testAndReload(); swap.commit(); } catch (e) { swap.rollback(); throw e; }
 * ```
 */
export class FragmentDirectory {
  /**
   * Contents already read, with the identity of the file they came from (inode, size, ctime,
   * mtime): a file whose stat still matches is not read again, so comparing thousands of unchanged
   * fragments costs a stat each. Any change on disk changes ctime, so it is always read afresh.
   */
  private readonly seen = new Map<string, { st: BigIntStats; content: string }>();

  /** `marker`: the first characters of every file the panel wrote here (others are the operator's). */
  constructor(
    readonly dir: string,
    readonly suffix: string,
    readonly marker: string = MANAGED_MARKER,
  ) {}

  /** Create the directory (0755) and undo any swap a crash interrupted. Returns files restored. */
  prepare(): number {
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    let restored = 0;
    for (const f of readdirSync(this.dir)) {
      if (f.endsWith(NEW)) unlinkQuiet(path.join(this.dir, f));
      if (f.endsWith(OLD)) {
        renameSync(path.join(this.dir, f), path.join(this.dir, f.slice(0, -OLD.length)));
        restored++;
      }
    }
    return restored;
  }

  /**
   * Narrow managed fragments that drifted wider than 0640 (an older version wrote 0644, an
   * operator copied them back); run at start, it returns what it fixed for the log. Only a file
   * whose mode is too wide is read (for the marker), so an unchanged directory costs a stat a file.
   */
  tightenModes(): ModeFix[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
    const wide = names.filter(
      (n) =>
        this.isName(n) &&
        (statSync(path.join(this.dir, n), { throwIfNoEntry: false })?.mode ?? 0) & 0o777 & ~FRAGMENT_MODE,
    );
    return tightenModes(
      wide
        .filter((n) => this.read(n)?.startsWith(this.marker))
        .map((n) => ({ path: path.join(this.dir, n), mode: FRAGMENT_MODE })),
    );
  }

  /** Whether a name is a fragment name this directory accepts (no path parts, right suffix). */
  isName(name: string): boolean {
    return name.endsWith(this.suffix) && /^[a-z0-9][a-z0-9._-]*$/.test(name) && name.length <= 255;
  }

  /** Managed fragments on disk (all, or only `only`): name → content. */
  readAll(only?: string[]): Map<string, string> {
    const out = new Map<string, string>();
    let names: string[];
    try {
      names = only ?? readdirSync(this.dir);
    } catch (e) {
      if (isMissing(e)) return out;
      throw e;
    }
    for (const name of names) {
      if (!this.isName(name)) continue;
      const content = this.read(name);
      if (content?.startsWith(this.marker)) out.set(name, content);
    }
    return out;
  }

  private read(name: string): string | null {
    const file = path.join(this.dir, name);
    const st = statSync(file, { bigint: true, throwIfNoEntry: false });
    const known = this.seen.get(name);
    if (!st || !st.isFile()) {
      this.seen.delete(name);
      return null;
    }
    if (
      known &&
      known.st.ino === st.ino &&
      known.st.size === st.size &&
      known.st.ctimeNs === st.ctimeNs &&
      known.st.mtimeNs === st.mtimeNs
    )
      return known.content;
    try {
      const content = readFileSync(file, 'utf8');
      this.seen.set(name, { st, content });
      return content;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  /** Swap a change in (see the class notes); the server has not seen it until the engine reloads. */
  swap(change: VhostChange): FragmentSwap {
    for (const name of [...change.write.map((f) => f.name), ...change.remove]) this.seen.delete(name);
    return swapFragments(this.dir, change, (name) => this.isName(name));
  }
}
