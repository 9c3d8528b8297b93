import { readFileSync } from 'node:fs';
import { YES_OPTION, type CommandContext, type CommandSpec } from '../command.js';
import { Exit, usageError } from '../exit-codes.js';
import { table, type Column } from '../output.js';
import { confirm, readStdin } from '../prompt.js';
import { accountId } from './accounts.js';

// `velopanel ssh-keys|shell|cron …`: the access plugin's routes under /api/accounts/:id.

interface SshKey {
  id: number;
  type: string;
  bits: number;
  fingerprint: string;
  comment: string;
  created_at: string;
}
interface CronJob {
  id: number;
  schedule: string;
  description: string;
  command: string;
  enabled: boolean;
  email: string | null;
}

const KEY_COLUMNS: Column<SshKey>[] = [
  { header: 'ID', cell: (k) => k.id, right: true },
  { header: 'TYPE', cell: (k) => k.type },
  { header: 'BITS', cell: (k) => k.bits, right: true },
  { header: 'FINGERPRINT', cell: (k) => k.fingerprint },
  { header: 'COMMENT', cell: (k) => k.comment },
];
const CRON_COLUMNS: Column<CronJob>[] = [
  { header: 'ID', cell: (j) => j.id, right: true },
  { header: 'ON', cell: (j) => (j.enabled ? 'yes' : 'no') },
  { header: 'SCHEDULE', cell: (j) => j.schedule },
  { header: 'WHEN', cell: (j) => j.description },
  { header: 'COMMAND', cell: (j) => j.command },
  { header: 'MAIL', cell: (j) => j.email ?? '' },
];
const accountArg = { name: 'account', help: 'account id or username' };
const idArg = (what: string) => ({ name: 'id', help: `${what} id (see the list)` });

async function base(ctx: CommandContext, what: string): Promise<string> {
  return `/api/accounts/${await accountId(ctx.api(), ctx.args.account!)}/${what}`;
}

export const sshKeysListCommand: CommandSpec = {
  path: ['ssh-keys', 'list'],
  summary: "List an account's SSH public keys",
  args: [accountArg],
  async run(ctx) {
    const data = await ctx.api().request<{ keys: SshKey[]; shell: string }>('GET', await base(ctx, 'ssh-keys'));
    ctx.out.result(data, () => [...table(data.keys, KEY_COLUMNS), `Shell: ${data.shell}`]);
    return Exit.OK;
  },
};

export const sshKeysAddCommand: CommandSpec = {
  path: ['ssh-keys', 'add'],
  summary: 'Add an SSH public key (from a .pub file, or - for standard input)',
  args: [accountArg, { name: 'file', help: 'public key file, e.g. ~/.ssh/id_ed25519.pub; - reads standard input' }],
  details: '  velopanel ssh-keys add johndoe ~/.ssh/id_ed25519.pub',
  async run(ctx) {
    const file = ctx.args.file!;
    // Sent whole: the panel refuses more than one line rather than picking one.
    const public_key = file === '-' ? await readStdin(64 * 1024) : readFileSync(file, 'utf8');
    const k = await ctx.api().request<SshKey>('POST', await base(ctx, 'ssh-keys'), { body: { public_key } });
    ctx.out.result(k, () => [`Added key ${k.id} (${k.type}, ${k.fingerprint}).`]);
    return Exit.OK;
  },
};

export const sshKeysRemoveCommand: CommandSpec = {
  path: ['ssh-keys', 'remove'],
  summary: 'Remove an SSH key (it stops logging in at once)',
  args: [accountArg, idArg('key')],
  options: [YES_OPTION],
  async run(ctx) {
    await confirm(ctx.options.yes, `remove SSH key ${ctx.args.id} of ${ctx.args.account}`);
    const r = await ctx.api().request('DELETE', `${await base(ctx, 'ssh-keys')}/${encodeURIComponent(ctx.args.id!)}`);
    ctx.out.result(r, () => [`Removed key ${ctx.args.id}.`]);
    return Exit.OK;
  },
};

export const shellSetCommand: CommandSpec = {
  path: ['shell', 'set'],
  summary: "Set an account's shell: nologin, sftp-only, full, or plan (admin)",
  args: [accountArg, { name: 'shell', help: 'nologin | sftp-only | full | plan' }],
  async run(ctx) {
    const shell = ctx.args.shell === 'plan' ? null : ctx.args.shell;
    const r = await ctx
      .api()
      .request<{ shell: string; source: string }>('PUT', await base(ctx, 'shell'), { body: { shell } });
    ctx.out.result(r, () => [
      `Shell of ${ctx.args.account}: ${r.shell} (${r.source === 'plan' ? "the plan's" : 'set by an admin'}).`,
    ]);
    return Exit.OK;
  },
};

export const cronListCommand: CommandSpec = {
  path: ['cron', 'list'],
  summary: "List an account's cron jobs, with a plain reading of each schedule",
  args: [accountArg],
  async run(ctx) {
    const data = await ctx.api().request<{ jobs: CronJob[]; max_jobs: number }>('GET', await base(ctx, 'cron'));
    ctx.out.result(data, () => [
      ...table(data.jobs, CRON_COLUMNS),
      `${data.jobs.length} of ${data.max_jobs} jobs the plan allows.`,
    ]);
    return Exit.OK;
  },
};

const JOB_OPTIONS = [
  {
    name: 'schedule',
    value: 'SPEC',
    help: 'five cron fields ("*/15 * * * *") or @hourly, @daily, @weekly, @monthly, @yearly',
  },
  { name: 'command', value: 'CMD', help: 'command run by /bin/sh as the account, in its home' },
  { name: 'email', value: 'ADDR', help: 'mail the output here ("" for none)' },
];

function jobBody(ctx: CommandContext): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of ['schedule', 'command', 'email'] as const)
    if (typeof ctx.options[f] === 'string') body[f] = ctx.options[f];
  if (ctx.options.enable && ctx.options.disable)
    throw usageError('--enable and --disable exclude each other', ctx.args.id ? 'cron set' : 'cron add');
  if (ctx.options.enable) body.enabled = true;
  if (ctx.options.disable) body.enabled = false;
  return body;
}

const said = (j: CronJob) => `Cron job ${j.id}: ${j.schedule} (${j.description})${j.enabled ? '' : ', disabled'}.`;

export const cronAddCommand: CommandSpec = {
  path: ['cron', 'add'],
  summary: 'Add a cron job',
  args: [accountArg],
  options: [...JOB_OPTIONS, { name: 'disable', help: 'add it disabled' }],
  details: "  velopanel cron add johndoe --schedule '@daily' --command 'php public_html/cron.php'",
  async run(ctx) {
    const body = jobBody(ctx);
    if (!body.schedule || !body.command) throw usageError('--schedule and --command are required', 'cron add');
    const j = await ctx.api().request<CronJob>('POST', await base(ctx, 'cron'), { body });
    ctx.out.result(j, () => [said(j)]);
    return Exit.OK;
  },
};

export const cronSetCommand: CommandSpec = {
  path: ['cron', 'set'],
  summary: 'Change a cron job',
  args: [accountArg, idArg('job')],
  options: [
    ...JOB_OPTIONS,
    { name: 'enable', help: 'enable the job' },
    { name: 'disable', help: 'disable the job (kept, not run)' },
  ],
  async run(ctx) {
    const body = jobBody(ctx);
    if (!Object.keys(body).length)
      throw usageError('nothing to change: give --schedule, --command, --email, --enable or --disable', 'cron set');
    const j = await ctx
      .api()
      .request<CronJob>('PATCH', `${await base(ctx, 'cron')}/${encodeURIComponent(ctx.args.id!)}`, { body });
    ctx.out.result(j, () => [said(j)]);
    return Exit.OK;
  },
};

export const cronRemoveCommand: CommandSpec = {
  path: ['cron', 'remove'],
  summary: 'Remove a cron job',
  args: [accountArg, idArg('job')],
  options: [YES_OPTION],
  async run(ctx) {
    await confirm(ctx.options.yes, `remove cron job ${ctx.args.id} of ${ctx.args.account}`);
    const r = await ctx.api().request('DELETE', `${await base(ctx, 'cron')}/${encodeURIComponent(ctx.args.id!)}`);
    ctx.out.result(r, () => [`Removed cron job ${ctx.args.id}.`]);
    return Exit.OK;
  },
};
