import { accountDirectory, errors, type VhostContributor, type VhostSpec } from '../../sdk/index.js';
import type { NewAccountPools } from './new-pools.js';
import { poolNames, renderPool } from './pool.js';
import { removePools, writePool } from './pool-changes.js';
import type { PhpService } from './service.js';
import type { PhpAccountSettings } from './store.js';

/** What the account's vhosts get: the FPM socket, or the php-cgi binary (CGI, LSAPI). */
export function phpContributor(php: PhpService, fresh: NewAccountPools | null): VhostContributor {
  const contribute = async (spec: VhostSpec, row: PhpAccountSettings | null) => {
    if (!row) {
      const coming = await fresh?.upcoming(spec.accountId, spec.accountUsername);
      if (coming) spec.php = coming;
      return;
    }
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
  };
  return {
    contribute: async (spec) => contribute(spec, await php.store.get(spec.accountId)),
    // A whole-server render: every account's settings in one query instead of one per host.
    async contributeAll(specs) {
      const rows = new Map((await php.store.all()).map((r) => [r.account_id, r]));
      for (const spec of specs) await contribute(spec, rows.get(spec.accountId) ?? null);
    },
  };
}

/** Account hooks: delete removes the pool and the row, suspend disables the pool, unsuspend restores it. */
export function registerAccountHooks(php: PhpService, fresh: NewAccountPools | null): void {
  const { hooks } = php.ctx;
  // A pool that cannot go refuses the delete (the account is put back): the reseller reads which
  // account's pool, an admin also the file or php-fpm error (it names server paths).
  hooks.before('account.delete', ({ account }) =>
    php
      .exclusive(async () => {
        await removePools(php, account, null);
        await php.store.put(account.id, null);
      })
      .catch((e: unknown) => {
        throw errors.vetoed('php', `could not remove the PHP-FPM pool of ${account.username}`).withCause(e);
      }),
  );
  hooks.after('account.suspended', ({ account }) => php.exclusive(() => removePools(php, account, null)));
  // The panel's own php-fpm (local mode): a new account's PHP pages are served at once, through
  // its own pool with the default version, as a fresh install would be expected to.
  // Made in batches with the pools of other accounts created meanwhile (see NewAccountPools).
  if (fresh) {
    hooks.after('domain.created', ({ domain }) =>
      domain.domain_type === 'primary' ? fresh.expect(domain.account_id) : undefined,
    );
    hooks.after('account.created', ({ account }) => fresh.add(account));
    hooks.after('account.create_failed', ({ account }) => fresh.failed(account));
  }
  // after-hook errors are logged by the kernel; the unsuspend itself stands
  hooks.after('account.unsuspended', ({ account }) =>
    php.exclusive(async () => {
      const row = await php.store.get(account.id);
      if (row?.mode === 'fpm') await writePool(php, { ...account, status: 'active' }, row);
    }),
  );
  // The plan sizes the pool (php_workers): a new plan, or an edited one, is written at once.
  hooks.after('account.plan_changed', ({ account }) =>
    php.exclusive(async () => {
      const row = await php.store.get(account.id);
      if (row?.mode === 'fpm') await writePool(php, account, row);
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
  const dirs = php.masterDirs;
  const own = (dirs?.list() ?? []).map((u) => dirs!.master(u, '', ''));
  for (const m of [...masters, ...own]) {
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
  // Per-account masters turned off: stopped before the shared masters take their sockets (a master
  // that exits removes its socket path, whoever listens there by then).
  if (dirs && !php.accountMasters) for (const u of dirs.list()) await dropMaster(php, u, result);
  const wanted = new Map<string, Set<string>>();
  // Every account in one query; one a create is adding (not listed yet) is asked for by itself.
  const listed = new Map((await accounts.list()).map((a) => [a.id, a]));
  for (const row of await php.store.all()) {
    const account = listed.get(row.account_id) ?? (await accounts.get(row.account_id));
    if (!account) {
      await php.store.put(row.account_id, null);
      continue;
    }
    if (row.mode !== 'fpm' || account.status !== 'active') continue;
    const v = await php.version(row.version);
    const shared = v && php.master(v);
    if (!shared) continue;
    // With per-account masters, a master that is not running (a reboot, a crash) starts here.
    const m = php.accountMasters?.master(account.username, row.version, shared.binary) ?? shared;
    wanted.set(m.poolDir, (wanted.get(m.poolDir) ?? new Set()).add(poolNames(account.username, php.s.socketDir).file));
    try {
      const pool = renderPool({ account, version: row.version, ini: row.ini }, php.s);
      // Its pool in a shared master goes first, for the same reason.
      if (m !== shared) await removePools(php, account, m.poolDir);
      const r =
        m === shared
          ? await php.pools.change(m, pool.file, pool.content, pool.socket)
          : await php.accountMasters!.set(account, m, pool.content, pool.socket);
      if (r.changed) result.written++;
    } catch (e) {
      result.failed.push(account.username);
      php.ctx.logger.error('php: could not reconcile a pool', { account: account.id, error: e });
    }
  }
  for (const username of dirs?.list() ?? [])
    if (!wanted.has(dirs!.master(username, '', '').poolDir)) await dropMaster(php, username, result);
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

/** Stop a per-account master no account wants (deleted, suspended, not FPM, or masters turned off). */
async function dropMaster(
  php: PhpService,
  username: string,
  result: { removed: number; failed: string[] },
): Promise<void> {
  await php.masterDirs!.drop(username).then(
    () => result.removed++,
    (e: Error) => {
      result.failed.push(username);
      php.ctx.logger.error('php: could not stop a stale per-account master', { username, error: e.message });
    },
  );
}

/**
 * Start the per-account masters of active FPM accounts that are not running: a master lives in
 * its account's groups, so the OOM killer there may pick it. Returns how many were started.
 */
export async function restartStoppedMasters(php: PhpService): Promise<number> {
  const accounts = php.ctx.services.find(accountDirectory);
  if (!php.accountMasters || !accounts) return 0;
  let started = 0;
  for (const row of await php.store.all()) {
    if (row.mode !== 'fpm') continue;
    const account = await accounts.get(row.account_id);
    if (!account || account.status !== 'active' || php.accountMasters.running(account.username)) continue;
    try {
      await writePool(php, account, row);
      started++;
      php.ctx.logger.warn('php: started the per-account php-fpm master again (it had stopped)', {
        account: account.id,
      });
    } catch (e) {
      php.ctx.logger.error('php: could not start a per-account php-fpm master', {
        account: account.id,
        error: (e as Error).message,
      });
    }
  }
  return started;
}
