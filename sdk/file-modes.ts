/**
 * Narrowing files a plugin owns back to their mode when they drifted wider (a restore, an
 * operator's `cp`, an older version's 0644). The kernel does this for its own files at start;
 * each plugin does it for its own. {@link FragmentDirectory} already does it for fragments.
 *
 * @example
 * ```ts
 * import { tightenModes } from '../../sdk/index.js';
 * const fixed = tightenModes([{ path: keyFile, mode: 0o600 }]);
 * if (fixed.length) ctx.logger.warn('narrowed the modes of key files that had drifted', { files: fixed });
 * ```
 */
export { tightenModes } from '../core/file-modes.js';
export type { ModeFix, PrivateFile } from '../core/file-modes.js';
