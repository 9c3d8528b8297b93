import { linkSync, lstatSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { VhostChange } from './webserver-engines.js';

/** Suffix of a temp file holding a replacement. */
export const NEW = '.vp-new';
/** Suffix of the previous version kept until commit. */
export const OLD = '.vp-old';
/**
 * Mode of every fragment: the server's master (root) reads it, tenants on the host do not (a
 * vhost or pool names other tenants' domains, paths and limits). Given at create time, so no
 * fragment is ever wider for a moment.
 */
export const FRAGMENT_MODE = 0o640;

/** A change swapped into a directory of fragments, not yet committed. */
export interface FragmentSwap {
  written: number;
  removed: number;
  /** Forget the previous versions (after the server accepted and reloaded). */
  commit(): void;
  /** Put every previous version back and drop new files. */
  rollback(): void;
}

/** Whether an error is "no such file". */
export function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Remove a file if it is there (a stat that cannot throw: no exception per missing file). */
export function unlinkQuiet(file: string): void {
  if (lstatSync(file, { throwIfNoEntry: false })) unlinkSync(file);
}

/**
 * Swap a change into `dir`: replaced files through a temp file and rename (the current version
 * kept as a `.vp-old` hard link until commit), new files created in place with O_EXCL, removed
 * files renamed to `.vp-old`. Any failure puts the previous set back before it throws.
 */
export function swapFragments(dir: string, change: VhostChange, isName: (name: string) => boolean): FragmentSwap {
  const done: { target: string; hadOld: boolean }[] = [];
  const temps: string[] = [];
  const target = (name: string) => {
    if (!isName(name)) throw new Error(`invalid fragment name '${name}'`);
    return path.join(dir, name);
  };
  const rollback = () => {
    for (const t of temps) unlinkQuiet(t);
    for (const d of done.reverse()) {
      if (d.hadOld) renameSync(d.target + OLD, d.target);
      else unlinkQuiet(d.target);
    }
    done.length = 0;
  };
  try {
    const replaced: string[] = [];
    for (const f of change.write) {
      const t = target(f.name);
      // A new file is created in place (O_EXCL): as invisible to the server until its test and
      // reload as a renamed temp file would be, for the cost of a plain write.
      try {
        writeFileSync(t, f.content, { mode: FRAGMENT_MODE, flag: 'wx' });
        done.push({ target: t, hadOld: false });
        continue;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          unlinkQuiet(t);
          throw e;
        }
      }
      // A stale temp file would keep its old mode through a plain write: start from a new file.
      unlinkQuiet(t + NEW);
      writeFileSync(t + NEW, f.content, { mode: FRAGMENT_MODE, flag: 'wx' });
      temps.push(t + NEW);
      replaced.push(t);
    }
    for (const t of replaced) {
      done.push({ target: t, hadOld: keepOld(t) });
      renameSync(t + NEW, t);
    }
    temps.length = 0;
    for (const name of change.remove) {
      const t = target(name);
      if (!lstatSync(t, { throwIfNoEntry: false })) continue;
      unlinkQuiet(t + OLD);
      renameSync(t, t + OLD);
      done.push({ target: t, hadOld: true });
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
function keepOld(file: string): boolean {
  // A stat that cannot throw: thousands of new files must not each cost an exception.
  if (!statSync(file, { throwIfNoEntry: false })) return false;
  unlinkQuiet(file + OLD);
  linkSync(file, file + OLD);
  return true;
}
