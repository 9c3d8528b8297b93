import { BEGIN } from './assemble.js';

/** A fragment as it sits in the section: ending with a newline, then the blank line between fragments. */
const unit = (content: string) => Buffer.from(content.endsWith('\n') ? `${content}\n` : `${content}\n\n`);

/** Where `name` is, or would go, in `sorted` (`Array.prototype.sort` order), by binary search. */
function at(sorted: string[], name: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One change to a section: the fragments that are new or differ, and the names that go. */
export interface SectionChange {
  write: Map<string, string>;
  remove: Set<string>;
}

/** Past this many pieces, a committed body is copied into one buffer again (once in that many changes). */
const MAX_PIECES = 256;

/**
 * The managed section of VeloServe's main file as bytes, kept between changes: the fragments in
 * name order, each one's byte length, and the body as a list of buffers (views of earlier bodies
 * and the new fragments). A change then costs a binary search per changed fragment and a few
 * views around them — not a join of every fragment of the server, and not even a copy of the
 * unchanged bytes, which go to the file as they are. The bytes are those {@link assembleConfig}
 * makes from the sorted fragments. `fragments` changes only on {@link commit}.
 */
export class ManagedSection {
  private names: string[];
  private lens: number[];
  private body: Buffer[];
  /** Where each buffer of {@link body} ends in the section. */
  private ends: number[];
  /** Counts commits, so state kept beside the section (the checker's counts) knows when it is stale. */
  version = 0;

  constructor(readonly fragments: Map<string, string>) {
    this.names = [...fragments.keys()].sort();
    const units = this.names.map((n) => unit(fragments.get(n)!));
    this.lens = units.map((u) => u.length);
    [this.body, this.ends] = pieces([Buffer.concat(units)]);
  }

  /** A change as the engine gives it: writes first, then removals (a name in both goes). */
  static change(write: { name: string; content: string }[], remove: string[]): SectionChange {
    const gone = new Set(remove);
    return { write: new Map(write.filter((f) => !gone.has(f.name)).map((f) => [f.name, f.content])), remove: gone };
  }

  /** Views of the section's bytes [from, to). */
  private bytes(from: number, to: number): Buffer[] {
    const out: Buffer[] = [];
    // The first buffer ending after `from`, by binary search.
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid]! <= from) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < this.body.length; k++) {
      const start = k === 0 ? 0 : this.ends[k - 1]!;
      if (start >= to) break;
      out.push(this.body[k]!.subarray(Math.max(0, from - start), Math.min(this.ends[k]!, to) - start));
    }
    return out;
  }

  /**
   * The main file with this section changed by `change`, in `skeleton` (the file with its section
   * empty), as buffers to write in order; `commit` makes the change this section's state.
   */
  preview(skeleton: string, change: SectionChange): { parts: Buffer[]; commit: () => void } {
    const touched = [...new Set([...change.write.keys(), ...change.remove])]
      .map((name) => ({ name, i: at(this.names, name) }))
      .map((e) => ({ ...e, present: this.names[e.i] === e.name }))
      // By position; a new name goes before the present one at its place, new names in order.
      .sort((a, b) => a.i - b.i || Number(a.present) - Number(b.present) || (a.name < b.name ? -1 : 1));
    const body: Buffer[] = [];
    const names: string[][] = [];
    const lens: number[][] = [];
    let i = 0; // fragments [0, i) are passed: their bytes end at `off`
    let off = 0;
    let kept = 0; // fragments [kept, i) and bytes [from, off) are not taken yet
    let from = 0;
    const keep = () => {
      body.push(...this.bytes(from, off));
      names.push(this.names.slice(kept, i));
      lens.push(this.lens.slice(kept, i));
    };
    for (const e of touched) {
      const content = change.write.get(e.name);
      if (!e.present && content === undefined) continue;
      for (; i < e.i; i++) off += this.lens[i]!;
      keep();
      if (e.present) off += this.lens[i++]!;
      [kept, from] = [i, off];
      if (content === undefined) continue;
      const u = unit(content);
      body.push(u);
      names.push([e.name]);
      lens.push([u.length]);
    }
    [i, off] = [this.names.length, this.ends.at(-1) ?? 0];
    keep();
    const [chunks, ends] = pieces(body);
    const split = skeleton.indexOf(BEGIN) + BEGIN.length + 1;
    // The last fragment has no blank line after it.
    const last = chunks.length - 1;
    const section = last < 0 ? [] : [...chunks.slice(0, last), chunks[last]!.subarray(0, -1)];
    return {
      parts: [Buffer.from(skeleton.slice(0, split)), ...section, Buffer.from(skeleton.slice(split))],
      commit: () => {
        [this.names, this.lens, this.body, this.ends] = [
          ([] as string[]).concat(...names),
          ([] as number[]).concat(...lens),
          chunks,
          ends,
        ];
        this.version++;
        for (const name of change.remove) this.fragments.delete(name);
        for (const [name, content] of change.write) this.fragments.set(name, content);
      },
    };
  }
}

/** Non-empty buffers and where each ends; copied into one when there are too many. */
function pieces(buffers: Buffer[]): [Buffer[], number[]] {
  let out = buffers.filter((b) => b.length > 0);
  if (out.length > MAX_PIECES) out = [Buffer.concat(out)];
  let end = 0;
  return [out, out.map((b) => (end += b.length))];
}
