import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type PluginContext, type Static } from '../../sdk/index.js';

const Quota = (d: number) => Type.Integer({ default: d, minimum: 1, maximum: 100_000_000 });
/** A plan limit the kernel enforces; 0 means unlimited. */
const Limit = (max: number) =>
  Type.Integer({
    default: 0,
    minimum: 0,
    maximum: max,
    'x-error': `must be a whole number from 0 (unlimited) to ${max}`,
  });
const planLimits = (plan: Plan) => ({
  [`${plan}_inodes`]: Limit(1_000_000_000),
  [`${plan}_cpu_percent`]: Limit(100_000),
  [`${plan}_memory_mb`]: Limit(100_000_000),
  [`${plan}_max_processes`]: Limit(4_000_000),
});

/** `[plugins.accounts]`: plan quotas, shell, web group, disk-usage schedule (and top-level `home_base`, `max_accounts_free`). */
export const AccountsConfig = Type.Object({
  /** Where homes are made (empty: `/home` in linux mode, `<data_dir>/home` in local mode). */
  home_base: Type.String({ default: '' }),
  /** Accounts a panel without a paid licence may hold. */
  max_accounts_free: Type.Integer({ default: 5, minimum: 0 }),
  free_disk_quota_mb: Quota(500),
  free_bandwidth_quota_mb: Quota(10_000),
  pro_disk_quota_mb: Quota(5_000),
  pro_bandwidth_quota_mb: Quota(100_000),
  business_disk_quota_mb: Quota(20_000),
  business_bandwidth_quota_mb: Quota(500_000),
  ...planLimits('free'),
  ...planLimits('pro'),
  ...planLimits('business'),
  shell: Type.String({ default: '/bin/bash', pattern: '^(/[a-z0-9_.-]+)+$', 'x-error': 'must be an absolute path' }),
  /** Group the web server runs as: it may enter homes and read public_html, other tenants may not. */
  web_group: Type.String({ default: '', pattern: '^([a-z_][a-z0-9_-]{0,31})?$', 'x-error': 'must be a group name' }),
  /**
   * The admin plan whose limits bound every plan a reseller makes: no field above it, none
   * unlimited where it is limited, PHP modes among its own.
   */
  reseller_plan_ceiling: Type.String({
    default: 'business',
    pattern: '^[a-z][a-z0-9_-]{1,15}$',
    'x-error': 'must be a plan name',
  }),
  /** How often processes running as an account are moved into its cgroup (see limits.ts). */
  limits_sweep_every: Type.String({
    default: 'every 5s',
    pattern: '^every [0-9]{1,6}(s|m|h)$',
    'x-error': "must be 'every <n>s|m|h'",
  }),
  disk_usage_every: Type.String({
    default: 'every 15m',
    pattern: '^every [0-9]{1,6}(s|m|h)$',
    'x-error': "must be 'every <n>s|m|h'",
  }),
  /**
   * How long another API node sharing the store keeps honouring this node's backup, restore or
   * delete claim after it stopped renewing it (died); renewed every third of this.
   */
  operation_claim_ttl_ms: Type.Integer({ default: 30_000, minimum: 1000, maximum: 3_600_000 }),
  /** Test mode only: make account creation fail after this step, or (`password-login`) a password change at its login step. */
  fail_at: Type.String({
    default: '',
    pattern: '^(|reserve|user|dirs|limits|password|row|vhost|login|activate|password-login)$',
  }),
  /** Test mode only: make account deletion fail after this step (failure-injection tests). */
  fail_delete_at: Type.String({
    default: '',
    pattern: '^(|mark|login-off|lock|vhosts|hooks|domains|login|user|home)$',
  }),
});
export type AccountsConfig = Static<typeof AccountsConfig> & Record<string, unknown>;

/** The three default plans, seeded from these settings (see plan-store.ts); other plans live in the plans table. */
export type Plan = 'free' | 'pro' | 'business';
const PLANS: Plan[] = ['free', 'pro', 'business'];

/** What the kernel enforces for a plan (null: unlimited). */
export interface PlanLimits {
  disk_quota_mb: number;
  inodes: number | null;
  cpu_percent: number | null;
  memory_mb: number | null;
  max_processes: number | null;
}

/** Settings the account flows use, resolved once at start. */
export interface AccountSettings {
  mode: 'local' | 'linux';
  homeBase: string;
  shell: string;
  webGroup: string;
  quotas: Record<Plan, { disk_quota_mb: number; bandwidth_quota_mb: number }>;
  limits: Record<Plan, PlanLimits>;
  templatesDir: string;
  failAt: string;
  failDeleteAt: string;
  resellerPlanCeiling: string;
}

// Homes must never land on system directories (an admin-settable path is an attack surface too).
const FORBIDDEN_BASES = [
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib64',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var',
  '/var/lib',
  '/var/log',
  '/var/spool',
  '/tmp',
];

function groupExists(name: string): boolean {
  try {
    return readFileSync('/etc/group', 'utf8')
      .split('\n')
      .some((l) => l.startsWith(`${name}:`));
  } catch {
    return false;
  }
}

/** Resolve and check settings; throws a one-line reason the loader shows when something is unsafe. */
export function accountSettings(ctx: PluginContext<AccountsConfig>): AccountSettings {
  const c = ctx.config;
  const mode = ctx.settings.mode;
  const base = path.resolve(c.home_base || (mode === 'linux' ? '/home' : path.join(ctx.settings.dataDir, 'home')));
  if (!/^(\/[A-Za-z0-9._-]+)+$/.test(base) || FORBIDDEN_BASES.includes(base))
    throw new Error(`home_base '${base}' is not allowed (use a dedicated directory such as /home)`);
  if ((c.fail_at || c.fail_delete_at) && !ctx.settings.testMode)
    throw new Error('plugins.accounts.fail_at and fail_delete_at are only allowed in test mode');
  const webGroup = c.web_group || (groupExists('www-data') ? 'www-data' : 'nogroup');
  if (mode === 'linux' && !groupExists(webGroup)) throw new Error(`web_group '${webGroup}' does not exist`);
  const limit = (plan: Plan, key: string) => Number(c[`${plan}_${key}`]) || null;
  const limits = Object.fromEntries(
    PLANS.map((p) => [
      p,
      {
        disk_quota_mb: c[`${p}_disk_quota_mb`] as number,
        inodes: limit(p, 'inodes'),
        cpu_percent: limit(p, 'cpu_percent'),
        memory_mb: limit(p, 'memory_mb'),
        max_processes: limit(p, 'max_processes'),
      },
    ]),
  ) as Record<Plan, PlanLimits>;
  return {
    mode,
    homeBase: base,
    limits,
    shell: c.shell,
    webGroup,
    templatesDir: ctx.settings.templatesDir,
    failAt: c.fail_at,
    failDeleteAt: c.fail_delete_at,
    resellerPlanCeiling: c.reseller_plan_ceiling,
    quotas: {
      free: { disk_quota_mb: c.free_disk_quota_mb, bandwidth_quota_mb: c.free_bandwidth_quota_mb },
      pro: { disk_quota_mb: c.pro_disk_quota_mb, bandwidth_quota_mb: c.pro_bandwidth_quota_mb },
      business: { disk_quota_mb: c.business_disk_quota_mb, bandwidth_quota_mb: c.business_bandwidth_quota_mb },
    },
  };
}
