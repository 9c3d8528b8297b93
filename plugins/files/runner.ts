import type { Logger } from '../../sdk/logger.js';
import type { AccountInfo } from '../../sdk/points/accounts.js';
import { runInAgent } from './agent/spawn.js';
import { runOp, type OpArgs, type OpIO, type OpName, type OpResult } from './ops.js';
import { parseHomePath } from './paths.js';

/** Limits every operation runs with. */
export interface FileLimits {
  textLimit: number;
  maxEntries: number;
}

const MB = 1024 * 1024;
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
 * child with the account's uid/gid, so the kernel also refuses what the walk would let through.
 */
export class FileRunner {
  private readonly locks = new Map<number, Promise<unknown>>();

  constructor(private readonly mode: 'local' | 'linux', private readonly limits: FileLimits, private readonly log: Logger) {}

  run<N extends OpName>(account: AccountInfo, op: N, args: OpArgs<N>, io: OpIO = {}): Promise<OpResult<N>> {
    precheck(args);
    const base = { home: account.home_dir, ownerUid: account.uid, ...this.limits };
    if (this.mode === 'linux')
      return runInAgent({ op, args, ...base }, { uid: account.uid ?? -1, gid: account.gid ?? -1 }, io, this.log) as Promise<OpResult<N>>;
    return runOp(op, { ...base, ...io }, args);
  }

  /**
   * Run work that grows the home under the account's quota lock, with the quota in bytes (null:
   * none). Quota-checked operations of one account run one at a time and measure the home where
   * they run, so two concurrent uploads cannot both fit the same free space.
   */
  withQuota<R>(account: AccountInfo, work: (quota: number | null) => Promise<R>): Promise<R> {
    const quota = account.disk_quota_mb > 0 ? account.disk_quota_mb * MB : null;
    const previous = this.locks.get(account.id) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => work(quota));
    const tail = run.catch(() => undefined);
    this.locks.set(account.id, tail);
    void tail.then(() => { if (this.locks.get(account.id) === tail) this.locks.delete(account.id); });
    return run;
  }
}
