import { Readable } from 'node:stream';

/**
 * Run `text` through a stream filter fed in pieces of `size` bytes (latin1, so byte offsets are
 * character offsets), and resolve with what comes out. A filter that carries state across chunks
 * meets every split point when `size` is 1.
 *
 * @example
 * ```ts
 * expect(await throughInPieces((s) => withoutDefiners(s), dump, 1)).toBe(expected);
 * ```
 */
export async function throughInPieces(
  filter: (source: Readable) => AsyncIterable<Buffer | string>,
  text: string,
  size = text.length,
): Promise<string> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < text.length; i += Math.max(1, size))
    pieces.push(Buffer.from(text.slice(i, i + Math.max(1, size)), 'latin1'));
  const out: Buffer[] = [];
  for await (const c of filter(Readable.from(pieces))) out.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
  return Buffer.concat(out).toString('latin1');
}
