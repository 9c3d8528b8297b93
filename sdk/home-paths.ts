import path from 'node:path';

/** Where the API reference puts homes (`/home/johndoe/blog`), whatever `home_base` is. */
export const CONTRACT_HOME_BASE = '/home';

/**
 * A path a client wrote in the contract's home form, as the real path on this machine. In local
 * mode homes live under the data dir, so `/home/<username>/…` of the account whose home is `home`
 * means the same place under that home; other paths (and everything in linux mode, where the
 * system's layout is used as is) come back unchanged, for the caller's own checks.
 *
 * @example
 * ```ts
 * // local mode, home /srv/vp/data/home/johndoe
 * fromContractPath('local', '/srv/vp/data/home/johndoe', '/home/johndoe/blog'); // '/srv/vp/data/home/johndoe/blog'
 * ```
 */
export function fromContractPath(mode: 'local' | 'linux', home: string, requested: string): string {
  if (mode !== 'local') return requested;
  const contractHome = path.posix.join(CONTRACT_HOME_BASE, path.posix.basename(home));
  if (requested === contractHome || requested.startsWith(`${contractHome}/`))
    return home + requested.slice(contractHome.length);
  return requested;
}
