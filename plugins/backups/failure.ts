import { errors, isPanelError } from '../../sdk/index.js';
import { ArchiveError } from './archive/tar-decode.js';

/** What a restore says of a failure: its `error` for everyone, its `error_detail` for admins only. */
export interface ItemFailure {
  /** Written for the account: a tool's words, paths or SQL are never in it. */
  error: string;
  /** The server's own words (the job's reader and the route leave it out for anyone but admins). */
  error_detail?: string;
}

/**
 * A failure as a restore gives it: a panel error's message (or an archive's fault, which names
 * only archive members) for everyone, its admin detail apart; any other error's text (a path, a
 * driver's words) is the admin detail of a line that says only that it was unexpected.
 */
export function failure(e: unknown, prefix = ''): ItemFailure {
  const safe = isPanelError(e) || e instanceof ArchiveError;
  const error = `${prefix}${safe ? (e as Error).message : 'unexpected error; an administrator can see why'}`;
  const detail = isPanelError(e) ? e.adminDetail : safe ? undefined : ((e as Error)?.message ?? String(e));
  return detail ? { error, error_detail: detail } : { error };
}

/**
 * A refusal before anything changed (400), its reason kept on one line (it can quote archive
 * content). The reason follows {@link failure}: an archive's fault or a panel error is told to
 * everyone; anything else (a target's read naming its directory, a disk error) only as unexpected,
 * its text for admins.
 */
export function refuse(e: unknown) {
  const why = failure(e);
  return errors
    .validation(`Restore refused: ${why.error.replace(/[\x00-\x1f\x7f]/g, ' ')}. Nothing was changed.`)
    .withAdminDetail(why.error_detail ?? '');
}
