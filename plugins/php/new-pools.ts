import { accountDirectory, type AccountInfo, type VhostSpec } from '../../sdk/index.js';
import type { FpmMaster } from './master.js';
import { poolNames, renderPool } from './pool.js';
import { removePools } from './pool-changes.js';
import type { PhpService } from './service.js';

/** An account being created: its pool once it is being made (resolves to its master; null: no pool). */
interface Coming {
  accountId: number;
  username: string;
  pool?: Promise<FpmMaster | null>;
}

/**
 * The pools new accounts get from the panel's own php-fpm (local mode). Made one at a time after
 * the vhost's nginx reload, each create paid a pool test, a master test and a php-fpm reload after
 * it, and creates arriving together still split into two or more reloads. Now a create's pool is
 * started when its first vhost is rendered (which already points at it), so php-fpm's tests and
 * reload run while nginx tests and reloads; the pools of every create in that vhost batch are
 * asked for in one go, so {@link FpmPools} makes them with one test and one reload. A create is
 * answered once its pool answers and its vhost uses it (the order between the two never shows:
 * the account does not exist for anyone before that answer). A pool that fails leaves its account
 * without PHP (its vhost regenerated without it); a create that fails has its pool removed.
 */
export class NewAccountPools {
  /** Accounts being created (their primary domain row is made), by identity (an id may be used again). */
  private readonly coming = new Map<string, Coming>();

  constructor(private readonly php: PhpService) {}

  /** An account's primary domain row was made: its create goes on to its vhost, then to {@link add}. */
  async expect(accountId: number): Promise<void> {
    const a = await this.php.ctx.services.get(accountDirectory).get(accountId);
    if (a?.identity && !this.coming.has(a.identity)) this.coming.set(a.identity, { accountId, username: a.username });
  }

  /** The PHP of a vhost of an account being created: the FPM pool its create makes (null: not one of them). */
  async upcoming(accountId: number, username: string): Promise<VhostSpec['php'] | null> {
    if (this.coming.size === 0) return null; // every regenerate asks: nothing to look up unless a create is under way
    const identity = (await this.php.ctx.services.get(accountDirectory).get(accountId))?.identity;
    const m = identity && this.coming.has(identity) ? await this.master() : null;
    if (!m) return null;
    this.start(); // its vhost is being made: the pools go live beside it
    return { mode: 'fpm', version: m.version, socket: poolNames(username, this.php.s.socketDir).socket };
  }

  /** The master new accounts' pools go to: the default version's, else the first with php-fpm. */
  private async master(): Promise<FpmMaster | null> {
    const versions = await this.php.versions();
    const v = versions.find((x) => x.default && this.php.master(x)) ?? versions.find((x) => this.php.master(x));
    return v ? this.php.master(v) : null;
  }

  /** Start the pools of every account coming whose pool is not under way, asked for together. */
  private start(): void {
    const todo = [...this.coming.values()].filter((c) => !c.pool);
    if (todo.length === 0) return;
    const ready = this.render(todo.map((c) => c.accountId));
    for (const c of todo)
      c.pool = ready.then(async ({ m, pools }) => {
        const p = pools.get(c.accountId);
        if (!m || p === null || p === undefined) return null;
        if (p instanceof Error) throw p;
        await this.php.pools.change(m, p.file, p.content, p.socket);
        return m;
      });
    // Rejections are read by add() or failed(); an unread one is not a crash.
    for (const c of todo) c.pool!.catch(() => undefined);
  }

  /** The default pools of the accounts (null: the account has PHP settings already or is gone). */
  private async render(ids: number[]) {
    const { php } = this;
    const m = await this.master();
    const pools = new Map<number, ReturnType<typeof renderPool> | Error | null>();
    if (m) await php.s.managed?.usable();
    for (const id of ids) {
      const a = m ? await php.ctx.services.get(accountDirectory).get(id) : null;
      if (!a || a.deleting || (await php.store.get(id))) pools.set(id, null);
      else
        try {
          pools.set(id, renderPool({ account: a, version: m!.version, ini: {} }, php.s));
        } catch (e) {
          pools.set(id, e as Error);
        }
    }
    return { m, pools };
  }

  /** The account is created: once its pool answers, its row says FPM with the default version. */
  async add(account: AccountInfo): Promise<void> {
    const { php } = this;
    const identity = account.identity ?? `id:${account.id}`;
    if (!this.coming.has(identity)) this.coming.set(identity, { accountId: account.id, username: account.username });
    const c = this.coming.get(identity)!;
    this.start();
    let m: FpmMaster | null;
    try {
      m = await c.pool!;
    } catch (e) {
      // Its vhost (made pointing at the pool) goes back to no PHP.
      this.coming.delete(identity);
      await php.exclusive(() => php.regenerate(account.id));
      throw e;
    }
    if (!m) return void this.coming.delete(identity);
    await php.exclusive(async () => {
      try {
        if (account.status === 'active' && !(await php.store.get(account.id)))
          await php.store.put(account.id, { version: m.version, mode: 'fpm', ini: {} });
        this.coming.delete(identity);
        await removePools(php, account, m.poolDir);
      } catch (e) {
        this.coming.delete(identity);
        await this.drop(m, account.username);
        await php.store.put(account.id, null);
        await php.regenerate(account.id);
        throw e;
      }
    });
  }

  /** The create failed and was undone: its pool (if one was made) goes, unless a create of the same name is under way. */
  async failed(account: AccountInfo): Promise<void> {
    const identity = account.identity ?? `id:${account.id}`;
    const c = this.coming.get(identity);
    if (!c) return;
    this.coming.delete(identity);
    const m = await c.pool?.catch(() => null);
    if (!m || [...this.coming.values()].some((o) => o.username === c.username)) return;
    await this.drop(m, c.username);
  }

  /** Remove a pool the panel wrote (an operator's file of that name is left alone). */
  private async drop(m: FpmMaster, username: string): Promise<void> {
    const { file, socket } = poolNames(username, this.php.s.socketDir);
    await this.php.pools.change(m, file, null, socket);
  }
}
