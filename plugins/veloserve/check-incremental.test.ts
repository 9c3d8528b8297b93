import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTemplate, type VhostSpec } from '../../sdk/index.js';
import { assembleConfig } from './assemble.js';
import { IncrementalCheck } from './check-incremental.js';
import { renderVeloServeVhost } from './render.js';
import { ManagedSection } from './section.js';
import { checkVeloServeConfig } from './schema.js';

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

const sections = new WeakMap<IncrementalCheck, ManagedSection>();

/**
 * The incremental answer for the main file holding `fragments` in `operator` (reached from the
 * fragments of the checker's last accepted file, as the engine changes it), next to the whole-file check's.
 */
function both(checker: IncrementalCheck, operator: string, fragments: Record<string, string>) {
  const section = sections.get(checker) ?? new ManagedSection(new Map());
  sections.set(checker, section);
  const map = new Map(Object.entries(fragments));
  const change = ManagedSection.change(
    [...map].map(([name, content]) => ({ name, content })),
    [...section.fragments.keys()].filter((n) => !map.has(n)),
  );
  const skeleton = assembleConfig(operator, []);
  const next = section.preview(skeleton, change);
  const config = assembleConfig(
    operator,
    [...map.keys()].sort().map((n) => map.get(n)!),
  );
  // The section's bytes are what the whole assembly makes.
  expect(Buffer.concat(next.parts).toString()).toBe(config);
  const r = checker.check(skeleton, section, change, () => config);
  if (r.problem === null) {
    next.commit();
    r.commit();
  }
  return { incremental: r.problem, whole: checkVeloServeConfig(config) };
}

describe('the main file checked piece by piece', () => {
  it('answers as the whole-file check does, for good and bad files alike', () => {
    const c = new IncrementalCheck();
    const cases: [string, Record<string, string>][] = [
      [OPERATOR, { 'a.test.toml': frag('a.test', ['www.a.test']), 'b.test.toml': frag('b.test') }],
      [OPERATOR, { 'a.test.toml': frag('a.test'), 'b.test.toml': frag('b.test', ['a.test']) }], // a domain twice
      [OPERATOR, { 'a.test.toml': frag('a.test'), 'bad.test.toml': `${frag('bad.test')}\nroot = 5\n` }], // a broken fragment
      [OPERATOR, { 'a.test.toml': `${frag('a.test')}\n[server]\nworkers = "auto"\n` }], // a fragment defining more than hosts
      [
        '[[virtualhost]]\ndomain = "*"\nroot = "/w"\n\n[[virtualhost]]\ndomain = "late.test"\nroot = "/w"\n',
        { 'a.test.toml': frag('a.test') },
      ], // the catch-all not last
      ['', { 'a.test.toml': frag('a.test') }],
      [`[[virtualhost]]\ndomain = "a.test"\nroot = "/w"\n`, { 'a.test.toml': frag('a.test') }], // the operator's host and a fragment's
      [`${OPERATOR}[php]\nmode = "nope"\n`, { 'a.test.toml': frag('a.test') }], // the operator's part is wrong
    ];
    for (const [operator, fragments] of cases) {
      const r = both(c, operator, fragments);
      expect(r.incremental, JSON.stringify(fragments)).toBe(r.whole);
    }
    expect(
      both(c, OPERATOR, { 'a.test.toml': frag('a.test'), 'b.test.toml': frag('b.test', ['a.test']) }).incremental,
    ).toMatch(/virtual host 'a\.test' is defined twice/);
  });

  it('checks a fragment once: a broken one kept in the cache is still refused after other changes', () => {
    const c = new IncrementalCheck();
    const fragments: Record<string, string> = { 'a.test.toml': frag('a.test') };
    expect(both(c, OPERATOR, fragments).incremental).toBeNull();
    fragments['b.test.toml'] = `${frag('b.test')}\nroot = 5\n`;
    expect(both(c, OPERATOR, fragments).incremental).not.toBeNull();
    fragments['c.test.toml'] = frag('c.test');
    expect(both(c, OPERATOR, fragments).incremental).not.toBeNull();
    fragments['b.test.toml'] = frag('b.test');
    expect(both(c, OPERATOR, fragments).incremental).toBeNull();
  });
});
