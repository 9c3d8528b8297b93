import type tar from 'tar-stream';

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

/** tar-stream writes ids in 6 octal digits and times through a 32-bit integer: beyond, it writes wrong values. */
const MAX_ID = 0o777777;
const MAX_TIME = 2 ** 31 - 1;
const TYPE_BITS = { file: 0o100000, directory: 0o040000, symlink: 0o120000 } as const;

/**
 * Our header as tar-stream's. Values its ustar fields cannot hold go into pax records (`uid`,
 * `gid`, `mtime`), which GNU tar and our reader apply over the ustar ones. The mode carries its
 * file-type bits: tar-stream replaces a mode of 0 by 0644/0755, and masks the type bits off.
 */
export function libraryHeader(h: TarHeader): tar.Header {
  const mtime = Math.max(0, Math.floor(h.mtime));
  const pax: Record<string, string> = {};
  if (h.uid > MAX_ID) pax.uid = String(h.uid);
  if (h.gid > MAX_ID) pax.gid = String(h.gid);
  if (mtime > MAX_TIME) pax.mtime = String(mtime);
  return {
    name: h.name,
    type: h.type,
    mode: TYPE_BITS[h.type] | (h.mode & 0o7777),
    uid: Math.min(h.uid, MAX_ID),
    gid: Math.min(h.gid, MAX_ID),
    uname: h.uname,
    gname: h.gname,
    size: h.size,
    mtime: new Date(Math.min(mtime, MAX_TIME) * 1000),
    linkname: h.linkname,
    devmajor: 0,
    devminor: 0,
    pax: Object.keys(pax).length ? pax : null,
  };
}
