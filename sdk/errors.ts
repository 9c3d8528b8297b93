/**
 * The kernel's error catalogue, as plugins see it. Throw these from route handlers, hooks and
 * services; the kernel turns them into the response envelope with the right status.
 *
 * @example
 * ```ts
 * import { errors } from '../../sdk/index.js';
 * throw errors.conflict(`Domain ${name} already exists on this server`);
 * ```
 */
export { PanelError, errors, isPanelError, noSpaceCause, STATUS_BY_CODE } from '../core/errors.js';
export type { ErrorCode } from '../core/errors.js';
