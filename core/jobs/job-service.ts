import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { JobHandle, JobRecord, JobService, StartJobOptions } from '../../sdk/jobs.js';
import { KeyedLock } from '../../sdk/keyed-lock.js';
import type { Logger } from '../../sdk/logger.js';
import { QuietChangeFeed, type ChangeFeed } from '../cluster/change-feed.js';
import { isPanelError } from '../errors.js';
import { pageOf, type ListPage } from '../lists/list-page.js';
import type { ListParams, ListSpec } from '../lists/list-query.js';
import { failureOf, withoutDetail, type StoredJob } from './job-view.js';
import { throttledProgress } from './progress.js';

const TABLE = 'core_jobs';

/** Abort reason of a cancel that says why: the job then ends `failed` with this message. */
class StopReason {
  constructor(readonly message: string) {}
}

/** The final state and message of an aborted job. */
function aborted(signal: AbortSignal, fallback: string): { state: JobRecord['state']; error: string } {
  return signal.reason instanceof StopReason
    ? { state: 'failed', error: signal.reason.message }
    : { state: 'cancelled', error: fallback };
}

/**
 * Persisted long-running work. Each job is a row; progress is kept in memory, streamed to
 * listeners at once and written to the row at most every 250 ms. Jobs with the same serial key
 * run one after another. Rows carry the node that runs them (`node_id`), so other nodes sharing the
 * store list them, follow them ({@link followJob}) and ask for their cancellation over the change feed.
 */
export class JobRunner {
  readonly events = new EventEmitter();
  private readonly live = new Map<
    string,
    { record: StoredJob; controller: AbortController; done: Promise<StoredJob> }
  >();
  private readonly serial = new KeyedLock();

  constructor(
    private readonly knex: Knex,
    private readonly logger: Logger,
    readonly nodeId: string | null = null,
    readonly feed: ChangeFeed = new QuietChangeFeed(),
  ) {
    this.events.setMaxListeners(0);
    feed.on('job-cancel', (p) =>
      this.live
        .get(String(p.id))
        ?.controller.abort(typeof p.reason === 'string' ? new StopReason(p.reason) : undefined),
    );
  }

  /**
   * Jobs whose node stopped can never finish: mark them failed. `liveNodes` are the nodes still
   * running (their own jobs are left alone); this node's earlier runs are never among them.
   */
  async recover(liveNodes: string[] = []): Promise<number> {
    return this.knex(TABLE)
      .whereIn('state', ['queued', 'running'])
      .andWhere((q) => (liveNodes.length ? q.whereNull('node_id').orWhereNotIn('node_id', liveNodes) : q))
      .update({ state: 'failed', error: 'Interrupted by a panel restart', finished_at: now(), updated_at: now() });
  }

  /** Whether this process runs the job (its progress is in memory here). */
  runsHere(id: string): boolean {
    return this.live.has(id);
  }

  /** What plugins get: records without the admin-only `error_detail`, so no plugin route can hand it to a tenant. */
  forPlugin(pluginId: string): JobService {
    return {
      start: async (opts, work) => withoutDetail(await this.start(pluginId, opts, work)),
      wait: async (id) => withoutDetail(await this.wait(id)),
      get: async (id) => withoutDetail(await this.get(id)),
      cancel: async (id, reason) => withoutDetail(await this.cancel(id, reason)),
    };
  }

  async start<R>(plugin: string, opts: StartJobOptions, work: (job: JobHandle) => Promise<R>): Promise<StoredJob> {
    const record: StoredJob = {
      id: randomUUID(),
      kind: opts.kind,
      plugin,
      state: 'queued',
      progress: 0,
      message: null,
      result: null,
      error: null,
      error_detail: null,
      owner_user_id: opts.ownerUserId ?? null,
      target: opts.target ?? null,
      created_at: now(),
      updated_at: now(),
      finished_at: null,
    };
    await this.knex(TABLE).insert({ ...toRow(record), node_id: this.nodeId });
    const controller = new AbortController();
    // Started after this returns (the job is `live` by then); one at a time per serial key.
    const run = () => this.execute(record, controller, work);
    const done = opts.serialKey ? this.serial.run(opts.serialKey, run) : Promise.resolve().then(run);
    this.live.set(record.id, { record, controller, done });
    return { ...record };
  }

  private async execute<R>(
    record: StoredJob,
    controller: AbortController,
    work: (job: JobHandle) => Promise<R>,
  ): Promise<StoredJob> {
    if (controller.signal.aborted) {
      const { state, error } = aborted(controller.signal, 'Cancelled before it started');
      return this.finish(record, state, null, error);
    }
    await this.update(record, { state: 'running' }, true);
    const handle: JobHandle = {
      id: record.id,
      signal: controller.signal,
      progress: throttledProgress((p, persist) => {
        if (this.live.has(record.id))
          void this.update(record, p ? { progress: p.progress, message: p.message ?? record.message } : {}, persist);
      }),
    };
    try {
      const result = await work(handle);
      if (controller.signal.aborted) {
        const { state, error } = aborted(controller.signal, 'Cancelled');
        return await this.finish(record, state, null, error);
      }
      return await this.finish(record, 'succeeded', result ?? null, null);
    } catch (e) {
      if (controller.signal.aborted) {
        const { state, error } = aborted(controller.signal, 'Cancelled');
        return await this.finish(record, state, null, error);
      }
      // A job's error is read by the account it ran for: server detail (paths, hosts, a tool's
      // words, a plain Error's own text) is kept apart, as `error_detail`, which only admins are shown.
      const { error, detail } = failureOf(record.kind, e);
      if (!isPanelError(e)) this.logger.error('job failed', { job: record.id, kind: record.kind, error: detail });
      else if (detail) this.logger.warn('job failed', { job: record.id, kind: record.kind, error, detail });
      return await this.finish(record, 'failed', null, error, detail);
    }
  }

  private async finish(
    record: StoredJob,
    state: JobRecord['state'],
    result: unknown,
    error: string | null,
    detail: string | null = null,
  ): Promise<StoredJob> {
    const progress = state === 'succeeded' ? 100 : record.progress;
    await this.update(record, { state, result, error, error_detail: detail, progress, finished_at: now() }, true);
    this.live.delete(record.id);
    return { ...record };
  }

  private readonly writes = new Map<string, Promise<unknown>>();

  /** Writes of one job go through one chain, so a late progress write never overwrites the final state. */
  private async update(record: StoredJob, patch: Partial<StoredJob>, persist: boolean): Promise<void> {
    Object.assign(record, patch, { updated_at: now() });
    this.events.emit(record.id, { ...record });
    if (!persist) return;
    const row = toRow(record);
    const previous = this.writes.get(record.id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.knex(TABLE).where({ id: record.id }).update(row));
    this.writes.set(record.id, next);
    try {
      await next;
    } finally {
      if (this.writes.get(record.id) === next) this.writes.delete(record.id);
    }
    await this.feed.publish('job', { id: record.id }).catch(() => undefined);
  }

  async get(id: string): Promise<StoredJob | null> {
    const live = this.live.get(id);
    if (live) return { ...live.record };
    const row = await this.knex(TABLE).where({ id }).first();
    return row ? fromRow(row) : null;
  }

  async list(filter: { ownerUserId?: number; limit?: number } = {}): Promise<StoredJob[]> {
    const q = this.knex(TABLE)
      .orderBy('created_at', 'desc')
      .limit(filter.limit ?? 100);
    if (filter.ownerUserId !== undefined) q.where({ owner_user_id: filter.ownerUserId });
    return (await q).map((r: any) => this.live.get(r.id)?.record ?? fromRow(r));
  }

  /** One page of jobs, the owner filter applied before counting. */
  async page(filter: { ownerUserId?: number }, spec: ListSpec, params: ListParams): Promise<ListPage<StoredJob>> {
    const q = this.knex(TABLE);
    if (filter.ownerUserId !== undefined) q.where({ owner_user_id: filter.ownerUserId });
    return (await pageOf<any>(q, spec, params)).map((r) => this.live.get(r.id)?.record ?? fromRow(r));
  }

  async wait(id: string): Promise<StoredJob> {
    const live = this.live.get(id);
    if (live) return live.done;
    const rec = await this.get(id);
    if (!rec) throw new Error(`job ${id} not found`);
    return rec;
  }

  async cancel(id: string, reason?: string): Promise<StoredJob | null> {
    const live = this.live.get(id);
    if (live) live.controller.abort(reason === undefined ? undefined : new StopReason(reason));
    else await this.feed.publish('job-cancel', reason === undefined ? { id } : { id, reason });
    return this.get(id);
  }

  /** Abort everything and wait (bounded) for running jobs to settle, at shutdown. */
  async drain(timeoutMs: number): Promise<void> {
    const all = [...this.live.values()];
    const timer = new Promise((r) => setTimeout(r, timeoutMs).unref());
    await Promise.race([Promise.allSettled(all.map((j) => j.done)), timer]);
    for (const j of this.live.values()) j.controller.abort();
  }
}

const now = () => new Date().toISOString();

function toRow(r: StoredJob) {
  return { ...r, result: r.result === null || r.result === undefined ? null : JSON.stringify(r.result) };
}

function fromRow({ node_id: _node, ...row }: any): StoredJob {
  return {
    ...row,
    error_detail: row.error_detail ?? null,
    progress: Number(row.progress),
    owner_user_id: row.owner_user_id === null ? null : Number(row.owner_user_id),
    result: row.result ? JSON.parse(row.result) : null,
  };
}
