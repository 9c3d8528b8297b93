import { accountDirectory, domainDirectory, type AccountInfo, type VhostSpec } from '../../sdk/index.js';
import type { FpmMaster } from './master.js';
import { poolNames, renderPool } from './pool.js';
import { removePools } from './pool-changes.js';
import type { PhpService } from './service.js';

interface Waiting {
  account: AccountInfo;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * The pools new accounts get from the panel's own php-fpm (local mode), made in batches. One
 * account at a time, each create paid a pool test, a master test, a php-fpm reload and a vhost
 * regenerate (an nginx reload) in turn, so 10 concurrent creates queued ten of each. Creates
 * arriving while a batch is made wait for the next one, which makes all their pools with one of
 * each; every create is answered once its pool answers and its vhost uses it. A batch that fails
 * is made again one account at a time, so a bad account fails alone.
 */
export class NewAccountPools {
  private waiting: Waiting[] = [];
  private scheduled = false;
  /**
   * Identities of accounts being created (their primary domain row is made): their first vhost
   * already points at the pool they are about to get, so making it needs no second nginx reload.
   * A create failing before `account.created` leaves its identity here, matching nothing ever again.
   */
  private readonly coming = new Set<string>();

  constructor(private readonly php: PhpService) {}

  /** An account's primary domain row was made: its create goes on to its vhost, then here. */
  async expect(accountId: number): Promise<void> {
    const identity = (await this.php.ctx.services.get(accountDirectory).get(accountId))?.identity;
    if (identity) this.coming.add(identity);
  }

  /** The PHP of a vhost of an account being created: the FPM pool its create will make (null: not one of them). */
  async upcoming(accountId: number, username: string): Promise<VhostSpec['php'] | null> {
    if (this.coming.size === 0) return null; // every regenerate asks: nothing to look up unless a create is under way
    const identity = (await this.php.ctx.services.get(accountDirectory).get(accountId))?.identity;
    const m = identity && this.coming.has(identity) ? await this.master() : null;
    return m ? { mode: 'fpm', version: m.version, socket: poolNames(username, this.php.s.socketDir).socket } : null;
  }

  /** The master new accounts' pools go to: the default version's, else the first with php-fpm. */
  private async master(): Promise<FpmMaster | null> {
    const versions = await this.php.versions();
    const v = versions.find((x) => x.default && this.php.master(x)) ?? versions.find((x) => this.php.master(x));
    return v ? this.php.master(v) : null;
  }

  private forget(accounts: AccountInfo[]): void {
    for (const a of accounts) if (a.identity) this.coming.delete(a.identity);
  }

  /** Give a new account its pool (the default version in FPM mode) unless it has PHP settings already. */
  add(account: AccountInfo): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ account, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // In turn with every other PHP change: whatever arrives meanwhile is the next batch.
      void this.php.exclusive(() => this.drain());
    });
  }

  private async drain(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    try {
      await this.make(batch.map((w) => w.account));
      for (const w of batch) w.resolve();
      return;
    } catch (e) {
      if (batch.length === 1) return batch[0]!.reject(e);
    } finally {
      this.forget(batch.map((w) => w.account));
    }
    for (const w of batch) await this.make([w.account]).then(w.resolve, w.reject);
  }

  /** Pools → rows → vhosts (as a single account's transition does; the vhosts already point at the pools), undone together when a step fails. */
  private async make(accounts: AccountInfo[]): Promise<void> {
    const { php } = this;
    const m = await this.master();
    if (!m) return;
    const v = { version: m.version };
    const fresh: AccountInfo[] = [];
    for (const a of accounts) if (a.status === 'active' && !(await php.store.get(a.id))) fresh.push(a);
    if (fresh.length === 0) return;
    const pools = fresh.map((a) => renderPool({ account: a, version: v.version, ini: {} }, php.s));
    const domains = php.ctx.services.find(domainDirectory);
    const regenerate = async () => (domains?.engine() ? domains.regenerate(fresh.map((a) => a.id)) : undefined);
    try {
      await php.s.managed?.usable();
      await php.pools.changeMany(
        m,
        pools.map((p) => ({ file: p.file, content: p.content, socket: p.socket })),
      );
      for (const a of fresh) await php.store.put(a.id, { version: v.version, mode: 'fpm', ini: {} });
      await regenerate();
      for (const a of fresh) await removePools(php, a, m.poolDir);
    } catch (e) {
      this.forget(fresh); // their vhosts (made pointing at these pools) go back to no PHP
      const logged = (err: Error) =>
        php.ctx.logger.error('php: undo failed', { accounts: fresh.map((a) => a.id), error: err.message });
      for (const a of fresh) await php.store.put(a.id, null).catch(logged);
      await regenerate().catch(logged);
      // Only the panel's own files go (a pool never written, or an operator's file, is left as it is).
      await php.pools
        .changeMany(
          m,
          pools.map((p) => ({ file: p.file, content: null, socket: p.socket })),
        )
        .catch(logged);
      throw e;
    }
  }
}
