import type { Logger } from '../../sdk/logger.js';
import { createServiceRef } from '../../sdk/services.js';
import type { AccountInfo } from '../../sdk/points/accounts.js';
import type { DiskUsageSource } from '../../sdk/points/usage.js';

/** Measures a home by walking it (`du -s -x`), where the account's file operations run. */
export type HomeWalk = (account: AccountInfo) => Promise<number>;

/**
 * Each account's disk usage as the quota pre-check needs it, in O(1): a counter set by a walk of
 * the home (the first time it is needed, at start-up and periodically after) and kept since by
 * the panel's own file operations, each reporting what it changed. Writes made outside the panel
 * (SSH, PHP, cron) are caught by the next background walk. When the OS counts usage itself
 * ({@link DiskUsageSource}, filesystem quotas), its figure is used instead.
 */
export class UsageLedger {
  private readonly entries = new Map<number, number>();
  /** Changes counted per account: a walk that saw one happen under it is not trusted. */
  private readonly changes = new Map<number, number>();
  /** Per account: the sequence number of the last walk whose figure was taken (a slower, older walk never overrides it). */
  private readonly applied = new Map<number, number>();
  private walks = 0;

  constructor(
    private readonly walkHome: HomeWalk,
    private readonly log: Logger,
    private readonly os: () => DiskUsageSource | undefined = () => undefined,
  ) {}

  /** Bytes the account uses now: the OS figure, else the counter (walked once when unknown). */
  async used(account: AccountInfo): Promise<number> {
    const fromOs = await this.os()
      ?.usedBytes(account)
      .catch(() => null);
    if (typeof fromOs === 'number') return fromOs;
    return this.entries.get(account.id) ?? this.walk(account);
  }

  /** What the counter holds, without measuring (null: not known yet). For tests and reports. */
  counted(accountId: number): number | null {
    return this.entries.get(accountId) ?? null;
  }

  /**
   * Count a change an operation reported: bytes it grew the home by (negative: freed). Null means
   * it could not tell: the counter is dropped and the next check walks the home again.
   */
  add(accountId: number, grown: number | null | undefined): void {
    if (grown === undefined) return;
    this.changes.set(accountId, (this.changes.get(accountId) ?? 0) + 1);
    const used = this.entries.get(accountId);
    if (used === undefined) return; // not known yet: the first check walks, and sees this change
    if (grown === null) this.entries.delete(accountId);
    else this.entries.set(accountId, Math.max(0, used + grown));
  }

  /**
   * Walk the home and set the counter from it, unless a counted change ran during the walk
   * (the walk may or may not have seen it; the counter then stays, and the next walk corrects).
   */
  async walk(account: AccountInfo): Promise<number> {
    const seq = ++this.walks;
    const startedAt = this.changes.get(account.id) ?? 0;
    const walked = await this.walkHome(account);
    if ((this.changes.get(account.id) ?? 0) === startedAt && seq > (this.applied.get(account.id) ?? 0)) {
      this.entries.set(account.id, walked);
      this.applied.set(account.id, seq);
    }
    return this.entries.get(account.id) ?? walked;
  }

  /** Correct every account's counter by a walk, one account at a time (a failure is logged). */
  async correctAll(accounts: AccountInfo[], stopped: () => boolean): Promise<void> {
    for (const account of accounts) {
      if (stopped()) return;
      if (account.deleting) continue;
      await this.walk(account).catch((e: Error) =>
        this.log.debug('files: usage walk failed; the next one retries', { account: account.id, error: e.message }),
      );
    }
  }

  /** Forget an account (deleted). */
  forget(accountId: number): void {
    this.entries.delete(accountId);
    this.changes.delete(accountId);
    this.applied.delete(accountId);
  }
}

/** The counter as the `files` plugin offers it (to tests and diagnostics): read it, or run the correcting walk now. */
export interface FileUsage {
  counted(accountId: number): number | null;
  /** The periodic correcting walk of every home, run now. */
  correct(): Promise<void>;
}

/** Service reference of {@link FileUsage}. */
export const fileUsage = createServiceRef<FileUsage>('files.usage');
