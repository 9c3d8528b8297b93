import { errors, Type, type PluginContext, type Static } from '../../sdk/index.js';
import { LIMIT_FIELDS, type LimitField, type PlanRow, type PlanStore } from './plan-store.js';
import { PlanName } from './validate.js';

const Quota = Type.Integer({
  minimum: 1,
  maximum: 100_000_000,
  'x-error': 'must be a whole number from 1 to 100000000',
});
/** A limit where null is unlimited. */
const Limit = (min: number, max: number) =>
  Type.Union([Type.Integer({ minimum: min, maximum: max }), Type.Null()], {
    'x-error': `must be a whole number from ${min} to ${max}, or null (unlimited)`,
  });
const PhpModes = Type.Union(
  [
    Type.Array(
      Type.Union([Type.Literal('cgi'), Type.Literal('fpm'), Type.Literal('lsapi')], {
        'x-error': 'must be cgi, fpm or lsapi',
      }),
      { minItems: 1, maxItems: 3, uniqueItems: true },
    ),
    Type.Null(),
  ],
  { 'x-error': 'must be a list of cgi, fpm and lsapi (each once), or null (every mode)' },
);

/** Every limit but the quotas; one left out of a new plan is unlimited. */
const optionalLimits = {
  inodes: Type.Optional(Limit(1, 1_000_000_000)),
  // The primary domain is one: a plan allows at least that.
  max_domains: Type.Optional(Limit(1, 1_000_000)),
  max_databases: Type.Optional(Limit(0, 1_000_000)),
  cpu_percent: Type.Optional(Limit(1, 100_000)),
  memory_mb: Type.Optional(Limit(1, 100_000_000)),
  max_processes: Type.Optional(Limit(1, 4_000_000)),
  php_modes: Type.Optional(PhpModes),
};

/** `POST /api/plans`: name and quotas are required; a limit left out is unlimited. */
export const CreatePlanBody = Type.Object(
  {
    name: PlanName,
    disk_quota_mb: Quota,
    bandwidth_quota_mb: Quota,
    ...optionalLimits,
  },
  { additionalProperties: false },
);
export type CreatePlanBody = Static<typeof CreatePlanBody>;

/** `PATCH /api/plans/:id`: any of the limits (the name stays: accounts and settings refer to it). */
export const PatchPlanBody = Type.Object(
  {
    disk_quota_mb: Type.Optional(Quota),
    bandwidth_quota_mb: Type.Optional(Quota),
    ...optionalLimits,
  },
  { additionalProperties: false, minProperties: 1, 'x-error': 'must change at least one field' },
);
export type PatchPlanBody = Static<typeof PatchPlanBody>;

/** The stored form of a body's fields (`php_modes` as a comma list). */
export function planFields(body: PatchPlanBody): Partial<PlanRow> {
  const out: Partial<PlanRow> = {};
  for (const f of LIMIT_FIELDS) if (body[f] !== undefined) (out as Record<string, unknown>)[f] = body[f];
  if (body.php_modes !== undefined)
    out.php_modes = body.php_modes === null ? null : [...body.php_modes].sort().join(',');
  return out;
}

const shown = (v: number | null) => (v === null ? 'unlimited' : String(v));

/**
 * A reseller's plan stays within what the admin allows: no field above the ceiling plan
 * (`reseller_plan_ceiling`, default `business`), none unlimited where the ceiling is limited, PHP
 * modes among the ceiling's, and `max_domains` within the reseller's own domain cap. 403 naming the
 * first field over.
 */
export async function checkCeiling(
  ctx: PluginContext,
  plans: PlanStore,
  ceilingName: string,
  resellerId: number,
  plan: PlanRow,
): Promise<void> {
  const ceiling = await plans.byName(ceilingName);
  if (!ceiling || ceiling.reseller_id !== null)
    throw errors.forbidden(
      `Resellers cannot make plans: the ceiling plan '${ceilingName}' (reseller_plan_ceiling) does not exist`,
    );
  const bound: Partial<Record<LimitField, { max: number; why: string }>> = {};
  for (const f of LIMIT_FIELDS)
    if (ceiling[f] !== null) bound[f] = { max: ceiling[f]!, why: `the ${ceiling.name} plan's` };
  const cap = (await ctx.users.resellerCaps(resellerId))?.max_domains ?? null;
  if (cap !== null && (bound.max_domains === undefined || cap < bound.max_domains.max))
    bound.max_domains = { max: cap, why: 'your domain cap' };
  for (const f of LIMIT_FIELDS) {
    const b = bound[f];
    if (b && (plan[f] === null || plan[f]! > b.max))
      throw errors.forbidden(`${f}: ${shown(plan[f])} exceeds what resellers may offer (${b.max}, ${b.why})`);
  }
  if (ceiling.php_modes !== null) {
    const allowed = ceiling.php_modes.split(',');
    const extra =
      plan.php_modes === null
        ? 'every mode'
        : plan.php_modes
            .split(',')
            .filter((m) => !allowed.includes(m))
            .join(', ');
    if (extra)
      throw errors.forbidden(
        `php_modes: ${extra} exceeds what resellers may offer (${allowed.join(', ')}, the ${ceiling.name} plan's)`,
      );
  }
}
