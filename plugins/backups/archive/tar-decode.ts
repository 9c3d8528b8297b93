import { paxSeconds } from '../../../sdk/tar-values.js';
import { BLOCK, type TarHeader } from './tar-header.js';

/** A header block as read, before pax values are applied and before any safety check. */
export interface RawHeader extends Omit<TarHeader, 'type'> {
  /** The typeflag character (`0`, `5`, `2`, `1`, `3`, `4`, `6`, `x`, `g`, `L`, …). */
  typeflag: string;
}

/** A structural problem in the archive; the message is shown to the user as the refusal reason. */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

function text(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  return block.toString('utf8', offset, end === -1 || end > offset + length ? offset + length : end);
}

function number(block: Buffer, offset: number, length: number, field: string): number {
  if (block[offset]! & 0x80) {
    // GNU base-256: big-endian, first byte's high bit set; negative values are refused.
    if (block[offset]! & 0x40) throw new ArchiveError(`negative ${field} in a tar header`);
    let v = block[offset]! & 0x3f;
    for (let i = offset + 1; i < offset + length; i++) v = v * 256 + block[i]!;
    if (!Number.isSafeInteger(v)) throw new ArchiveError(`${field} too large in a tar header`);
    return v;
  }
  const raw = text(block, offset, length).trim();
  if (raw === '') return 0;
  if (!/^[0-7]+$/.test(raw)) throw new ArchiveError(`invalid ${field} in a tar header`);
  return parseInt(raw, 8);
}

/** Whether a block is all zeros (end-of-archive marker). */
export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i += 8) if (block.readBigUInt64LE(i) !== 0n) return false;
  return true;
}

/** Decode one header block, checking its checksum and magic. */
export function decodeHeader(block: Buffer): RawHeader {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  if (sum !== number(block, 148, 8, 'checksum'))
    throw new ArchiveError('a tar header checksum does not match (corrupted archive)');
  if (block.toString('binary', 257, 262) !== 'ustar') throw new ArchiveError('not a ustar/pax archive');
  const prefix = text(block, 345, 155);
  const base = text(block, 0, 100);
  return {
    name: prefix ? `${prefix}/${base}` : base,
    typeflag: block.toString('binary', 156, 157) || '0',
    mode: number(block, 100, 8, 'mode'),
    uid: number(block, 108, 8, 'uid'),
    gid: number(block, 116, 8, 'gid'),
    size: number(block, 124, 12, 'size'),
    mtime: number(block, 136, 12, 'mtime'),
    linkname: text(block, 157, 100),
    uname: text(block, 265, 32),
    gname: text(block, 297, 32),
  };
}

/** Parse pax records (`<len> key=value\n`) into a map; malformed records refuse the archive. */
export function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break;
    const space = data.indexOf(0x20, pos);
    const len = space > pos ? Number(data.toString('ascii', pos, space)) : NaN;
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length || data[pos + len - 1] !== 0x0a)
      throw new ArchiveError('malformed pax extended header');
    const record = data.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq <= 0) throw new ArchiveError('malformed pax extended header');
    out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

/**
 * Apply pax values over a header (path, linkpath, size, uid, gid, mtime, uname, gname). The
 * mtime may be negative (before 1970) and carry a fraction; anything else in it refuses the archive.
 */
export function applyPax(h: RawHeader, pax: Map<string, string>): RawHeader {
  const out = { ...h };
  const int = (key: string): number | undefined => {
    const v = pax.get(key);
    if (v === undefined) return undefined;
    if (!/^\d{1,16}(\.\d+)?$/.test(v)) throw new ArchiveError(`invalid pax ${key}`);
    const n = Math.floor(Number(v));
    if (!Number.isSafeInteger(n)) throw new ArchiveError(`pax ${key} too large`);
    return n;
  };
  if (pax.has('path')) out.name = pax.get('path')!;
  if (pax.has('linkpath')) out.linkname = pax.get('linkpath')!;
  if (pax.has('uname')) out.uname = pax.get('uname')!;
  if (pax.has('gname')) out.gname = pax.get('gname')!;
  out.size = int('size') ?? out.size;
  out.uid = int('uid') ?? out.uid;
  out.gid = int('gid') ?? out.gid;
  const mtime = pax.get('mtime');
  if (mtime !== undefined) {
    const seconds = paxSeconds(mtime);
    if (seconds === null) throw new ArchiveError('invalid pax mtime');
    out.mtime = seconds;
  }
  return out;
}
