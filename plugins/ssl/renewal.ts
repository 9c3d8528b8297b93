import { errors, type JobService, type StartJobOptions } from '../../sdk/index.js';
import type { CertificateRows } from './store/certificate-rows.js';
import type { Provisioner } from './provisioning.js';
import type { RemovedDomains } from './removed-domains.js';

/** The answer of `POST /api/ssl/auto-renew` (the contract's shape). */
export interface RenewalSummary {
  renewed: string[];
  skipped: string[];
  /** `<domain>: <reason>` for every certificate that was due but could not be renewed. */
  errors: string[];
}

/**
 * Renew every certificate of these accounts (all when null) that is inside the renewal window.
 * One at a time, so the CA sees no burst; each domain is re-checked under its lock, so a second
 * run started meanwhile skips what the first renewed. Certificates of removed domains are
 * forgotten first instead of being reported as failing renewals.
 */
export async function renewDue(
  rows: CertificateRows,
  prov: Provisioner,
  removed: RemovedDomains,
  accountIds: number[] | null,
  progress?: (pct: number, msg: string) => void,
): Promise<RenewalSummary> {
  const out: RenewalSummary = { renewed: [], skipped: [], errors: [] };
  await removed.sweep(accountIds);
  const list = await rows.list(accountIds);
  for (const [i, row] of list.entries()) {
    progress?.((i / Math.max(1, list.length)) * 100, row.domain);
    try {
      out[await prov.renewIfDue(row.domain)].push(row.domain);
    } catch (e) {
      out.errors.push(`${row.domain}: ${(e as Error).message}`);
    }
  }
  return out;
}

/**
 * Run work as a kernel job (visible in the jobs API, serialised by `serialKey`) and wait for it,
 * rethrowing the work's own error so the caller gets its status and message unchanged.
 */
export async function asJob<R>(
  jobs: JobService,
  opts: StartJobOptions,
  work: (progress: (pct: number, msg: string) => void) => Promise<R>,
): Promise<R> {
  let failure: { error: unknown } | null = null;
  let result: R | undefined;
  const record = await jobs.start(opts, async (job) => {
    try {
      result = await work((pct, msg) => job.progress(pct, msg));
      return result;
    } catch (e) {
      failure = { error: e };
      throw e;
    }
  });
  const done = await jobs.wait(record.id);
  if (failure) throw (failure as { error: unknown }).error;
  if (done.state !== 'succeeded')
    throw errors.unavailable(`The ${opts.kind} job ended ${done.state}: ${done.error ?? 'no reason given'}`);
  return result as R;
}
