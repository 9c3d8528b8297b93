import { parse } from 'smol-toml';
import { BEGIN, END } from './assemble.js';
import { checkVeloServeConfig } from './schema.js';

interface Piece {
  content: string;
  /** The hosts it defines, or null when it cannot be checked apart (then the whole file is). */
  hosts: string[] | null;
  problem: string | null;
}

// Comment and blank lines only, then a table header: what follows cannot leak keys into the table before it.
const STARTS_WITH_TABLE = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*\[/;

/**
 * {@link checkVeloServeConfig} for the main file in O(change): each fragment is parsed and checked
 * once (again only when its content changes) and the operator's part once per version of it, then
 * the cross-checks (a domain defined twice, the catch-all last) run over the hosts kept. Checking
 * pieces apart is the same as checking the whole file when every piece starts with a table header
 * (TOML keys then cannot move from one table to another) and no fragment defines anything but
 * `[[virtualhost]]` tables; when that does not hold, the whole file is parsed as before.
 */
export class IncrementalCheck {
  private readonly pieces = new Map<string, Piece>();
  private operator: { text: string; problem: string | null; hosts: string[] } | null = null;

  /**
   * The problem with `config` (assembled from `fragments`, in order), or null when it is
   * acceptable. The pieces can only prove it acceptable: on any doubt or problem the whole file is
   * checked, which also words the message exactly as before.
   */
  check(config: string, fragments: Map<string, string>): string | null {
    return this.acceptable(config, fragments) ? null : checkVeloServeConfig(config);
  }

  private acceptable(config: string, fragments: Map<string, string>): boolean {
    // The section is near the top and its end near the bottom: found without scanning the hosts.
    const begin = config.indexOf(BEGIN);
    const end = config.lastIndexOf(END);
    if (begin === -1 || end < begin) return false;
    const head = config.slice(0, begin);
    const tail = config.slice(end + END.length).replace(/^\r?\n/, '');
    // Hosts above the section, or an inline `virtualhost = [...]`: order and form need the whole file.
    if (/^[ \t]*\[\[[ \t]*virtualhost/m.test(head) || /^[ \t]*virtualhost[ \t]*=/m.test(head + tail)) return false;
    if (tail.trim() !== '' && !STARTS_WITH_TABLE.test(tail)) return false;
    const op = this.operatorOf(head + tail);
    if (op.problem) return false;
    const hosts: string[] = [];
    for (const [name, content] of fragments) {
      const piece = this.piece(name, content);
      if (piece.problem || !piece.hosts) return false;
      for (const h of piece.hosts) hosts.push(h);
    }
    this.forgetBut(fragments);
    for (const h of op.hosts) hosts.push(h);
    if (new Set(hosts).size !== hosts.length) return false;
    const star = hosts.indexOf('*');
    return star === -1 || star === hosts.length - 1;
  }

  private piece(name: string, content: string): Piece {
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
    this.pieces.set(name, piece);
    return piece;
  }

  private operatorOf(text: string): { problem: string | null; hosts: string[] } {
    if (this.operator?.text !== text) {
      const problem = checkVeloServeConfig(text);
      let hosts: string[] = [];
      try {
        hosts = problem ? [] : ((parse(text) as { virtualhost?: { domain: string }[] }).virtualhost ?? []).map((v) => v.domain);
      } catch {
        // the problem above says why
      }
      this.operator = { text, problem, hosts };
    }
    return this.operator;
  }

  /** Drop the pieces of fragments that are gone (every so often, not on each check). */
  private forgetBut(fragments: Map<string, string>): void {
    if (this.pieces.size <= fragments.size * 2 + 64) return;
    for (const name of this.pieces.keys()) if (!fragments.has(name)) this.pieces.delete(name);
  }
}
