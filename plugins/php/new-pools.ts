import { domainDirectory, type AccountInfo } from '../../sdk/index.js';
import { renderPool } from './pool.js';
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

  constructor(private readonly php: PhpService) {}

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
    }
    for (const w of batch) await this.make([w.account]).then(w.resolve, w.reject);
  }

  /** Pools → rows → vhosts (as a single account's transition does), undone together when a step fails. */
  private async make(accounts: AccountInfo[]): Promise<void> {
    const { php } = this;
    const versions = await php.versions();
    const v = versions.find((x) => x.default && php.master(x)) ?? versions.find((x) => php.master(x));
    if (!v) return;
    const m = php.master(v)!;
    const fresh: AccountInfo[] = [];
    for (const a of accounts) if (a.status === 'active' && !(await php.store.get(a.id))) fresh.push(a);
    if (fresh.length === 0) return;
    await php.s.managed?.usable();
    const pools = fresh.map((a) => renderPool({ account: a, version: v.version, ini: {} }, php.s));
    await php.pools.changeMany(m, pools.map((p) => ({ file: p.file, content: p.content, socket: p.socket })));
    const domains = php.ctx.services.find(domainDirectory);
    const regenerate = async () => (domains?.engine() ? domains.regenerate(fresh.map((a) => a.id)) : undefined);
    try {
      for (const a of fresh) await php.store.put(a.id, { version: v.version, mode: 'fpm', ini: {} });
      await regenerate();
      for (const a of fresh) await php.removePools(a, m.poolDir);
    } catch (e) {
      const logged = (err: Error) => php.ctx.logger.error('php: undo failed', { accounts: fresh.map((a) => a.id), error: err.message });
      for (const a of fresh) await php.store.put(a.id, null).catch(logged);
      await regenerate().catch(logged);
      await php.pools.changeMany(m, pools.map((p) => ({ file: p.file, content: null, socket: p.socket }))).catch(logged);
      throw e;
    }
  }
}
