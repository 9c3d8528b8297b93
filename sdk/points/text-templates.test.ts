import { describe, expect, it } from 'vitest';
import { compileTemplate } from './text-templates.js';

describe('compileTemplate', () => {
  it('inserts values and keeps or drops sections', () => {
    const t = compileTemplate('a {{x}}{{#on}} yes{{/on}}{{^on}} no{{/on}} {{n}}');
    expect(t.render({ x: 'X', on: true, n: 3 })).toBe('a X yes 3');
    expect(t.render({ x: 'X', on: false, n: 0 })).toBe('a X no 0');
  });

  it('removes lines holding only a section tag or a comment', () => {
    const t = compileTemplate('{{! header\n comment }}\nbegin\n  {{#tls}}\n  tls line\n  {{/tls}}\nend\n');
    expect(t.render({ tls: true })).toBe('begin\n  tls line\nend\n');
    expect(t.render({ tls: false })).toBe('begin\nend\n');
  });

  it('nests sections', () => {
    const t = compileTemplate('{{#a}}A{{#b}}B{{/b}}{{^b}}b{{/b}}{{/a}}');
    expect([t.render({ a: true, b: true }), t.render({ a: true, b: false }), t.render({ a: false, b: true })]).toEqual([
      'AB',
      'Ab',
      '',
    ]);
  });

  it('refuses a missing value instead of rendering an empty string', () => {
    expect(() => compileTemplate('root {{root}};').render({})).toThrow("template: no value for 'root'");
    expect(() => compileTemplate('root {{root}};').render({ root: null })).toThrow();
  });

  it('refuses malformed templates when compiling', () => {
    expect(() => compileTemplate('{{#a}}open')).toThrow("section 'a' is not closed");
    expect(() => compileTemplate('{{/a}}')).toThrow('unexpected {{/a}}');
    expect(() => compileTemplate('{{#a}}x{{/b}}')).toThrow('unexpected {{/b}}');
  });
});
