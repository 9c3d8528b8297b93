import { parse } from 'smol-toml';
import { BEGIN, END } from './assemble.js';
import { checkVeloServeConfig } from './schema.js';
import type { ManagedSection, SectionChange } from './section.js';

interface Piece {
  content: string;
  /** The hosts it defines, or null when it cannot be checked apart (then the whole file is). */
  hosts: string[] | null;
  problem: string | null;
}

// Comment and blank lines only, then a table header: what follows cannot leak keys into the table before it.
const STARTS_WITH_TABLE = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*\[/;

const isBad = (p: Piece | undefined) => (p && (p.problem || !p.hosts || p.hosts.includes('*')) ? 1 : 0);
// A host defined k times counts k - 1 towards the duplicates.
const excess = (n: number) => (n > 1 ? n - 1 : 0);

/**
 * {@link checkVeloServeConfig} for the main file in O(change): each fragment is parsed and checked
 * once (again only when its content changes) and the operator's part once per version of it; the
 * cross-checks (a domain defined twice, the catch-all last) run on a count of every host kept
 * with the section, changed by the hosts of the changed fragments only. Checking pieces apart is
 * the same as checking the whole file when every piece starts with a table header (TOML keys then
 * cannot move from one table to another) and no fragment defines anything but `[[virtualhost]]`
 * tables; when that does not hold, the whole file is parsed as before.
 */
export class IncrementalCheck {
  private pieces = new Map<string, Piece>();
  private operator: { text: string; problem: string | null; hosts: string[] } | null = null;
  /** The section (and its version) the counts below describe. */
  private base: { section: ManagedSection; version: number } | null = null;
  private hosts = new Map<string, number>();
  private duplicates = 0;
  private bad = 0;

  /**
   * The problem with the main file `skeleton` (its section empty) holding `section` changed by
   * `change`, or null when it is acceptable; `commit` (called once the section committed the
   * change) keeps the counts with it. The pieces can only prove a file acceptable: on any doubt or
   * problem `whole()` (the file as text) is checked, which also words the message as before.
   */
  check(
    skeleton: string,
    section: ManagedSection,
    change: SectionChange,
    whole: () => string,
  ): { problem: string | null; commit: () => void } {
    const next = this.acceptable(skeleton, section, change);
    if (!next) return { problem: checkVeloServeConfig(whole()), commit: () => undefined };
    return {
      problem: null,
      commit: () => {
        for (const name of change.remove) this.pieces.delete(name);
        for (const [name, piece] of next.pieces) this.pieces.set(name, piece);
        for (const [h, d] of next.delta) {
          const n = (this.hosts.get(h) ?? 0) + d;
          if (n > 0) this.hosts.set(h, n);
          else this.hosts.delete(h);
        }
        [this.duplicates, this.bad, this.base] = [next.duplicates, next.bad, { section, version: section.version }];
      },
    };
  }

  private acceptable(skeleton: string, section: ManagedSection, change: SectionChange) {
    const begin = skeleton.indexOf(BEGIN);
    const end = skeleton.lastIndexOf(END);
    if (begin === -1 || end < begin) return null;
    const head = skeleton.slice(0, begin);
    const tail = skeleton.slice(end + END.length).replace(/^\r?\n/, '');
    // Hosts above the section, or an inline `virtualhost = [...]`: order and form need the whole file.
    if (/^[ \t]*\[\[[ \t]*virtualhost/m.test(head) || /^[ \t]*virtualhost[ \t]*=/m.test(head + tail)) return null;
    if (tail.trim() !== '' && !STARTS_WITH_TABLE.test(tail)) return null;
    const op = this.operatorOf(head + tail);
    if (op.problem || new Set(op.hosts).size !== op.hosts.length) return null;
    if (this.base?.section !== section || this.base.version !== section.version) this.recount(section);
    // The counts as they would be after the change, without touching them yet.
    const delta = new Map<string, number>();
    const add = (p: Piece | undefined, d: number) => {
      for (const h of p?.hosts ?? []) delta.set(h, (delta.get(h) ?? 0) + d);
    };
    let bad = this.bad;
    for (const name of new Set([...change.remove, ...change.write.keys()])) {
      const old = section.fragments.has(name) ? this.pieces.get(name) : undefined;
      bad -= isBad(old);
      add(old, -1);
    }
    const pieces = new Map<string, Piece>();
    for (const [name, content] of change.write) {
      const p = this.parsed(name, content);
      pieces.set(name, p);
      bad += isBad(p);
      add(p, 1);
    }
    let duplicates = this.duplicates;
    for (const [h, d] of delta) duplicates += excess((this.hosts.get(h) ?? 0) + d) - excess(this.hosts.get(h) ?? 0);
    if (bad !== 0 || duplicates !== 0) return null;
    if (op.hosts.some((h) => (this.hosts.get(h) ?? 0) + (delta.get(h) ?? 0) > 0)) return null;
    return { pieces, delta, duplicates, bad };
  }

  /** Counts of every fragment of `section` from scratch (the first check, or after a failed change). */
  private recount(section: ManagedSection): void {
    const pieces = new Map<string, Piece>();
    [this.hosts, this.duplicates, this.bad] = [new Map(), 0, 0];
    for (const [name, content] of section.fragments) {
      const p = this.parsed(name, content);
      pieces.set(name, p);
      this.bad += isBad(p);
      for (const h of p.hosts ?? []) this.hosts.set(h, (this.hosts.get(h) ?? 0) + 1);
    }
    for (const n of this.hosts.values()) this.duplicates += excess(n);
    [this.pieces, this.base] = [pieces, { section, version: section.version }];
  }

  private parsed(name: string, content: string): Piece {
    const known = this.pieces.get(name);
    if (known && known.content === content) return known;
    const piece: Piece = { content, hosts: null, problem: null };
    if (STARTS_WITH_TABLE.test(content)) {
      let doc: Record<string, unknown> | null = null;
      try {
        doc = parse(content) as Record<string, unknown>;
      } catch (e) {
        piece.problem = `TOML: ${(e as Error).message.split('\n')[0]}`;
      }
      if (doc && Object.keys(doc).every((k) => k === 'virtualhost') && Array.isArray(doc.virtualhost)) {
        piece.problem = checkVeloServeConfig(content);
        piece.hosts = (doc.virtualhost as { domain?: unknown }[]).map((v) => String(v.domain));
      }
    }
    return piece;
  }

  private operatorOf(text: string): { problem: string | null; hosts: string[] } {
    if (this.operator?.text !== text) {
      const problem = checkVeloServeConfig(text);
      let hosts: string[] = [];
      try {
        hosts = problem
          ? []
          : ((parse(text) as { virtualhost?: { domain: string }[] }).virtualhost ?? []).map((v) => v.domain);
      } catch {
        // the problem above says why
      }
      this.operator = { text, problem, hosts };
    }
    return this.operator;
  }
}
