/** Entry types the panel writes (and the only ones a restore accepts as content). */
export type EntryType = 'file' | 'directory' | 'symlink';

/** One tar entry header, with pax extensions folded in. */
export interface TarHeader {
  /** Path inside the archive, `/`-separated, no leading slash; directories without a trailing one. */
  name: string;
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname: string;
}

export const BLOCK = 512;
const TYPE_FLAG: Record<EntryType, string> = { file: '0', directory: '5', symlink: '2' };
const MAX_OCTAL_11 = 0o77777777777;
const MAX_OCTAL_7 = 0o7777777;
const ASCII = /^[\x20-\x7e]*$/;

/** Zero padding that completes `size` bytes of data to a whole block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function octal(block: Buffer, value: number, offset: number, length: number): void {
  block.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

/** Split a long name into ustar prefix (≤155 bytes) and name (≤100 bytes) at a slash, if possible. */
function splitName(name: string): { prefix: string; base: string } | null {
  if (name.length <= 100) return { prefix: '', base: name };
  for (let i = name.length - 101; i < name.length; i++) {
    if (i > 0 && name[i] === '/' && i <= 155 && name.length - i - 1 <= 100)
      return { prefix: name.slice(0, i), base: name.slice(i + 1) };
  }
  return null;
}

function ustar(
  h: TarHeader,
  typeflag: string,
  name: { prefix: string; base: string },
  size: number,
  linkname: string,
): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name.base, 0, 100, 'utf8');
  octal(block, h.mode & 0o7777, 100, 8);
  octal(block, Math.min(h.uid, MAX_OCTAL_7), 108, 8);
  octal(block, Math.min(h.gid, MAX_OCTAL_7), 116, 8);
  octal(block, size, 124, 12);
  octal(block, Math.max(0, Math.min(Math.floor(h.mtime), MAX_OCTAL_11)), 136, 12);
  block.write(typeflag, 156, 1, 'ascii');
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\x0000', 257, 8, 'binary');
  block.write(h.uname, 265, 32, 'utf8');
  block.write(h.gname, 297, 32, 'utf8');
  block.write(name.prefix, 345, 155, 'utf8');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i]!;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return block;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

/**
 * Header block(s) of an entry: a plain ustar header, preceded by a pax extended header when a
 * value does not fit ustar (long or non-ASCII names and link targets, sizes ≥ 8 GiB, large ids).
 */
export function encodeHeader(h: TarHeader): Buffer {
  const records: string[] = [];
  const split = ASCII.test(h.name) ? splitName(h.name) : null;
  if (!split) records.push(paxRecord('path', h.name));
  if (h.linkname && (!ASCII.test(h.linkname) || Buffer.byteLength(h.linkname) > 100))
    records.push(paxRecord('linkpath', h.linkname));
  if (h.size > MAX_OCTAL_11) records.push(paxRecord('size', String(h.size)));
  if (h.uid > MAX_OCTAL_7) records.push(paxRecord('uid', String(h.uid)));
  if (h.gid > MAX_OCTAL_7) records.push(paxRecord('gid', String(h.gid)));
  const main = ustar(
    h,
    TYPE_FLAG[h.type],
    split ?? { prefix: '', base: h.name.slice(-100).replace(/^[^/]*\//, '') || 'entry' },
    h.size > MAX_OCTAL_11 ? 0 : h.size,
    records.some((r) => r.includes(' linkpath=')) ? '' : h.linkname,
  );
  if (records.length === 0) return main;
  const data = Buffer.from(records.join(''), 'utf8');
  const paxHeader = ustar(
    { ...h, mode: 0o644, uid: 0, gid: 0, uname: '', gname: '' },
    'x',
    { prefix: '', base: 'PaxHeader' },
    data.length,
    '',
  );
  return Buffer.concat([paxHeader, data, Buffer.alloc(padding(data.length)), main]);
}

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);
