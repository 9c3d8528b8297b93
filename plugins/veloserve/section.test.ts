import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTemplate, type VhostSpec } from '../../sdk/index.js';
import { assembleConfig } from './assemble.js';
import { IncrementalCheck } from './check-incremental.js';
import { renderVeloServeVhost } from './render.js';
import { checkVeloServeConfig } from './schema.js';
import { ManagedSection } from './section.js';

const template = loadTemplate(fileURLToPath(new URL('../../templates', import.meta.url)), 'veloserve/virtualhost.toml');
const spec = (domain: string, aliases: string[] = []): VhostSpec => ({
  domain,
  aliases,
  documentRoot: `/home/x/${domain}`,
  accountId: 1,
  accountUsername: 'x',
  homeDir: '/home/x',
  suspended: false,
});
const frag = (domain: string, aliases: string[] = []) =>
  renderVeloServeVhost(spec(domain, aliases), template, '/s').content;
const OPERATOR = '[server]\nlisten = "0.0.0.0:8080"\n\n[[virtualhost]]\ndomain = "*"\nroot = "/var/www"\n';

/** A deterministic pseudo-random sequence (the same cases on every run). */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('the managed section kept as bytes between changes', () => {
  it('makes exactly the bytes the whole assembly makes, through adds, replacements, removals and batches', () => {
    const next = random(7);
    const truth = new Map<string, string>();
    const section = new ManagedSection(new Map());
    const skeleton = assembleConfig(OPERATOR, []);
    for (let round = 0; round < 600; round++) {
      const write: { name: string; content: string }[] = [];
      const remove: string[] = [];
      for (let k = Math.floor(next() * 4); k >= 0; k--) {
        const name = `h${Math.floor(next() * 400)}.test.toml`;
        if (next() < 0.35) remove.push(name);
        // Some without the final newline, as a hand-written fragment may be.
        else
          write.push({
            name,
            content:
              frag(name.slice(0, -5)).trimEnd() + (next() < 0.5 ? '\n' : '') + (next() < 0.2 ? `# ${round}\n` : ''),
          });
      }
      for (const f of write) truth.set(f.name, f.content);
      for (const n of remove) truth.delete(n);
      const preview = section.preview(skeleton, ManagedSection.change(write, remove));
      const expected = assembleConfig(
        OPERATOR,
        [...truth.keys()].sort().map((n) => truth.get(n)!),
      );
      expect(Buffer.concat(preview.parts).toString(), `round ${round}`).toBe(expected);
      preview.commit();
      expect(section.fragments).toEqual(truth);
    }
  });

  it('leaves the section as it was until the change commits', () => {
    const section = new ManagedSection(new Map([['a.test.toml', frag('a.test')]]));
    const skeleton = assembleConfig(OPERATOR, []);
    const before = Buffer.concat(section.preview(skeleton, ManagedSection.change([], [])).parts).toString();
    section.preview(
      skeleton,
      ManagedSection.change([{ name: 'b.test.toml', content: frag('b.test') }], ['a.test.toml']),
    );
    expect(Buffer.concat(section.preview(skeleton, ManagedSection.change([], [])).parts).toString()).toBe(before);
    expect([...section.fragments.keys()]).toEqual(['a.test.toml']);
  });

  it('counts hosts across changes: a name defined twice is refused until one of them goes', () => {
    const checker = new IncrementalCheck();
    const section = new ManagedSection(new Map());
    const skeleton = assembleConfig(OPERATOR, []);
    const apply = (write: Record<string, string>, remove: string[] = []) => {
      const change = ManagedSection.change(
        Object.entries(write).map(([name, content]) => ({ name, content })),
        remove,
      );
      const preview = section.preview(skeleton, change);
      const whole = Buffer.concat(preview.parts).toString();
      const r = checker.check(skeleton, section, change, () => whole);
      expect(r.problem).toBe(checkVeloServeConfig(whole));
      if (r.problem === null) {
        preview.commit();
        r.commit();
      }
      return r.problem;
    };
    expect(apply({ 'a.test.toml': frag('a.test', ['www.a.test']), 'b.test.toml': frag('b.test') })).toBeNull();
    expect(apply({ 'c.test.toml': frag('c.test', ['www.a.test']) })).toMatch(/'www\.a\.test' is defined twice/);
    expect(apply({ 'a.test.toml': frag('a.test') })).toBeNull(); // www.a.test is free again
    expect(apply({ 'c.test.toml': frag('c.test', ['www.a.test']) })).toBeNull();
    expect(apply({ 'd.test.toml': frag('d.test', ['c.test']) })).toMatch(/'c\.test' is defined twice/);
    expect(apply({ 'd.test.toml': frag('d.test', ['c.test']) }, ['c.test.toml'])).toBeNull(); // the same change with c gone
    expect(apply({ 'e.test.toml': `${frag('e.test')}\nroot = 5\n` })).not.toBeNull();
    expect(apply({}, ['b.test.toml'])).toBeNull();
  });
});
