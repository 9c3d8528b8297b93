import type tar from 'tar-stream';
import { exactTarFields } from '../../../sdk/tar-values.js';

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

/** Zero padding that completes `size` bytes of data to a whole block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/**
 * Our header as tar-stream's, values its ustar fields cannot hold kept in pax records (see
 * {@link exactTarFields}), times before 1970 among them (negative pax mtimes).
 */
export function libraryHeader(h: TarHeader): tar.Header {
  const { type, mode, uid, gid } = h;
  return {
    name: h.name,
    type,
    uname: h.uname,
    gname: h.gname,
    size: h.size,
    linkname: h.linkname,
    devmajor: 0,
    devminor: 0,
    ...exactTarFields({ type, mode, uid, gid, mtime: h.mtime }),
  };
}
