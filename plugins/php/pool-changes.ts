// An account's PHP change as one unit: its new pool, its row, its vhosts, then its old pools go,
// each step undone in reverse when a later one fails. Callers hold PhpService.exclusive.
import { errors, type AccountInfo } from '../../sdk/index.js';
import { poolNames, renderPool } from './pool.js';
import type { PhpService } from './service.js';
import type { PhpAccountSettings } from './store.js';

/** The settings an account is moved to. */
export type WantedPhp = Pick<PhpAccountSettings, 'version' | 'mode' | 'ini'>;
type Undo = (() => Promise<unknown>)[];

/** Move the account to `next` settings (null: back to the default), all or nothing. */
export async function changeAccountPhp(php: PhpService, account: AccountInfo, next: WantedPhp | null): Promise<void> {
  const prev = await php.store.get(account.id);
  const undo: Undo = [];
  try {
    const keep = await writePool(php, account, next, undo);
    await php.store.put(account.id, next);
    undo.push(async () => {
      await php.store.put(account.id, prev);
      await php.regenerate(account.id);
    });
    await php.regenerate(account.id);
    await removePools(php, account, keep, undo);
  } catch (e) {
    for (const fn of undo.reverse())
      await fn().catch((err: Error) =>
        php.ctx.logger.error('php: undo failed', { account: account.id, error: err.message }),
      );
    throw e;
  }
}

/** Write the pool `settings` call for (FPM mode, active account); returns its master's pool dir. */
export async function writePool(
  php: PhpService,
  account: AccountInfo,
  settings: WantedPhp | null,
  undo: Undo = [],
): Promise<string | null> {
  if (!settings || settings.mode !== 'fpm' || account.status !== 'active') return null;
  await php.s.managed?.usable();
  const v = await php.version(settings.version);
  const m = v && php.master(v);
  if (!m) throw errors.conflict(`PHP ${settings.version} has no php-fpm on this server any more`);
  const pool = renderPool({ account, version: settings.version, ini: settings.ini }, php.s);
  if (php.accountMasters) {
    const own = php.accountMasters.master(account.username, settings.version, m.binary);
    // Its pool leaves a shared master first: a master dropping a pool may remove the socket path.
    await removePools(php, account, own.poolDir, undo);
    const r = await php.accountMasters.set(account, own, pool.content, pool.socket);
    undo.push(r.undo);
    return own.poolDir;
  }
  const before = php.pools.read(m, pool.file);
  await php.pools.change(m, pool.file, pool.content, pool.socket);
  undo.push(() => php.pools.change(m, pool.file, before, pool.socket));
  return m.poolDir;
}

/** Remove the account's managed pool files from every master except the pool dir `keep`. */
export async function removePools(
  php: PhpService,
  account: AccountInfo,
  keep: string | null,
  undo: Undo = [],
): Promise<void> {
  const { file, socket } = poolNames(account.username, php.s.socketDir);
  const own = php.masterDirs?.master(account.username, '', '');
  if (own && own.poolDir !== keep) {
    const back = await php.masterDirs!.remove(account);
    if (back) undo.push(back);
  }
  for (const m of await php.masters()) {
    if (m.poolDir === keep) continue;
    const before = php.pools.read(m, file);
    if (before === null) continue;
    await php.pools.change(m, file, null, socket);
    undo.push(() => php.pools.change(m, file, before, socket));
  }
}
