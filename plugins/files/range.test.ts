import { describe, expect, it } from 'vitest';
import { contentDisposition, contentTypeOf, parseRange } from './range.js';

describe('parseRange', () => {
  it.each([
    [undefined, { status: 200, start: 0, end: 99 }],
    ['bytes=0-9', { status: 206, start: 0, end: 9 }],
    ['bytes=90-', { status: 206, start: 90, end: 99 }],
    ['bytes=-10', { status: 206, start: 90, end: 99 }],
    ['bytes=50-500', { status: 206, start: 50, end: 99 }],
    ['bytes=100-', { status: 416, start: 0, end: -1 }],
    ['bytes=-0', { status: 416, start: 0, end: -1 }],
    ['bytes=0-1,5-6', { status: 200, start: 0, end: 99 }],
    ['items=0-1', { status: 200, start: 0, end: 99 }],
    ['bytes=9-3', { status: 200, start: 0, end: 99 }],
  ])('%s on 100 bytes', (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });
});

describe('download headers', () => {
  it('keeps names out of header syntax', () => {
    expect(contentDisposition('a"b\\c;d.txt')).toBe(
      `attachment; filename="a_b_c_d.txt"; filename*=UTF-8''a%22b%5Cc%3Bd.txt`,
    );
    expect(contentDisposition('résumé.pdf')).toBe(
      `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
    );
  });

  it('types by extension with a charset for text', () => {
    expect(contentTypeOf('a.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('a.png')).toBe('image/png');
    expect(contentTypeOf('noext')).toBe('application/octet-stream');
  });
});
