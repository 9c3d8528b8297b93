import { resultFor, type JobRecord } from '../../sdk/jobs.js';
import { isPanelError } from '../errors.js';

/**
 * A job as the kernel keeps it: the record plus `error_detail`, the server detail of a failure
 * (a tool's own words, a socket path, a host) that `error` leaves out. The account a job ran for
 * reads `error`; only admins read `error_detail` (issue 16: tenants run code on the same host).
 */
export type StoredJob = JobRecord & { error_detail: string | null };

/** The record without the admin-only detail: what plugins, users and resellers get. */
export function withoutDetail<T extends StoredJob | null>(job: T): T extends null ? null : JobRecord {
  if (!job) return null as never;
  const { error_detail: _detail, ...rest } = job;
  return rest as never;
}

/**
 * A job as `viewer` may read it: admins get `error_detail` (null when there is none), others
 * never — nor the `error_detail` fields of its result (a restore report's lines).
 */
export function jobFor(viewer: { role: string } | null | undefined, job: StoredJob): JobRecord | StoredJob {
  return viewer?.role === 'admin' ? job : { ...withoutDetail(job), result: resultFor(viewer, job.result) };
}

/**
 * What a failed job stores: a PanelError's message (written for the account) with its admin
 * detail; any other error only says that the job failed, its own text (a path, a tool's words, SQL)
 * kept as `error_detail` for admins, as `exec` keeps a command's stderr.
 */
export function failureOf(kind: string, e: unknown): { error: string; detail: string | null } {
  if (isPanelError(e)) return { error: e.message, detail: e.adminDetail ?? null };
  return { error: `${kind} failed; an administrator can see why`, detail: (e as Error)?.message ?? String(e) };
}
