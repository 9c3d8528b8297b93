import path from 'node:path';

const MAX_HOPS = 40;

/**
 * Symbolic links of one home tree, by home-relative path, so a link can be resolved the way the
 * kernel would resolve it inside the restored tree — through other links of the same archive.
 * A target is "inside" when every step of that resolution stays within the home.
 */
export class HomeLinks {
  private readonly links = new Map<string, string>();

  /** @param home Absolute home the links were made in (absolute targets below it count as inside). */
  constructor(public home: string) {}

  get size(): number {
    return this.links.size;
  }

  add(rel: string, target: string): void {
    this.links.set(rel, target);
  }

  /** Whether `rel` or one of its parent directories is a link of this tree. */
  underLink(rel: string): string | null {
    let i = rel.indexOf('/');
    while (i !== -1) {
      const parent = rel.slice(0, i);
      if (this.links.has(parent)) return parent;
      i = rel.indexOf('/', i + 1);
    }
    return null;
  }

  /** Target rewritten for another home path (absolute targets below the old home move along). */
  static rebase(target: string, fromHome: string, toHome: string): string {
    if (fromHome === toHome || !target.startsWith('/')) return target;
    if (target === fromHome) return toHome;
    return target.startsWith(fromHome + '/') ? toHome + target.slice(fromHome.length) : target;
  }

  /** Start components of a link target relative to the home root, or null when it starts outside. */
  private start(linkRel: string, target: string): string[] | null {
    if (target.startsWith('/')) {
      if (target !== this.home && !target.startsWith(this.home + '/')) return null;
      return target.slice(this.home.length).split('/');
    }
    return [
      ...path.posix
        .dirname(linkRel)
        .split('/')
        .filter((c) => c !== '.'),
      ...target.split('/'),
    ];
  }

  /**
   * Why the link at `rel` leads out of the home (or loops), or null when it stays inside.
   * `throughLinks: false` checks the target text alone (used while walking, before all links are known).
   */
  escape(rel: string, target: string, throughLinks = true): string | null {
    const first = this.start(rel, target);
    if (!first) return `points outside the home (${target})`;
    let queue = first;
    const stack: string[] = [];
    for (let hops = 0; queue.length; ) {
      const c = queue.shift()!;
      if (c === '' || c === '.') continue;
      if (c === '..') {
        if (stack.length === 0) return `points outside the home (${target})`;
        stack.pop();
        continue;
      }
      stack.push(c);
      const via = throughLinks ? this.links.get(stack.join('/')) : undefined;
      if (via === undefined) continue;
      if (++hops > MAX_HOPS) return `is part of a symbolic link loop (${target})`;
      const linkAt = stack.join('/');
      stack.pop();
      const next = this.start(linkAt, via);
      if (!next) return `points outside the home through ${linkAt} (${via})`;
      if (via.startsWith('/')) stack.length = 0;
      else next.splice(0, stack.length);
      queue = [...next, ...queue];
    }
    return null;
  }

  /** The first link of the tree that leads out, with the reason. */
  firstEscape(): { rel: string; reason: string } | null {
    for (const [rel, target] of this.links) {
      const reason = this.escape(rel, target);
      if (reason) return { rel, reason };
    }
    return null;
  }
}
