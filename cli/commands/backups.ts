import type { JobRecord } from '../../sdk/jobs.js';
import { YES_OPTION, type CommandContext, type CommandSpec } from '../command.js';
import { Exit } from '../exit-codes.js';
import { columnsOf, describeResult, humanBytes, table } from '../output.js';
import { asJob, followJob, jobExit, jobFailure, progressMode } from '../progress.js';
import { confirm } from '../prompt.js';
import { accountId } from './accounts.js';

const accountArg = { name: 'account', help: 'account id or username' };
const targetOpt = { name: 'target', value: 'ID', help: 'backup target id (default: the configured default target)' };
const waitOpts = [
  { name: 'no-wait', help: 'print the job and return at once (follow it with `velopanel jobs watch <id>`)' },
  { name: 'progress', value: 'MODE', help: 'bar, lines or none (default: bar on a terminal, lines otherwise)' },
];

/**
 * Start a job through a route answering `?async=true` with the job, follow its progress, and
 * print the result. A route answering the finished result directly is printed as it is.
 */
async function runJob(ctx: CommandContext, route: string, label: string): Promise<number> {
  const api = ctx.api();
  const mode = progressMode(ctx.out, ctx.options.progress);
  const answer = await api.request('POST', route, { query: { async: 'true', ...targetQuery(ctx) } });
  const started = asJob(answer);
  if (!started) {
    ctx.out.result(answer, () => describeResult(answer));
    return Exit.OK;
  }
  if (ctx.options['no-wait']) {
    ctx.out.result(
      started,
      () => `Started job ${started.id} (${started.kind}); follow it with: velopanel jobs watch ${started.id}`,
    );
    return Exit.OK;
  }
  const job: JobRecord = await followJob(api, started.id, ctx.out, mode, label);
  const partly = incomplete(job.result);
  ctx.out.result(job, () => {
    if (job.state !== 'succeeded') return [`${label}: ${job.state}: ${jobFailure(job)}`];
    return [partly ? `${label}: finished, ${partly}.` : `${label}: done.`, ...describeResult(job.result)];
  });
  return partly ? Exit.JOB_FAILED : jobExit(job);
}

/** A job that ran to the end but reports items it could not do (`status: partial|failed`). */
function incomplete(result: unknown): string | null {
  const status = (result as { status?: unknown } | null)?.status;
  return status === 'partial' || status === 'failed'
    ? `but ${status === 'partial' ? 'only partly' : 'nothing was restored'}; see the items below`
    : null;
}

/** `?target=` when --target was given. */
function targetQuery(ctx: CommandContext): Record<string, string> | undefined {
  return typeof ctx.options.target === 'string' ? { target: ctx.options.target } : undefined;
}

export const backupCreateCommand: CommandSpec = {
  path: ['backup', 'create'],
  summary: 'Back up an account (home, databases, settings) with live progress',
  args: [accountArg],
  options: [targetOpt, ...waitOpts],
  details: 'Exit code 7 when the backup job fails; the reason is printed.',
  async run(ctx) {
    const id = await accountId(ctx.api(), ctx.args.account!);
    return runJob(ctx, `/api/backups/accounts/${id}`, 'backup');
  },
};

export const backupRestoreCommand: CommandSpec = {
  path: ['backup', 'restore'],
  summary: 'Restore an account from one of its backups, reporting each item',
  details: 'Exit code 7 when the job fails, or when it reports items it could not restore (status partial or failed).',
  args: [accountArg, { name: 'file', help: 'backup file name, e.g. johndoe-20260228-120000.tar.gz' }],
  options: [targetOpt, YES_OPTION, ...waitOpts],
  async run(ctx) {
    const id = await accountId(ctx.api(), ctx.args.account!);
    await confirm(ctx.options.yes, `restore account ${ctx.args.account} from ${ctx.args.file}`);
    return runJob(ctx, `/api/backups/accounts/${id}/restore/${encodeURIComponent(ctx.args.file!)}`, 'restore');
  },
};

export const backupListCommand: CommandSpec = {
  path: ['backup', 'list'],
  summary: "List an account's backups on every target it may use",
  args: [accountArg],
  options: [{ ...targetOpt, help: 'only this backup target' }],
  async run(ctx) {
    const api = ctx.api();
    const rows = await api.request<Record<string, unknown>[]>(
      'GET',
      `/api/backups/accounts/${await accountId(api, ctx.args.account!)}`,
      { query: targetQuery(ctx) },
    );
    const shown = rows.map((r) => ('size' in r ? { ...r, size: humanBytes(r.size) } : r));
    // The table keeps the contract's columns; --json has every field (account_id too).
    const contractColumns = ['filename', 'name', 'size', 'created_at', 'target'];
    ctx.out.result(rows, () =>
      table(
        shown,
        columnsOf(shown, contractColumns).filter((c) => contractColumns.includes(c.header.toLowerCase())),
      ),
    );
    return Exit.OK;
  },
};

export const backupDeleteCommand: CommandSpec = {
  path: ['backup', 'delete'],
  summary: 'Delete one backup of an account',
  args: [accountArg, { name: 'file', help: 'backup file name' }],
  options: [{ ...targetOpt, help: 'only from this backup target (default: from every target holding it)' }, YES_OPTION],
  async run(ctx) {
    const api = ctx.api();
    const id = await accountId(api, ctx.args.account!);
    await confirm(ctx.options.yes, `delete backup ${ctx.args.file}`);
    const done = await api.request('DELETE', `/api/backups/accounts/${id}/${encodeURIComponent(ctx.args.file!)}`, {
      query: targetQuery(ctx),
    });
    ctx.out.result(done, () => `Deleted backup ${ctx.args.file}.`);
    return Exit.OK;
  },
};
