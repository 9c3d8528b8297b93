import {
  accountDirectory,
  isPanelError,
  type AccountInfo,
  type BackupTarget,
  type PluginContext,
} from '../../sdk/index.js';
import type { BackupsConfig } from './config.js';
import { applyRetention } from './retention.js';
import type { BackupService } from './service.js';
import type { ScheduleRow } from './ui/schedule-row.js';

/** One account's part of a schedule run. */
export interface RunRow {
  id: number;
  schedule_id: number;
  account_id: number;
  job_id: string | null;
  state: 'running' | 'succeeded' | 'failed';
  filename: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

const now = () => new Date().toISOString();

/** A row from the store with booleans and numbers as JavaScript types (SQLite, PostgreSQL, MySQL alike). */
export function scheduleFromRow(r: Record<string, unknown>): ScheduleRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...(r as unknown as ScheduleRow),
    id: Number(r.id),
    account_id: num(r.account_id),
    weekday: num(r.weekday),
    keep_count: Number(r.keep_count),
    keep_days: Number(r.keep_days),
    enabled: Boolean(r.enabled),
    created_by: num(r.created_by),
  };
}

/**
 * Runs schedules on the kernel's scheduler (times in UTC). Each run backs up one account or every
 * account as jobs, records each outcome in `runs`, applies retention after a success, and never
 * fails quietly: a failed backup is a failed job, a failed run row, the schedule's `last_error`,
 * an entry in the audit log and an error in the log.
 */
export class BackupSchedules {
  constructor(
    private readonly ctx: PluginContext<BackupsConfig>,
    private readonly service: BackupService,
  ) {}

  private get table(): string {
    return this.ctx.db.table('schedules');
  }

  private get runs(): string {
    return this.ctx.db.table('runs');
  }

  async armAll(): Promise<void> {
    for (const row of await this.ctx.db.knex(this.table).where({ enabled: true })) this.arm(scheduleFromRow(row));
  }

  arm(s: ScheduleRow): void {
    const when = s.frequency === 'daily' ? `daily ${s.time}` : `weekly ${s.weekday} ${s.time}`;
    this.ctx.scheduler.schedule({ name: `schedule-${s.id}`, when, run: () => this.run(s.id).then(() => undefined) });
  }

  disarm(id: number): void {
    this.ctx.scheduler.unschedule(`schedule-${id}`);
  }

  /** Run a schedule now (the scheduler's timer and `POST …/run` both come here). */
  async run(id: number): Promise<RunRow[]> {
    const row = await this.ctx.db.knex(this.table).where({ id }).first();
    if (!row) return [];
    const s = scheduleFromRow(row);
    await this.ctx.db
      .knex(this.table)
      .where({ id })
      .update({ last_run_at: now(), last_status: 'running', last_error: null });
    const results: RunRow[] = [];
    let accounts: AccountInfo[] = [];
    let setupError: string | null = null;
    try {
      const dir = this.ctx.services.get(accountDirectory);
      accounts =
        s.account_id === null
          ? await dir.list()
          : [await dir.get(s.account_id)].filter((a): a is AccountInfo => a !== null);
      if (s.account_id !== null && accounts.length === 0) setupError = `account ${s.account_id} no longer exists`;
    } catch (e) {
      setupError = isPanelError(e) ? e.message : (e as Error).message;
    }
    if (setupError) {
      results.push(
        await this.record(s, s.account_id ?? 0, null, { state: 'failed', filename: null, error: setupError }),
      );
    }
    for (const account of accounts) results.push(await this.backup(s, account));
    const failed = results.filter((r) => r.state === 'failed');
    await this.ctx.db
      .knex(this.table)
      .where({ id })
      .update({
        last_status: failed.length ? 'failed' : 'succeeded',
        last_error: failed.length
          ? failed
              .map((f) => `account ${f.account_id}: ${f.error}`)
              .join('; ')
              .slice(0, 2000)
          : null,
      });
    return results;
  }

  private async backup(s: ScheduleRow, account: AccountInfo): Promise<RunRow> {
    let jobId: string | null = null;
    try {
      const target = await this.service.target(s.target, account, null);
      const { job, finished } = await this.service.startBackup(account, s.target, target, null, 'backup.scheduled');
      jobId = job.id;
      const result = await finished;
      const note = await this.prune(s, account, target).catch((e: Error) => `retention failed: ${e.message}`);
      return await this.record(s, account.id, jobId, { state: 'succeeded', filename: result.filename, error: note });
    } catch (e) {
      const error = isPanelError(e) ? e.message : (e as Error).message;
      this.ctx.logger.error('scheduled backup failed', { schedule: s.id, account: account.id, job: jobId, error: e });
      return this.record(s, account.id, jobId, { state: 'failed', filename: null, error });
    }
  }

  /** Retention over the backups this account made on the schedule's target (never a namesake's). */
  private async prune(s: ScheduleRow, account: AccountInfo, target: BackupTarget): Promise<string | null> {
    const known = {
      id: account.id,
      username: account.username,
      reseller_id: account.reseller_id,
      identity: account.identity ?? null,
    };
    const { backups, errors } = await this.service.list(known, [await this.service.targets.record(s.target)], null);
    if (errors.length) return `retention failed: ${errors.join('; ')}`;
    const own = new Set(backups.map((b) => b.filename));
    const deleted = await applyRetention(target, account.username, s.keep_count, s.keep_days, (name) => own.has(name));
    for (const name of deleted) await this.service.records.forget(s.target, name);
    return null;
  }

  private async record(
    s: ScheduleRow,
    accountId: number,
    jobId: string | null,
    r: Pick<RunRow, 'state' | 'filename' | 'error'>,
  ): Promise<RunRow> {
    const detail =
      r.state === 'failed'
        ? `schedule ${s.id}: ${r.error}`
        : `schedule ${s.id}: ${r.filename}${r.error ? ` (${r.error})` : ''}`;
    this.ctx.audit({
      action: 'backup.scheduled',
      target: accountId ? `account:${accountId}` : `backup-schedule:${s.id}`,
      ok: r.state !== 'failed',
      detail,
    });
    const row = {
      schedule_id: s.id,
      account_id: accountId,
      job_id: jobId,
      ...r,
      started_at: now(),
      finished_at: now(),
    };
    const [id] = await this.ctx.db.knex(this.runs).insert(row).returning('id');
    return { id: Number(typeof id === 'object' ? (id as { id: number }).id : id), ...row };
  }
}
