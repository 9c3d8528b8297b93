import { ArchiveError } from './tar-decode.js';

/** Bytes a member's header takes up to and including its sizes (10 fixed, XLEN, the `VP` subfield). */
export const SIZED_HEADER = 24;
/** Input bytes per member at most: what the writer makes and what a restore inflates per member. */
export const MAX_MEMBER_INPUT = 4 * 1024 * 1024;
/** Compressed bytes per member at most: deflate's worst case on incompressible input, plus the header. */
export const MAX_MEMBER_BYTES = MAX_MEMBER_INPUT + (MAX_MEMBER_INPUT >> 8) + 1024;
const MIN_MEMBER_BYTES = SIZED_HEADER + 2 + 8;

/** Sizes a member written by this panel declares in its header (see the gzip worker). */
export interface MemberSizes {
  /** The whole member: header, deflate data, trailer. */
  length: number;
  /** What it inflates to. */
  size: number;
}

/**
 * The sizes at the start of `b` when it begins a gzip member as this panel writes them (FEXTRA
 * first and only, subfield `VP` of 8 bytes), else null: an archive from elsewhere (or from before
 * the sizes were written) is inflated in one stream instead. Sizes beyond what the writer makes
 * refuse the archive, so a lying header cannot make a worker hold more than a member's worth.
 */
export function memberSizes(b: Buffer): MemberSizes | null {
  if (b.length < SIZED_HEADER || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8 || !(b[3]! & 4)) return null;
  if (b.readUInt16LE(10) !== 12 || b[12] !== 0x56 || b[13] !== 0x50 || b.readUInt16LE(14) !== 8) return null;
  const sizes = { length: b.readUInt32LE(16), size: b.readUInt32LE(20) };
  if (sizes.length < MIN_MEMBER_BYTES || sizes.length > MAX_MEMBER_BYTES || sizes.size > MAX_MEMBER_INPUT)
    throw new ArchiveError(
      'a gzip member declares sizes this panel never writes (the archive was altered or corrupted)',
    );
  return sizes;
}
