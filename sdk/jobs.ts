/** States a job moves through. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A job as the API shows it. */
export interface JobRecord {
  id: string;
  kind: string;
  plugin: string;
  state: JobState;
  progress: number;
  message: string | null;
  result: unknown;
  /**
   * Why it failed, as the account it ran for may read it: a thrown `PanelError`'s message;
   * for any other error only `<kind> failed; an administrator can see why` (its own text, which
   * may name paths or SQL, is shown to admins only). Throw a PanelError to tell the account why.
   */
  error: string | null;
  /** Owner principal (user id) and target, for access checks. */
  owner_user_id: number | null;
  target: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** Handed to a job's work function. */
export interface JobHandle {
  id: string;
  /** Aborted when the job is cancelled or the panel shuts down. */
  signal: AbortSignal;
  /** Report progress 0–100 with an optional message. Cheap to call often (writes are throttled). */
  progress(percent: number, message?: string): void;
}

/** Options when starting a job. */
export interface StartJobOptions {
  kind: string;
  target?: string;
  ownerUserId?: number | null;
  /** Jobs sharing a key run one after another (e.g. `account:7`). */
  serialKey?: string;
}

/** Job service as a plugin uses it. */
export interface JobService {
  /** Start work in the background; resolves once the job is persisted (queued). */
  start<R>(opts: StartJobOptions, work: (job: JobHandle) => Promise<R>): Promise<JobRecord>;
  /** Wait for a job to finish and return its final record. */
  wait(id: string): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  /**
   * Abort a job: it ends `cancelled`; with a `reason` it ends `failed` with that message (work
   * stopped by another operation, e.g. a backup stopped by the account's delete).
   */
  cancel(id: string, reason?: string): Promise<JobRecord | null>;
}

/** A recurring task definition for the kernel's scheduler. */
export interface ScheduleSpec {
  /** Unique per plugin. */
  name: string;
  /** `daily HH:MM`, `weekly <0-6> HH:MM` (0 = Sunday), or `every <n>s|m|h`. Times are UTC. */
  when: string;
  run: () => Promise<void>;
  /**
   * Run on every panel node sharing the store (e.g. sampling this machine). By default a task
   * runs on one node only: the one holding the scheduler lease.
   */
  perNode?: boolean;
}

/** Scheduler as a plugin uses it. */
export interface Scheduler {
  schedule(spec: ScheduleSpec): void;
  unschedule(name: string): void;
}

/**
 * A job's result (or a route's answer) as `viewer` may read it: admins get it whole; anyone else
 * gets it without its `error_detail` fields, at any depth. A result line that failed says why in
 * `error` (written for the account) and keeps the server's own words — a tool's stderr, a path —
 * in `error_detail`, as a failed job does. The kernel applies this to every job it serves.
 *
 * @example
 * ```ts
 * const report = await finished; // items: [{ item: 'database:shop', error: 'mariadb failed (exit 1)', error_detail: '…' }]
 * return resultFor(req.principal, report);
 * ```
 */
export function resultFor<T>(viewer: { role: string } | null | undefined, result: T): T {
  return viewer?.role === 'admin' ? result : withoutErrorDetail(result);
}

function withoutErrorDetail<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutErrorDetail) as T;
  // Plain objects only (a parsed or literal result): a Date or a Buffer is passed as it is.
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'error_detail') out[k] = withoutErrorDetail(v);
  return out as T;
}
