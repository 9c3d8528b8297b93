import { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { MANAGED_MARKER, type VhostChange } from './webserver-engines.js';

const NEW = '.vp-new';
const OLD = '.vp-old';

/** A change swapped into a {@link FragmentDirectory}, not yet committed. */
export interface FragmentSwap {
  written: number;
  removed: number;
  /** Forget the previous versions (after the server accepted and reloaded). */
  commit(): void;
  /** Put every previous version back and drop new files. */
  rollback(): void;
}

function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

function unlinkQuiet(file: string): void {
  if (lstatSync(file, { throwIfNoEntry: false })) unlinkSync(file);
}

/**
 * The directory of one-fragment-per-domain files an engine manages, with an atomic swap: every
 * new content goes to a temp file first, the current file is kept as a hard link until the
 * engine commits, and a rollback restores exactly the previous set. Only files starting with
 * {@link MANAGED_MARKER} are ever listed, so operator files in the same directory are left alone.
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

  constructor(readonly dir: string, readonly suffix: string) {}

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
      if (content?.startsWith(MANAGED_MARKER)) out.set(name, content);
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
    if (known && known.st.ino === st.ino && known.st.size === st.size && known.st.ctimeNs === st.ctimeNs && known.st.mtimeNs === st.mtimeNs)
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

  /** Write the change's temp files, then swap them in (keeping the old versions until commit). */
  swap(change: VhostChange): FragmentSwap {
    const done: { target: string; hadOld: boolean }[] = [];
    const temps: string[] = [];
    const target = (name: string) => {
      if (!this.isName(name)) throw new Error(`invalid fragment name '${name}'`);
      return path.join(this.dir, name);
    };
    const rollback = () => {
      for (const t of temps) unlinkQuiet(t);
      for (const d of done.reverse()) {
        if (d.hadOld) renameSync(d.target + OLD, d.target);
        else unlinkQuiet(d.target);
      }
      done.length = 0;
    };
    for (const name of [...change.write.map((f) => f.name), ...change.remove]) this.seen.delete(name);
    try {
      for (const f of change.write) {
        const tmp = target(f.name) + NEW;
        writeFileSync(tmp, f.content, { mode: 0o644 });
        temps.push(tmp);
      }
      for (const f of change.write) {
        const t = target(f.name);
        done.push({ target: t, hadOld: this.keepOld(t) });
        renameSync(t + NEW, t);
      }
      temps.length = 0;
      for (const name of change.remove) {
        const t = target(name);
        try {
          unlinkQuiet(t + OLD);
          renameSync(t, t + OLD);
          done.push({ target: t, hadOld: true });
        } catch (e) {
          if (!isMissing(e)) throw e;
        }
      }
    } catch (e) {
      rollback();
      throw e;
    }
    return {
      written: change.write.length,
      removed: done.length - change.write.length,
      commit: () => {
        for (const d of done) if (d.hadOld) unlinkQuiet(d.target + OLD);
        done.length = 0;
      },
      rollback,
    };
  }

  /** Hard-link the current file to its `.vp-old` name; false when there is no current file. */
  private keepOld(file: string): boolean {
    // A stat that cannot throw: thousands of new files must not each cost an exception.
    if (!statSync(file, { throwIfNoEntry: false })) return false;
    unlinkQuiet(file + OLD);
    linkSync(file, file + OLD);
    return true;
  }
}
