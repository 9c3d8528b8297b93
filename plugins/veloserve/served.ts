import { statSync, type BigIntStats } from 'node:fs';
import { MANAGED_MARKER } from '../../sdk/index.js';
import { assembleConfig, sectionFragments } from './assemble.js';
import { readOrEmpty } from './cli.js';
import { veloserveFragmentName } from './render.js';

const withNewline = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
const sameFile = (a: BigIntStats, b: BigIntStats) =>
  a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

/**
 * What VeloServe really serves: the fragments held in the managed section of its main file (it
 * reads nothing else). The parse is kept while the file's identity (inode, size, times) stays the
 * same, so comparing it on every change costs a stat.
 */
export class ServedConfig {
  private cached: { st: BigIntStats; fragments: Map<string, string>; skeleton?: string } | null = null;

  constructor(private readonly configPath: string) {}

  /** Fragment name → content as the main file holds it. */
  fragments(): Map<string, string> {
    const st = statSync(this.configPath, { bigint: true, throwIfNoEntry: false });
    if (!st) return new Map();
    if (this.cached && sameFile(this.cached.st, st)) return this.cached.fragments;
    const fragments = new Map<string, string>();
    for (const [domain, content] of sectionFragments(readOrEmpty(this.configPath), MANAGED_MARKER)) {
      try {
        fragments.set(veloserveFragmentName(domain), content);
      } catch {
        // not a name the engine writes: a hand edit, listed by nobody (the next change drops it)
      }
    }
    this.cached = { st, fragments };
    return fragments;
  }

  /**
   * Remember what was just written (the fragments of its section and the file with its section
   * empty), so the next compare and the next assembly need no read of a file holding thousands of
   * hosts. `fragments` is the engine's section map, kept by reference: the engine changes it only
   * once the file holding the change is in place, and a new file no longer matches this one.
   */
  wrote(fragments: Map<string, string>, skeleton: string): void {
    const st = statSync(this.configPath, { bigint: true, throwIfNoEntry: false });
    this.cached = st ? { st, fragments, skeleton } : null;
  }

  /**
   * The main file with its managed section empty: all {@link assembleConfig} needs of it. Read
   * from disk only when the file is not the one last written (an operator edited it).
   */
  skeleton(): string {
    const st = statSync(this.configPath, { bigint: true, throwIfNoEntry: false });
    if (st && this.cached?.skeleton !== undefined && sameFile(this.cached.st, st)) return this.cached.skeleton;
    return assembleConfig(readOrEmpty(this.configPath), []);
  }

  /**
   * Fragments on disk as the server sees them: one the main file does not hold as it is on disk
   * lists with empty content (no rendering is empty, so a sync writes it again), and one the main
   * file holds without a file under `vhosts/` lists too (a sync removes it or writes its file).
   */
  asServed(onDisk: Map<string, string>, only?: string[]): Map<string, string> {
    const served = this.fragments();
    const out = new Map<string, string>();
    for (const [name, content] of onDisk)
      out.set(name, withNewline(served.get(name) ?? '') === withNewline(content) ? content : '');
    // Only the names asked about when there are some: a change to one account looks at its hosts, not all.
    for (const name of only ?? served.keys()) if (!onDisk.has(name) && served.has(name)) out.set(name, '');
    return out;
  }
}
