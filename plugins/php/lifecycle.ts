import { accountDirectory, type VhostContributor } from '../../sdk/index.js';
import { poolNames, renderPool } from './pool.js';
import type { PhpService } from './service.js';

/** What the account's vhosts get: the FPM socket, or the php-cgi binary (CGI, LSAPI). */
export function phpContributor(php: PhpService): VhostContributor {
  return {
    async contribute(spec) {
      const row = await php.store.get(spec.accountId);
      if (!row) return;
      if (row.mode === 'fpm') {
        spec.php = {
          mode: 'fpm',
          version: row.version,
          socket: poolNames(spec.accountUsername, php.s.socketDir).socket,
        };
        return;
      }
      const binary = (await php.version(row.version))?.binaries.cgi;
      spec.php = { mode: row.mode, version: row.version, ...(binary ? { binary } : {}) };
    },
  };
}

/** Account hooks: delete removes the pool and the row, suspend disables the pool, unsuspend restores it. */
export function registerAccountHooks(php: PhpService): void {
  const { hooks } = php.ctx;
  hooks.before('account.delete', ({ account }) =>
    php.exclusive(async () => {
      await php.removePools(account, null);
      await php.store.put(account.id, null);
    }),
  );
  hooks.after('account.suspended', ({ account }) => php.exclusive(() => php.removePools(account, null)));
  // The panel's own php-fpm (local mode): a new account's PHP pages are served at once, through
  // its own pool with the default version, as a fresh install would be expected to.
  if (php.s.managed)
    hooks.after('account.created', async ({ account }) => {
      const versions = await php.versions();
      const v = versions.find((x) => x.default && php.master(x)) ?? versions.find((x) => php.master(x));
      if (v && !(await php.store.get(account.id)))
        await php.transition(account, { version: v.version, mode: 'fpm', ini: {} });
    });
  // after-hook errors are logged by the kernel; the unsuspend itself stands
  hooks.after('account.unsuspended', ({ account }) =>
    php.exclusive(async () => {
      const row = await php.store.get(account.id);
      if (row?.mode === 'fpm') await php.writePool({ ...account, status: 'active' }, row);
    }),
  );
}

/**
 * Start-up reconciliation: undo interrupted swaps, narrow pool files wider than 0640, then make every master's managed pools match
 * the rows (missing or stale pools written, pools of deleted, suspended or non-FPM accounts
 * removed, rows of deleted accounts dropped). Failures are logged per account.
 */
export async function reconcilePools(php: PhpService): Promise<{ written: number; removed: number; failed: string[] }> {
  const result = { written: 0, removed: 0, failed: [] as string[] };
  const accounts = php.ctx.services.find(accountDirectory);
  if (!accounts) return result;
  // the panel's own master may still be starting: pools are reloaded into it once it answers
  await php.s.managed?.usable().catch(() => undefined);
  const masters = await php.masters();
  for (const m of masters) {
    const restored = php.pools.prepare(m);
    if (restored)
      php.ctx.logger.warn('php: restored pool files of an interrupted change', { version: m.version, restored });
    const narrowed = php.pools.tightenModes(m);
    if (narrowed.length)
      php.ctx.logger.warn('php: narrowed the modes of pool files that had drifted', {
        version: m.version,
        files: narrowed,
      });
  }
  const wanted = new Map<string, Set<string>>();
  for (const row of await php.store.all()) {
    const account = await accounts.get(row.account_id);
    if (!account) {
      await php.store.put(row.account_id, null);
      continue;
    }
    if (row.mode !== 'fpm' || account.status !== 'active') continue;
    const v = await php.version(row.version);
    const m = v && php.master(v);
    if (!m) continue;
    wanted.set(m.poolDir, (wanted.get(m.poolDir) ?? new Set()).add(poolNames(account.username, php.s.socketDir).file));
    try {
      const pool = renderPool({ account, version: row.version, ini: row.ini }, php.s);
      if ((await php.pools.change(m, pool.file, pool.content, pool.socket)).changed) result.written++;
    } catch (e) {
      result.failed.push(account.username);
      php.ctx.logger.error('php: could not reconcile a pool', { account: account.id, error: (e as Error).message });
    }
  }
  for (const m of masters) {
    for (const file of php.pools.list(m)) {
      if (wanted.get(m.poolDir)?.has(file)) continue;
      const socket = `${php.s.socketDir}/${file.replace(/\.conf$/, '.sock')}`;
      await php.pools.change(m, file, null, socket).then(
        () => result.removed++,
        (e: Error) => {
          result.failed.push(file);
          php.ctx.logger.error('php: could not remove a stale pool', { file, error: e.message });
        },
      );
    }
  }
  return result;
}
