// Kept free of kernel imports: the SDK re-exports it, and third-party plugins compile the SDK.
import { chmodSync, lstatSync } from 'node:fs';

/** A file that must be open to no one beyond `mode` (0600: its owner only). */
export interface PrivateFile {
  path: string;
  mode: number;
}

/** One file whose mode was narrowed, as the start-up log reports it. */
export interface ModeFix {
  path: string;
  was: string;
  now: string;
}

const octal = (m: number) => `0${(m & 0o777).toString(8).padStart(3, '0')}`;

/**
 * Narrow the mode of each file that drifted wider than it may be (a restore, an operator's `cp`,
 * a umask, an older version that wrote 0644): only bits beyond `mode` are taken away. Missing files
 * and anything that is not a regular file (a symlink planted in its place) are left alone.
 */
export function tightenModes(files: PrivateFile[]): ModeFix[] {
  const fixed: ModeFix[] = [];
  for (const f of files) {
    const st = lstatSync(f.path, { throwIfNoEntry: false });
    if (!st?.isFile() || (st.mode & 0o777 & ~f.mode) === 0) continue;
    const now = st.mode & f.mode & 0o777;
    chmodSync(f.path, now);
    fixed.push({ path: f.path, was: octal(st.mode), now: octal(now) });
  }
  return fixed;
}
