import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const sdk = path.resolve(import.meta.dirname, '../../sdk');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'examples') return [];
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('SDK documentation', () => {
  it('has a TSDoc comment on every exported declaration', () => {
    const missing: string[] = [];
    for (const file of sources(sdk)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (
          !/^export (declare )?(async )?(function|interface|type|const|class|abstract class|enum) /.test(line) ||
          /^export type \{/.test(line)
        )
          return;
        let j = i - 1;
        while (j >= 0 && /^\s*@/.test(lines[j]!)) j--;
        if (!/\*\/\s*$/.test(lines[j] ?? '')) missing.push(`${path.relative(sdk, file)}:${i + 1} ${line.slice(0, 60)}`);
      });
    }
    expect(missing).toEqual([]);
  });
});
