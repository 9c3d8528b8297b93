import fs from 'node:fs';
import path from 'node:path';
import {
  accountDirectory,
  accountOperations,
  definePlugin,
  diskUsageSource,
  Type,
  type ApiRequest,
  type PluginContext,
  type Static,
} from '../../sdk/index.js';
import { accountAccess, accountOf } from './http/account.js';
import type { FileRoutesContext } from './http/context.js';
import { manageRoutes } from './http/routes-manage.js';
import { contractRoutes } from './http/routes-contract.js';
import { transferRoutes } from './http/routes-transfer.js';
import { TRASH_DIR } from './paths.js';
import { FileRunner } from './runner.js';
import { fileUsage } from './usage.js';

const FilesConfig = Type.Object({
  /** Largest file read or written as text through the JSON routes. */
  text_limit_kb: Type.Integer({ default: 1024, minimum: 1, maximum: 65536 }),
  upload_limit_mb: Type.Integer({ default: 2048, minimum: 1 }),
  max_archive_entries: Type.Integer({ default: 100000, minimum: 1 }),
  /** An archive may expand to this many times its own size (compression bombs stop there)… */
  max_archive_ratio: Type.Integer({ default: 200, minimum: 1 }),
  /** …but always to this many MB, however small it is. */
  archive_ratio_floor_mb: Type.Integer({ default: 16, minimum: 0 }),
  /** Archive work on at least this many MB runs as a job. */
  job_threshold_mb: Type.Number({ default: 32, minimum: 0 }),
  /** Linux mode: file agents kept warm (one per account user; 0: one agent per operation). */
  agent_pool_size: Type.Integer({ default: 4, minimum: 0, maximum: 64 }),
  /** Linux mode: how long a warm agent waits for the next operation. */
  agent_idle_ms: Type.Integer({ default: 20000, minimum: 100, maximum: 3600000 }),
  /**
   * Every this many minutes each account's usage counter (the quota pre-check's figure, kept by
   * the panel's own writes) is corrected by a walk of its home, catching writes made outside the
   * panel; also once at start-up. 0: only at start-up.
   */
  usage_walk_minutes: Type.Integer({ default: 60, minimum: 0 }),
});

/**
 * Empty, one account at a time, every trash a crash or a failed purge left non-empty. Only
 * whether the folder holds anything is looked at here; the purge itself walks it like any
 * operation (as the account in linux mode).
 */
/** A directory (not a link) is at `p`; anything unreadable counts as none. */
function isDirectory(p: string): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

async function sweepTrash(ctx: PluginContext, runner: FileRunner): Promise<void> {
  const directory = ctx.services.find(accountDirectory);
  if (!directory) return;
  let looked = 0;
  for (const account of await directory.list()) {
    // One synchronous lstat per home (10,000 homes: an awaited call each waited for the busy
    // start-up event loop 10,000 times); requests get in every 500 homes.
    if (++looked % 500 === 0) await new Promise((r) => setImmediate(r));
    const trash = path.join(account.home_dir, TRASH_DIR);
    if (!isDirectory(trash)) continue;
    const dir = await fs.promises.opendir(trash).catch(() => null);
    const first = await dir?.read().catch(() => null);
    await dir?.close().catch(() => undefined);
    if (first) await runner.purgeLater(account);
  }
}

const KB = 1024;
const MB = 1024 * 1024;

/**
 * File manager: browse, read, write and manage files inside an account's home. Every path is
 * walked one no-follow open at a time below the home; in linux mode every operation also runs in
 * a child process as the account's own user.
 */
export default definePlugin<Static<typeof FilesConfig>>({
  manifest: {
    id: 'files',
    name: 'File Manager',
    version: '1.0.0',
    sdk: '^1.0.0',
    optionalDependencies: ['accounts'],
    consumes: ['accounts.directory?', 'accounts.operations?'],
    description: 'Sandboxed, streaming, link-proof file manager for account homes',
  },
  configSchema: FilesConfig,
  start(ctx) {
    const textLimit = ctx.config.text_limit_kb * KB;
    const runner = new FileRunner(
      ctx.settings.mode,
      {
        textLimit,
        maxEntries: ctx.config.max_archive_entries,
        expansion: { ratio: ctx.config.max_archive_ratio, floor: ctx.config.archive_ratio_floor_mb * MB },
      },
      ctx.logger,
      { size: ctx.config.agent_pool_size, idleMs: ctx.config.agent_idle_ms },
      () => ctx.services.find(diskUsageSource),
    );
    const shared: FileRoutesContext = {
      ctx,
      runner,
      textLimit,
      uploadLimit: ctx.config.upload_limit_mb * MB,
      jobThreshold: ctx.config.job_threshold_mb * MB,
      access: (scope) => accountAccess(ctx.services, scope),
      account: async (req: ApiRequest) => {
        const account = await accountOf(ctx.services, req);
        req.auditTarget = `account:${account.id}`;
        return account;
      },
      change: (account, work) => {
        const operations = ctx.services.find(accountOperations);
        return operations ? operations.fileChange(account.id, work) : work();
      },
    };
    contractRoutes(shared);
    transferRoutes(shared);
    manageRoutes(shared);
    let stopped = false;
    const correct = async () => {
      const accounts = await ctx.services
        .find(accountDirectory)
        ?.list()
        .catch(() => []);
      await runner.usage.correctAll(accounts ?? [], () => stopped);
    };
    ctx.services.provide(fileUsage, { counted: (id) => runner.usage.counted(id), correct });
    ctx.onStop(() => {
      stopped = true;
      return runner.stop();
    });
    ctx.onReady(async () => {
      await sweepTrash(ctx, runner);
      // Off the start-up path: until an account's walk is done, its first quota check walks.
      void correct();
      if (ctx.config.usage_walk_minutes > 0)
        ctx.scheduler.schedule({ name: 'usage-walk', when: `every ${ctx.config.usage_walk_minutes}m`, run: correct });
    });
  },
});
