import type { ApiClient } from '../api-client.js';
import { YES_OPTION, type CommandSpec } from '../command.js';
import { CliError, Exit, usageError } from '../exit-codes.js';
import { cellText, table, type Column } from '../output.js';
import { ask, confirm, endedAccess, readPassword, readStdinLines, warnEndsAccess } from '../prompt.js';

/** An account as `/api/accounts` returns it (the fields the CLI shows). */
interface Account {
  id: number;
  username: string;
  primary_domain: string;
  email: string;
  plan: string;
  status: string;
  disk_used_mb: number;
  disk_quota_mb: number;
  bandwidth_quota_mb: number;
  /** This month's bandwidth; null or absent when the panel does not measure it (no bandwidth plugin, or an engine without access logs). */
  bandwidth_used_mb?: number | null;
  created_at: string;
}

const COLUMNS: Column<Account>[] = [
  { header: 'ID', cell: (a) => a.id, right: true },
  { header: 'USERNAME', cell: (a) => a.username },
  { header: 'DOMAIN', cell: (a) => a.primary_domain },
  { header: 'PLAN', cell: (a) => a.plan },
  { header: 'STATUS', cell: (a) => a.status },
  { header: 'DISK', cell: (a) => `${a.disk_used_mb}/${a.disk_quota_mb} MB`, right: true },
  // '-' when not measured: a 0 would claim a month without traffic.
  { header: 'BANDWIDTH', cell: (a) => `${a.bandwidth_used_mb ?? '-'}/${a.bandwidth_quota_mb} MB`, right: true },
  { header: 'CREATED', cell: (a) => a.created_at },
];

const accountArg = { name: 'account', help: 'account id or username' };

/** An account id from `<account>`: digits are an id, anything else a username looked up in the list. */
export async function accountId(api: ApiClient, ref: string): Promise<number> {
  if (/^\d{1,10}$/.test(ref)) return Number(ref);
  // Searched on the server (`q`), so a panel of 10,000 accounts answers a handful of rows, not all.
  const searchable = ref.length <= 200 && !/[\x00-\x1f\x7f]/.test(ref);
  const found = searchable
    ? (await api.request<Account[]>('GET', `/api/accounts?q=${encodeURIComponent(ref)}`)).find(
        (a) => a.username === ref,
      )
    : undefined;
  if (!found) throw new CliError(`no account named '${ref}' that you can see`, Exit.NOT_FOUND, 'NOT_FOUND');
  return found.id;
}

export const accountsListCommand: CommandSpec = {
  path: ['accounts', 'list'],
  summary: 'List the accounts you can see',
  async run(ctx) {
    const rows = await ctx.api().request<Account[]>('GET', '/api/accounts');
    ctx.out.result(rows, () => table(rows, COLUMNS));
    // 'deleting' is a delete that failed past its point of no return: only a repeated delete moves it on.
    if (!ctx.out.json) {
      for (const a of rows.filter((r) => r.status === 'deleting'))
        ctx.out.note(
          `Account ${a.id} '${cellText(a.username)}' is deleting: its delete failed part-way; finish it with \`velopanel accounts delete ${a.id} --yes\`.`,
        );
    }
    return Exit.OK;
  },
};

export const accountsCreateCommand: CommandSpec = {
  path: ['accounts', 'create'],
  summary: 'Create a hosting account (system user, home, primary domain, vhost)',
  options: [
    { name: 'username', value: 'NAME', help: '3–16 lowercase letters and digits, starting with a letter' },
    { name: 'domain', value: 'DOMAIN', help: 'primary domain' },
    { name: 'email', value: 'EMAIL', help: 'contact email' },
    { name: 'plan', value: 'PLAN', help: 'free (default), pro, business or another plan (velopanel plans list)' },
    { name: 'password-stdin', help: "read the account's password from the first line of standard input" },
  ],
  details:
    '  echo "$PASSWORD" | velopanel accounts create --username johndoe --domain example.com --email john@example.com --password-stdin',
  async run(ctx) {
    const body: Record<string, string> = {};
    for (const field of ['username', 'domain', 'email'] as const) {
      const v =
        (ctx.options[field] as string | undefined) ??
        (process.stdin.isTTY && !ctx.options['password-stdin'] ? await ask(`${field}: `) : undefined);
      if (!v) throw usageError(`--${field} is required`, 'accounts create');
      body[field] = v;
    }
    body.plan = (ctx.options.plan as string | undefined) ?? 'free';
    body.password = await readPassword({
      fromStdin: !!ctx.options['password-stdin'],
      confirm: true,
      label: 'Account password',
      hint: 'accounts create',
    });
    const a = await ctx.api().request<Account>('POST', '/api/accounts', { body });
    ctx.out.result(a, () => [`Created account ${a.id} '${a.username}' (${a.primary_domain}, plan ${a.plan}).`]);
    return Exit.OK;
  },
};

export const accountsPasswordCommand: CommandSpec = {
  path: ['accounts', 'password'],
  summary: "Set an account's password (panel login and system user); its sessions and API tokens end",
  args: [accountArg],
  options: [
    {
      name: 'password-stdin',
      help: 'read the new password from the first line of standard input (your own account: the current password, then the new one)',
    },
  ],
  details: `Every session of the account's login ends and its API tokens are deleted. An account changing
its own password gives the current one too (asked, or the first of two lines on standard input).
  echo "$PASSWORD" | velopanel accounts password johndoe --password-stdin`,
  async run(ctx) {
    const api = ctx.api();
    const id = await accountId(api, ctx.args.account!);
    const fromStdin = !!ctx.options['password-stdin'];
    const own = (await api.request<{ subject: string | null }>('GET', '/api/auth/me')).subject === `account:${id}`;
    warnEndsAccess(fromStdin, own ? 'your login' : `account '${ctx.args.account}'`);
    let current: string | undefined;
    let password: string;
    if (own && fromStdin)
      [current, password] = (await readStdinLines(2, 'the current password and the new one')) as [string, string];
    else {
      if (own)
        current = await readPassword({
          fromStdin: false,
          confirm: false,
          label: 'Current password',
          hint: 'accounts password',
        });
      password = await readPassword({ fromStdin, confirm: true, label: 'New password', hint: 'accounts password' });
    }
    const body = current === undefined ? { password } : { password, current_password: current };
    const done = await api.request<{ id: number; username: string; api_tokens_revoked: number }>(
      'POST',
      `/api/accounts/${id}/password`,
      { body },
    );
    ctx.out.result(
      done,
      () => `Password of account ${done.id} '${done.username}' changed; ${endedAccess(done.api_tokens_revoked)}.`,
    );
    return Exit.OK;
  },
};

function lifecycle(action: 'suspend' | 'unsuspend'): CommandSpec {
  return {
    path: ['accounts', action],
    summary:
      action === 'suspend'
        ? 'Suspend an account (its sites show the suspended page)'
        : 'Re-activate a suspended account',
    args: [accountArg],
    async run(ctx) {
      const api = ctx.api();
      const id = await accountId(api, ctx.args.account!);
      const a = await api.request<Account>('POST', `/api/accounts/${id}/${action}`);
      ctx.out.result(a, () => `Account ${a.id} '${a.username}' is ${a.status}.`);
      return Exit.OK;
    },
  };
}

export const accountsSuspendCommand = lifecycle('suspend');
export const accountsUnsuspendCommand = lifecycle('unsuspend');

export const accountsDeleteCommand: CommandSpec = {
  path: ['accounts', 'delete'],
  summary: 'Delete an account with its domains, vhosts and system user',
  args: [accountArg],
  options: [YES_OPTION],
  async run(ctx) {
    const api = ctx.api();
    const id = await accountId(api, ctx.args.account!);
    await confirm(ctx.options.yes, `delete account ${ctx.args.account}`);
    const done = await api.request<{ id: number; username: string }>('DELETE', `/api/accounts/${id}`);
    ctx.out.result(done, () => `Deleted account ${done.id} '${done.username}'.`);
    return Exit.OK;
  },
};
