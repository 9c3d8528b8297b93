import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mts|js|mjs)$/.test(name) ? [p] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2]!).filter((s) => s.startsWith('.'));
}

describe('architecture boundary', () => {
  it('plugins import only from sdk/ and their own folder', () => {
    const offences: string[] = [];
    for (const plugin of readdirSync(path.join(root, 'plugins'))) {
      const own = path.join(root, 'plugins', plugin);
      if (!statSync(own).isDirectory()) continue;
      for (const file of files(own)) {
        for (const spec of imports(file)) {
          const target = path.resolve(path.dirname(file), spec);
          const inSdk = target.startsWith(path.join(root, 'sdk') + path.sep);
          const inOwn = target.startsWith(own + path.sep);
          if (!inSdk && !inOwn) offences.push(`${path.relative(root, file)} imports ${spec}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('the kernel knows no hosting concept', () => {
    // The panel store may be MySQL/MariaDB; hosting words must not appear in kernel code.
    const words = /\b(account|domain|vhost|nginx|veloserve|php|backup|ssl)s?\b/i;
    const offences = files(path.join(root, 'core'))
      .filter((f) => !f.endsWith('.test.ts'))
      .filter((f) => imports(f).some((s) => path.resolve(path.dirname(f), s).startsWith(path.join(root, 'plugins'))) || words.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\/|'[^'\n]*'|"[^"\n]*"|`[^`]*`/g, '')))
      .map((f) => path.relative(root, f));
    expect(offences).toEqual([]);
  });
});
