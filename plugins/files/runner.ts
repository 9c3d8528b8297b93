import { KeyedLock } from '../../sdk/keyed-lock.js';
import type { Logger } from '../../sdk/logger.js';
import type { AccountInfo } from '../../sdk/points/accounts.js';
import type { ExpansionLimits } from './archive/inflation.js';
import { AgentPool, type AgentPoolOptions } from './agent/pool.js';
import { runOp, type OpArgs, type OpIO, type OpName, type OpResult } from './ops.js';
import { parseHomePath } from './paths.js';
import { UsageLedger } from './usage.js';

/** Limits every operation runs with. */
export interface FileLimits {
  textLimit: number;
  maxEntries: number;
  expansion: ExpansionLimits;
}

const MB = 1024 * 1024;
/** How long a quota-checked operation waits for the account's running trash purge. */
const PURGE_WAIT_MS = 10_000;
const PATH_FIELDS = ['path', 'from', 'to', 'destination', 'folder'] as const;

/** Refuse malformed paths here, before an agent is spawned; the operation checks them again. */
function precheck(args: unknown): void {
  if (!args || typeof args !== 'object') return;
  const a = args as Record<string, unknown>;
  for (const field of PATH_FIELDS) if (typeof a[field] === 'string') parseHomePath(a[field], field);
  if (Array.isArray(a.paths)) for (const p of a.paths) parseHomePath(p, 'paths');
}

/**
 * Runs file operations for an account: in this process in local mode; in linux mode in an agent
 * child with the account's uid/gid (kept warm per account user, see agent/pool.ts), so the
 * kernel also refuses what the walk would let through.
 */
export class FileRunner {
  private readonly locks = new KeyedLock();
  private readonly purges = new Map<number, { again: boolean; done: Promise<void> }>();
  private readonly stopping = new AbortController();
  private readonly agents: AgentPool | null;
  /** Each account's disk usage for the quota pre-check, kept by the operations' reports. */
  readonly usage: UsageLedger;

  constructor(
    mode: 'local' | 'linux',
    private readonly limits: FileLimits,
    private readonly log: Logger,
    pool: AgentPoolOptions = { size: 4, idleMs: 20_000 },
    os?: ConstructorParameters<typeof UsageLedger>[2],
  ) {
    this.agents = mode === 'linux' ? new AgentPool(log, pool) : null;
    this.usage = new UsageLedger(async (account) => (await this.run(account, 'usage', {})).allocated, log, os);
  }

  /** Run an operation as the account; what it changed in the home's usage is counted, not answered. */
  async run<N extends OpName>(account: AccountInfo, op: N, args: OpArgs<N>, io: OpIO = {}): Promise<OpResult<N>> {
    precheck(args);
    const base = { home: account.home_dir, ownerUid: account.uid, ...this.limits };
    const result = this.agents
      ? await (this.agents.run(
          { uid: account.uid ?? -1, gid: account.gid ?? -1 },
          { op, args, ...base },
          io,
        ) as Promise<OpResult<N>>)
      : await runOp(op, { ...base, ...io }, args);
    if (!result || typeof result !== 'object' || !('grown' in result)) return result;
    const { grown, ...answer } = result as OpResult<N> & { grown?: number | null };
    this.usage.add(account.id, grown);
    return answer as OpResult<N>;
  }

  /**
   * Run work that grows the home under the account's quota lock, with the quota in bytes (null:
   * none) and the account's usage as counted (null without a quota; see {@link UsageLedger}, so
   * the check walks nothing). Quota-checked operations of one account run one at a time, each
   * counted before the next checks, so two concurrent uploads cannot both fit the same free space.
   */
  withQuota<R>(account: AccountInfo, work: (quota: number | null, used: number | null) => Promise<R>): Promise<R> {
    const quota = account.disk_quota_mb > 0 ? account.disk_quota_mb * MB : null;
    return this.locks.run(String(account.id), async () => {
      if (quota === null) return work(null, null);
      await this.purgeSettled(account);
      return work(quota, await this.usage.used(account));
    });
  }

  /**
   * Empty an account's trash in the background (as the account in linux mode). A request while a
   * purge runs folds into one more run; a failure is logged and retried by the next delete or
   * start-up, since the deleted folder is already gone from the user's view.
   */
  purgeLater(account: AccountInfo): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    const running = this.purges.get(account.id);
    if (running) {
      running.again = true;
      return running.done;
    }
    const state = { again: true, done: Promise.resolve() };
    this.purges.set(account.id, state);
    state.done = (async () => {
      while (state.again && !this.stopping.signal.aborted) {
        state.again = false;
        try {
          await this.run(account, 'purge', {}, { signal: this.stopping.signal });
        } catch (e) {
          if (!this.stopping.signal.aborted)
            this.log.warn('files: emptying the trash failed; the next delete or start-up retries', {
              account: account.id,
              error: (e as Error).message,
            });
          break;
        }
      }
    })().finally(() => this.purges.delete(account.id));
    return state.done;
  }

  /**
   * A just-deleted folder still takes disk until the purge frees it, and the quota counts it: a
   * quota-checked operation first waits (bounded) for the account's running purge, so deleting
   * and then uploading does not meet space that is about to be freed.
   */
  private async purgeSettled(account: AccountInfo): Promise<void> {
    const purge = this.purges.get(account.id);
    if (!purge) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      purge.done,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, PURGE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Stop background purges (shutdown); what they leave is emptied at the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.purges.values()].map((p) => p.done));
    await this.agents?.stop();
  }
}
