import { TRASH_DIR, parseHomePath } from '../paths.js';
import { using, type Dir } from './fd.js';
import { measureEntry } from './measure.js';
import { lstatAt, walk, withHome, type HomeContext } from './walk.js';

/**
 * Where an operation may change the home's disk usage: entries measured whole (`trees`) and
 * folders counted by their own inode only (`inodes`), as home-relative name lists. Measuring
 * these before and after the operation gives what it changed in O(change), not O(home).
 */
export interface Touches {
  trees: string[][];
  inodes?: string[][];
}

const parts = (p: unknown) => parseHomePath(p).parts;

/** What each operation that changes usage touches, from its arguments (none: it changes nothing). */
export const TOUCHES: Record<string, (a: any) => Touches> = {
  write: (a) => ({ trees: [parts(a.path)] }),
  upload: (a) => ({ trees: [[...parts(a.folder), a.name]] }),
  copy: (a) => ({ trees: [parts(a.to)] }),
  compress: (a) => ({ trees: [parts(a.destination)] }),
  mkdir: (a) => ({ trees: [parts(a.path)] }),
  // A folder goes to the trash and counts the same until the purge; a file goes at once.
  delete: (a) => ({ trees: [parts(a.path)], inodes: [[TRASH_DIR]] }),
  purge: () => ({ trees: [[TRASH_DIR]] }),
};

/**
 * Fix what a probe measures: a path that exists is measured as it is; otherwise its first missing
 * component, below the deepest folder that exists (a `mkdir -p` then counts every folder it made).
 */
export async function resolveTouches(ctx: HomeContext, t: Touches): Promise<Touches> {
  return withHome(ctx, async (home) => {
    const trees: string[][] = [];
    for (const p of t.trees) {
      // i: how many leading components are folders that exist (the last one is measured as it is)
      let i = 0;
      while (i < p.length - 1) {
        const d = await walkQuiet(home, p.slice(0, i + 1));
        if (!d) break;
        await d.close();
        i++;
      }
      if (p.length > 0) trees.push(p.slice(0, i + 1));
    }
    return { trees, inodes: t.inodes };
  });
}

/** Disk the touched entries take now, in bytes (as the home is measured: allocated blocks). */
export async function measureTouches(ctx: HomeContext, t: Touches, skipFolders = false): Promise<number> {
  return withHome(ctx, async (home) => {
    let total = 0;
    for (const p of t.trees) {
      const dir = await walkQuiet(home, p.slice(0, -1));
      if (!dir) continue;
      total += await using(dir, async (d) => {
        const st = await lstatAt(d, p.at(-1)!);
        if (!st || (skipFolders && st.isDirectory())) return 0;
        return (await measureEntry(d, p.at(-1)!, ctx, false)).allocated;
      });
    }
    for (const p of t.inodes ?? []) {
      const dir = await walkQuiet(home, p.slice(0, -1));
      if (dir) total += await using(dir, async (d) => ((await lstatAt(d, p.at(-1)!))?.blocks ?? 0) * 512);
    }
    return total;
  });
}

/** Walk to a folder, or null when it is not there (a probe measures nothing there). */
async function walkQuiet(home: Dir, p: string[]): Promise<Dir | null> {
  return walk(home, p).catch(() => null);
}
