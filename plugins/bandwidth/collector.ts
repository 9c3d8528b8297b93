import { failpoint, type AccessLogFile, type Logger } from '../../sdk/index.js';
import { stepLog } from './log-reader.js';
import { StalePosition, type BandwidthStore } from './store.js';

/** At most this much of one log is read per run, so a huge backlog is taken in bounded steps. */
export const MAX_READ_PER_RUN = 64 * 1024 * 1024;

/** What the collector needs from the rest of the panel. */
export interface CollectorDeps {
  store: BandwidthStore;
  /** The configured engine's logs (empty when it writes none). */
  logs(): Promise<AccessLogFile[]>;
  /** Ids of the accounts that exist: bytes of a deleted account's leftover log are not kept. */
  accountIds(): Promise<Set<number>>;
  logger: Logger;
  maxRead?: number;
  /** Test seam: runs inside each save's transaction, after the position is written. */
  beforeCommit?: () => void;
}

/** Outcome of one collection. */
export interface CollectReport {
  logs: number;
  bytes: number;
  accounts: number[];
}

/** Outcome of the latest collection on this node, with its time. */
export interface LastCollection extends CollectReport {
  at: string;
}

/**
 * Read every log from where the last run stopped and add the bytes to each account's month. Each
 * log's new position and its bytes are saved together, so a crash or a restart never counts a
 * line twice; a log another node advanced meanwhile is skipped (its bytes are counted there).
 */
export async function collectOnce(d: CollectorDeps): Promise<CollectReport> {
  const stored = await d.store.positions();
  const listed = new Map(
    (await d.logs()).map((f) => [f.path, { path: f.path, account_id: f.accountId, domain: f.domain }]),
  );
  for (const [p, s] of stored)
    if (!listed.has(p)) listed.set(p, { path: p, account_id: s.account_id, domain: s.domain });
  const known = await d.accountIds();
  const report: CollectReport = { logs: 0, bytes: 0, accounts: [] };
  for (const log of listed.values()) {
    const from = stored.get(log.path) ?? null;
    const step = stepLog(log.path, from && { inode: from.inode, offset: from.offset }, d.maxRead ?? MAX_READ_PER_RUN);
    for (const note of step.notes) d.logger.warn(`bandwidth: ${note}`, { account_id: log.account_id });
    const bytes = new Map<string, number>();
    if (known.has(log.account_id))
      for (const r of step.reads) for (const [period, n] of r.bytes) bytes.set(period, (bytes.get(period) ?? 0) + n);
    const unchanged = from && step.next && from.inode === step.next.inode && from.offset === step.next.offset;
    if (unchanged || (!from && !step.next)) continue;
    try {
      await d.store.save(log, from && { inode: from.inode, offset: from.offset }, step.next, bytes, () => {
        failpoint('bandwidth.collect.saving');
        d.beforeCommit?.();
      });
    } catch (e) {
      if (e instanceof StalePosition) continue;
      throw e;
    }
    report.logs++;
    const added = [...bytes.values()].reduce((a, b) => a + b, 0);
    report.bytes += added;
    if (added > 0 && !report.accounts.includes(log.account_id)) report.accounts.push(log.account_id);
  }
  return report;
}
