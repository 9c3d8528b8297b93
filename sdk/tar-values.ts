import type tar from 'tar-stream';

/**
 * tar-stream (3.x) writes ustar headers that cannot hold every value: ids get 6 octal digits,
 * times go through a 32-bit integer (wrong past 2038 and before 1970), a mode of 0 becomes
 * 0644/0755. Its extract applies only pax `path`, `linkpath` and `size`. These helpers carry the
 * rest in pax records, as GNU tar does, and read them back.
 */

const MAX_ID = 0o777777;
const MAX_TIME = 2 ** 31 - 1;
/** Seconds a JavaScript Date can hold (either side of 1970). */
const MAX_DATE = 8.64e12;
const TYPE_BITS = { file: 0o100000, directory: 0o040000, symlink: 0o120000 } as const;

/** The values of one tar entry that must survive exactly. */
export interface TarValues {
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits (0–7777); 0 is kept as 0. */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch, negative before 1970; fractions are dropped. */
  mtime: number;
}

/**
 * The `mode`, `uid`, `gid`, `mtime` and `pax` fields of a tar-stream pack header that keep
 * `v` exactly. Values the ustar fields cannot hold are written there clamped and again in pax
 * records (`uid`, `gid`, `mtime`), which GNU tar and {@link tarEntryValues} apply over them. The
 * mode carries its file-type bits, so tar-stream does not replace a mode of 0.
 *
 * @example
 * ```ts
 * pack.entry({ name, type: 'file', size, ...exactTarFields({ type: 'file', mode: 0, uid: 0, gid: 0, mtime: -1 }) });
 * ```
 */
export function exactTarFields(v: TarValues): Pick<tar.Header, 'mode' | 'uid' | 'gid' | 'mtime' | 'pax'> {
  const mtime = Math.floor(v.mtime);
  const pax: Record<string, string> = {};
  if (v.uid > MAX_ID) pax.uid = String(v.uid);
  if (v.gid > MAX_ID) pax.gid = String(v.gid);
  if (mtime > MAX_TIME || mtime < 0) pax.mtime = String(mtime);
  return {
    mode: TYPE_BITS[v.type] | (v.mode & 0o7777),
    uid: Math.min(v.uid, MAX_ID),
    gid: Math.min(v.gid, MAX_ID),
    mtime: new Date(Math.min(Math.max(mtime, 0), MAX_TIME) * 1000),
    pax: Object.keys(pax).length ? pax : null,
  };
}

/** A pax time record's form: `[-]digits[.digits]`, negative before 1970. */
const PAX_TIME = /^-?\d{1,16}(\.\d{1,30})?$/;

/**
 * A pax time record (`mtime`, `atime`: `[-]digits[.digits]`, negative before 1970) as whole
 * seconds, floored; null when it is not of that form or lies outside what a Date holds.
 *
 * @example
 * ```ts
 * paxSeconds('-149124600.5'); // -149124601 (May 1965)
 * paxSeconds('1e5'); // null
 * ```
 */
export function paxSeconds(v: string): number | null {
  if (!PAX_TIME.test(v)) return null;
  const n = Math.floor(Number(v));
  return Number.isSafeInteger(n) && Math.abs(n) <= MAX_DATE ? n : null;
}

/** A pax number record: `int` for ids, a decimal (floored) for times; RangeError when malformed. */
function paxNumber(pax: unknown, key: string, time: boolean): number | undefined {
  const v = (pax as Record<string, string> | null | undefined)?.[key];
  if (v === undefined) return undefined;
  if (!(time ? PAX_TIME : /^\d{1,16}$/).test(v)) throw new RangeError(`invalid pax ${key} '${v.slice(0, 40)}'`);
  const n = time ? paxSeconds(v) : Number(v);
  if (n === null || !Number.isSafeInteger(n) || Math.abs(n) > MAX_DATE) throw new RangeError(`pax ${key} out of range`);
  return n;
}

/**
 * The mode, ids and modification time (whole seconds, negative before 1970) a tar-stream
 * extract header stands for, with the entry's pax `uid`, `gid` and `mtime` records applied.
 * Throws a RangeError naming the field when a value is malformed or outside what a Date holds.
 */
export function tarEntryValues(h: Partial<tar.Header>): { mode: number; uid: number; gid: number; mtime: number } {
  const ustarTime = h.mtime ? h.mtime.getTime() / 1000 : 0;
  const mtime = paxNumber(h.pax, 'mtime', true) ?? Math.floor(ustarTime);
  if (!Number.isSafeInteger(mtime) || Math.abs(mtime) > MAX_DATE) throw new RangeError('invalid mtime');
  return {
    mode: (h.mode ?? 0) & 0o7777,
    uid: paxNumber(h.pax, 'uid', false) ?? h.uid ?? 0,
    gid: paxNumber(h.pax, 'gid', false) ?? h.gid ?? 0,
    mtime,
  };
}
