// The client never parses data as HTML: no HTML sinks and no string-built event handlers
// anywhere in its sources (hostile class 16, checked where it is cheapest).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const client = path.resolve(import.meta.dirname, '../../plugins/ui/client');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : n.endsWith('.ts') ? [p] : [];
  });
}

describe('ui client: no HTML sinks', () => {
  it('has no innerHTML, outerHTML, insertAdjacentHTML, document.write, eval or string timers', () => {
    const sink =
      /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setTimeout\(\s*['"`]|createContextualFragment|DOMParser/;
    const offences = sources(client)
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => [f, i + 1, line] as const),
      )
      .filter(([, , line]) => sink.test(line))
      .map(([f, n, line]) => `${path.relative(client, f)}:${n}: ${line.trim()}`);
    expect(offences).toEqual([]);
  });

  it('sets no attribute from a computed name except through the h() helper', () => {
    const offences = sources(client)
      .filter((f) => !f.endsWith(path.join('base', 'dom.ts')))
      .filter((f) => /setAttribute\(\s*[^'"]/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(client, f));
    expect(offences).toEqual([]);
  });
});
