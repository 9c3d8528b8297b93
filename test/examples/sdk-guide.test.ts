// sdk/README.md is checked by the example: every snippet that names a file appears in that file
// (line by line, in order; `// …` skips), it covers the topics a plugin author needs, and the
// commands it tells people to run exist.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/main.js';
import { ROOT } from './install-example.js';

const guide = readFileSync(path.join(ROOT, 'sdk', 'README.md'), 'utf8');

/** Fenced code blocks whose first line is `// <path from the repository root>`. */
function namedSnippets(): { file: string; lines: string[]; at: number }[] {
  const out: { file: string; lines: string[]; at: number }[] = [];
  for (const m of guide.matchAll(/```\w*\n([\s\S]*?)```/g)) {
    const [first, ...rest] = m[1]!.split('\n');
    const named = /^\/\/ ((?:sdk|test)\/\S+)$/.exec(first ?? '');
    if (named) out.push({ file: named[1]!, lines: rest, at: guide.slice(0, m.index).split('\n').length });
  }
  return out;
}

describe('the plugin author guide (sdk/README.md)', () => {
  it('quotes the example faithfully', () => {
    const snippets = namedSnippets();
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    const drift: string[] = [];
    for (const s of snippets) {
      const source = readFileSync(path.join(ROOT, s.file), 'utf8')
        .split('\n')
        .map((l) => l.trim());
      let from = 0;
      for (const line of s.lines.map((l) => l.trim()).filter((l) => l && l !== '// …')) {
        const found = source.indexOf(line, from);
        if (found < 0) drift.push(`README line ~${s.at}: not in ${s.file} (in this order): ${line}`);
        else from = found + 1;
      }
    }
    expect(drift).toEqual([]);
  });

  it('covers manifest, configuration, routes, hooks, extension points, tiers and testing', () => {
    const headings = [...guide.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(
      expect.arrayContaining([
        'Manifest',
        'Configuration',
        'Routes',
        'Hooks',
        'Extension points and services',
        'Tiers',
        'Testing',
      ]),
    );
  });

  it('names only velopanel commands that exist', () => {
    const known = new Set(COMMANDS.map((c) => c.path.join(' ')));
    const mentioned = [...guide.matchAll(/`velopanel ([a-z-]+(?: [a-z-]+)?)/g)].map((m) => m[1]!);
    expect(mentioned.length).toBeGreaterThan(0);
    for (const cmd of mentioned) expect(known.has(cmd) || known.has(cmd.split(' ')[0]!), cmd).toBe(true);
  });

  it('describes the manifest fields the SDK defines', () => {
    const sdkPlugin = readFileSync(path.join(ROOT, 'sdk', 'plugin.ts'), 'utf8');
    const fields = [...guide.matchAll(/^\| `(\w+)`(?: \/ `(\w+)`)? \|/gm)].flatMap(
      (m) => [m[1]!, m[2]].filter(Boolean) as string[],
    );
    expect(fields).toEqual(
      expect.arrayContaining(['id', 'version', 'sdk', 'tier', 'feature', 'dependencies', 'provides']),
    );
    for (const f of fields) expect(sdkPlugin, f).toMatch(new RegExp(`\\n  ${f}\\??: `));
  });
});
