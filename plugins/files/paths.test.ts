import { describe, expect, it } from 'vitest';
import { parseEntryPath, parseFileName, parseHomePath } from './paths.js';

describe('parseHomePath', () => {
  it('splits home-relative paths, / being the home', () => {
    expect(parseHomePath('/')).toEqual({ parts: [], text: '/' });
    expect(parseHomePath('public_html//./css/')).toEqual({ parts: ['public_html', 'css'], text: '/public_html/css' });
    expect(parseHomePath('/Report%202024.pdf').parts).toEqual(['Report%202024.pdf']);
  });

  it.each([
    ['..', "must not contain '..'"],
    ['/a/../b', "must not contain '..'"],
    ['/a/%2e%2e/b', 'double encoding'],
    ['%252e', 'double encoding'],
    ['/a%2fb', 'double encoding'],
    ['/a\0b', 'NUL'],
    ['/a\rb', 'control characters'],
    ['/\u2025', 'look-alike'],
    ['/a\\b', "'/' as separator"],
    ['/\ud800', 'not valid UTF-8'],
    ['', 'must not be empty'],
    [`/${'é'.repeat(128)}`, 'longer than 255 bytes'],
    [`/${'a/'.repeat(2100)}`, 'longer than 4096 bytes'],
  ])('refuses %j', (input, message) => {
    expect(() => parseHomePath(input)).toThrow(message);
  });

  it('names the field in every message', () => {
    expect(() => parseHomePath('../x', 'destination')).toThrow(/^destination: /);
  });
});

describe('parseEntryPath and parseFileName', () => {
  it('needs a name inside the home', () => {
    expect(parseEntryPath('/a/b.txt')).toMatchObject({ name: 'b.txt', parent: { parts: ['a'], text: '/a' } });
    expect(() => parseEntryPath('/')).toThrow('not the home itself');
  });

  it('accepts plain file names only', () => {
    expect(parseFileName('index.html')).toBe('index.html');
    expect(() => parseFileName('../x')).toThrow("without '/'");
    expect(() => parseFileName('.')).toThrow('must be a file name');
    expect(() => parseFileName(undefined)).toThrow('non-empty file name');
  });
});
