import { describe, expect, it } from 'vitest';
import { resolveDocumentRoot } from './docroot.js';

const home = '/home/jo';

describe('resolveDocumentRoot', () => {
  it('accepts directories inside the home and normalises them', () => {
    expect(resolveDocumentRoot(home, '/home/jo/public_html')).toBe('/home/jo/public_html');
    expect(resolveDocumentRoot(home, '/home/jo//blog/')).toBe('/home/jo/blog');
    expect(resolveDocumentRoot(home, '/home/jo/sites/a-b_c.test')).toBe('/home/jo/sites/a-b_c.test');
  });

  it('refuses anything outside, hidden, private or unsafe, naming the field', () => {
    const cases: [string, RegExp][] = [
      ['public_html', /must be an absolute path/],
      ['/home/jo', /must be inside the account's home/],
      ['/home/jo2/site', /must be inside the account's home/],
      ['/home/other/public_html', /must be inside/],
      ['/home/jo/../other', /may not start with '.'/],
      ['/home/jo/.ssh', /may not start with '.'/],
      ['/home/jo/logs', /private/],
      ['/home/jo/tmp/x', /private/],
      ['/home/jo/a b', /may contain only/],
      ['/home/jo/a"b', /may contain only/],
      ['/home/jo/$x', /may contain only/],
      ['/home/jo/a\nb', /may contain only/],
      ['/home/jo/\u2215etc', /may contain only/],
    ];
    for (const [input, message] of cases) expect(() => resolveDocumentRoot(home, input), input).toThrow(message);
    expect(() => resolveDocumentRoot(home, '/home/jo/a')).not.toThrow();
  });
});
