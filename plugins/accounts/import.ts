import { errors, isPanelError, type JobHandle, type Principal } from '../../sdk/index.js';
import { domainsOf } from './account-domains.js';
import { createAccount, type AccountDeps } from './create.js';
import type { ImportRow } from './import-check.js';

/** Accounts being made at once before their shared vhost step (homes, users, rows). */
const PARALLEL = 4;

/** What an import job answers. `status`: ok (every row), partial (some rows failed), failed (none made). */
export interface ImportResult {
  status: 'ok' | 'partial' | 'failed';
  created: { row: number; id: number; username: string; primary_domain: string }[];
  failed: { row: number; username: string; error: string }[];
  /** Whether the web server reloaded (once, for every account of the batch). */
  reloaded: boolean;
}

/**
 * The vhost step of every account of a batch, done once: each create waits here after its rows
 * are made, and when every row has arrived (or failed before), one regenerate covers all their
 * accounts — one main-file rebuild, one config test, one reload. If it fails, every waiting
 * create fails and undoes itself.
 */
class VhostGate {
  private waiting: { id: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private outstanding: number;
  reloaded = false;

  constructor(
    count: number,
    private readonly apply: (ids: number[]) => Promise<{ reloaded?: boolean }>,
  ) {
    this.outstanding = count;
  }

  arrive(id: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ id, resolve, reject });
      this.settle();
    });
  }

  /** A create that ended before its vhost step: the batch no longer waits for it. */
  leave(): void {
    this.settle();
  }

  private settle(): void {
    if (--this.outstanding > 0 || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    this.apply(batch.map((w) => w.id)).then(
      (r) => {
        this.reloaded = Boolean(r.reloaded);
        for (const w of batch) w.resolve();
      },
      (e) => {
        for (const w of batch) w.reject(e);
      },
    );
  }
}

/**
 * Create checked rows, {@link PARALLEL} at a time, with one web-server reload for all of them.
 * A row failing now (a name taken since the check, a hook's veto, a system error) is undone on
 * its own and reported by row number; the others go on. A cancel (an admin's, or a lost claim on
 * the import slot) starts no more rows, and those in flight stop before their next step and are
 * undone: no row is made after the cancel.
 */
export async function runImport(
  d: AccountDeps,
  rows: ImportRow[],
  principal: Principal | null,
  job: JobHandle,
): Promise<ImportResult> {
  const domains = domainsOf(d.ctx);
  const gate = new VhostGate(rows.length, (ids) => {
    job.progress(90, `reloading the web server for ${ids.length} accounts`);
    return domains.regenerate(ids);
  });
  const result: ImportResult = { status: 'ok', created: [], failed: [], reloaded: false };
  let made = 0;
  let next = 0;
  let free: (() => void) | null = null;
  let running = 0;
  const one = async (r: ImportRow) => {
    let arrived = false;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      running--;
      free?.();
    };
    try {
      if (job.signal.aborted) throw errors.conflict('the import was cancelled before this row');
      const row = await createAccount(d, r.body, principal, {
        signal: job.signal,
        vhost: (id) => {
          arrived = true;
          release(); // waiting at the gate takes no slot: every row must reach it
          job.progress(Math.floor((++made / rows.length) * 90), `made ${made} of ${rows.length} accounts`);
          return gate.arrive(id);
        },
      });
      result.created.push({ row: r.row, id: row.id, username: row.username, primary_domain: row.primary_domain });
    } catch (e) {
      if (!arrived) gate.leave();
      const message = isPanelError(e) ? e.message : 'internal error (see the panel log)';
      if (!isPanelError(e))
        d.ctx.logger.error('account import: row failed', { row: r.row, username: r.body.username, error: e });
      result.failed.push({ row: r.row, username: r.body.username, error: message });
    } finally {
      release();
    }
  };
  const all: Promise<void>[] = [];
  while (next < rows.length) {
    if (running >= PARALLEL) {
      await new Promise<void>((resolve) => (free = resolve));
      continue;
    }
    running++;
    all.push(one(rows[next++]!));
  }
  await Promise.all(all);
  result.created.sort((a, b) => a.row - b.row);
  result.failed.sort((a, b) => a.row - b.row);
  result.reloaded = gate.reloaded;
  result.status = result.failed.length === 0 ? 'ok' : result.created.length ? 'partial' : 'failed';
  job.progress(100, `created ${result.created.length} of ${rows.length} accounts`);
  return result;
}
