import type { JobRecord } from '../../sdk/jobs.js';
import type { ApiClient } from '../api-client.js';
import { YES_OPTION, type CommandSpec, type OptionSpec } from '../command.js';
import { CliError, Exit, usageError } from '../exit-codes.js';
import { table } from '../output.js';
import { followJob, jobExit, progressMode } from '../progress.js';
import { confirm } from '../prompt.js';
import { accountId } from './accounts.js';

/** A plan as `/api/plans` returns it. */
interface Plan {
  id: number;
  name: string;
  reseller_id: number | null;
  disk_quota_mb: number;
  bandwidth_quota_mb: number;
  php_modes: string[] | null;
  accounts: number;
  [limit: string]: unknown;
}

/** Option → API field; a value of `unlimited` sends null. */
const LIMIT_OPTIONS: [option: string, field: string, help: string][] = [
  ['disk', 'disk_quota_mb', 'disk quota in MB'],
  ['bandwidth', 'bandwidth_quota_mb', 'monthly bandwidth in MB'],
  ['inodes', 'inodes', 'most files (inodes)'],
  ['max-domains', 'max_domains', 'most domains, the primary included'],
  ['max-databases', 'max_databases', 'most databases'],
  ['cpu', 'cpu_percent', 'CPU percent (100 = one core)'],
  ['memory', 'memory_mb', 'memory in MB'],
  ['processes', 'max_processes', 'most processes'],
];
const OPTIONS: OptionSpec[] = [
  ...LIMIT_OPTIONS.map(([name, , help]) => ({
    name,
    value: 'N',
    help: `${help}; 'unlimited' for none${name === 'disk' || name === 'bandwidth' ? '' : ' (the default of a new plan)'}`,
  })),
  { name: 'php-modes', value: 'LIST', help: "PHP modes allowed, e.g. 'fpm,cgi'; 'all' for every mode" },
];
const shown = (v: unknown) => (v === null || v === undefined ? 'unlimited' : String(v));
const planArg = { name: 'plan', help: 'plan name or id' };

/** The request body from the options given: digits are numbers, anything else goes as written for the API to refuse by name. */
function limitsBody(options: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [option, field] of LIMIT_OPTIONS) {
    const v = options[option];
    if (typeof v === 'string') body[field] = v === 'unlimited' ? null : /^\d{1,12}$/.test(v) ? Number(v) : v;
  }
  const modes = options['php-modes'];
  if (typeof modes === 'string')
    body.php_modes =
      modes === 'all'
        ? null
        : modes
            .split(',')
            .map((m) => m.trim())
            .filter(Boolean);
  return body;
}

async function planId(api: ApiClient, ref: string): Promise<number> {
  if (/^\d{1,10}$/.test(ref)) return Number(ref);
  const found =
    ref.length <= 64
      ? (await api.request<Plan[]>('GET', `/api/plans?q=${encodeURIComponent(ref)}`)).find((p) => p.name === ref)
      : undefined;
  if (!found) throw new CliError(`no plan named '${ref}' that you can see`, Exit.NOT_FOUND, 'NOT_FOUND');
  return found.id;
}

export const plansListCommand: CommandSpec = {
  path: ['plans', 'list'],
  summary: "List the plans you can see (admin: all; reseller: the admin's and your own)",
  async run(ctx) {
    const rows = await ctx.api().request<Plan[]>('GET', '/api/plans');
    ctx.out.result(rows, () =>
      table(rows, [
        { header: 'ID', cell: (p) => p.id, right: true },
        { header: 'NAME', cell: (p) => p.name },
        { header: 'DISK', cell: (p) => `${p.disk_quota_mb} MB`, right: true },
        { header: 'DOMAINS', cell: (p) => shown(p.max_domains), right: true },
        { header: 'DATABASES', cell: (p) => shown(p.max_databases), right: true },
        { header: 'CPU%', cell: (p) => shown(p.cpu_percent), right: true },
        { header: 'MEMORY', cell: (p) => shown(p.memory_mb), right: true },
        { header: 'PHP', cell: (p) => (p.php_modes ? p.php_modes.join(',') : 'all') },
        { header: 'ACCOUNTS', cell: (p) => p.accounts, right: true },
      ]),
    );
    return Exit.OK;
  },
};

export const plansCreateCommand: CommandSpec = {
  path: ['plans', 'create'],
  summary: 'Create a plan (--disk and --bandwidth are required)',
  args: [{ name: 'name', help: '2–16 lowercase letters, digits, _ or -' }],
  options: OPTIONS,
  details:
    '  velopanel plans create gold --disk 2000 --bandwidth 50000 --max-domains 5 --max-databases 5 --php-modes fpm',
  async run(ctx) {
    const body = { name: ctx.args.name, ...limitsBody(ctx.options) };
    const p = await ctx.api().request<Plan>('POST', '/api/plans', { body });
    ctx.out.result(p, () => `Created plan ${p.id} '${p.name}'.`);
    return Exit.OK;
  },
};

export const plansSetCommand: CommandSpec = {
  path: ['plans', 'set'],
  summary: "Change a plan's limits; its accounts get them through a job this follows (exit 7 when it fails)",
  args: [planArg],
  options: [...OPTIONS, { name: 'no-wait', help: 'print the job id and return at once' }],
  details: '  velopanel plans set gold --memory 512 --processes unlimited',
  async run(ctx) {
    const body = limitsBody(ctx.options);
    if (!Object.keys(body).length) throw usageError('give at least one limit to change', 'plans set');
    const api = ctx.api();
    const p = await api.request<Plan & { job_id: string }>('PATCH', `/api/plans/${await planId(api, ctx.args.plan!)}`, {
      body,
    });
    if (ctx.options['no-wait']) {
      ctx.out.result(
        p,
        () => `Plan '${p.name}' changed; job ${p.job_id} sets the limits on its ${p.accounts} accounts.`,
      );
      return Exit.OK;
    }
    const job: JobRecord = await followJob(api, p.job_id, ctx.out, progressMode(ctx.out, undefined), `plan ${p.name}`);
    ctx.out.result({ ...p, job }, () =>
      job.state === 'succeeded'
        ? `Plan '${p.name}' changed and its limits set on its accounts.`
        : `Plan '${p.name}' changed, but setting its limits ${job.state}: ${job.error}`,
    );
    return jobExit(job);
  },
};

export const plansDeleteCommand: CommandSpec = {
  path: ['plans', 'delete'],
  summary: 'Delete a plan no account is on',
  args: [planArg],
  options: [YES_OPTION],
  async run(ctx) {
    const api = ctx.api();
    const id = await planId(api, ctx.args.plan!);
    await confirm(ctx.options.yes, `delete plan ${ctx.args.plan}`);
    const done = await api.request<{ id: number; name: string }>('DELETE', `/api/plans/${id}`);
    ctx.out.result(done, () => `Deleted plan ${done.id} '${done.name}'.`);
    return Exit.OK;
  },
};

export const accountsPlanCommand: CommandSpec = {
  path: ['accounts', 'plan'],
  summary: 'Move an account to another plan (its quotas and limits follow at once)',
  args: [
    { name: 'account', help: 'account id or username' },
    { name: 'plan', help: 'plan name' },
  ],
  async run(ctx) {
    const api = ctx.api();
    const id = await accountId(api, ctx.args.account!);
    const a = await api.request<{ id: number; username: string; plan: string; disk_quota_mb: number }>(
      'POST',
      `/api/accounts/${id}/plan`,
      { body: { plan: ctx.args.plan } },
    );
    ctx.out.result(a, () => `Account ${a.id} '${a.username}' is on plan ${a.plan} (${a.disk_quota_mb} MB disk).`);
    return Exit.OK;
  },
};
