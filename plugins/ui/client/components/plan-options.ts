// The plans a caller may put an account on, for plan pickers (account create, plan change): read
// from GET /api/plans (the admin's plans and a reseller's own), or the three default plans on a
// panel without that route.
import { api } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';

/** Limits of a plan where null is unlimited. */
type LimitKey = 'inodes' | 'max_domains' | 'max_databases' | 'cpu_percent' | 'memory_mb' | 'max_processes';

/** A plan as `GET /api/plans` lists it (`accounts`: those on it the caller may see). */
export type Plan = Record<LimitKey, number | null> & {
  id: number;
  name: string;
  reseller_id: number | null;
  disk_quota_mb: number;
  bandwidth_quota_mb: number;
  php_modes: string[] | null;
  accounts: number;
  created_at: string;
  updated_at: string;
};

const DEFAULTS = ['free', 'pro', 'business'];

/** Options for a plan `<select>`: each plan's name with its disk quota; `resellerId` narrows to what an account of that reseller may use. */
export async function planOptions(resellerId?: number | null): Promise<{ value: string; label: string }[]> {
  if (!hasRoute('GET', '/api/plans')) return DEFAULTS.map((p) => ({ value: p, label: p }));
  const plans = await api<Plan[]>('GET', '/api/plans');
  return plans
    .filter((p) => resellerId === undefined || p.reseller_id === null || p.reseller_id === resellerId)
    .map((p) => ({ value: p.name, label: `${p.name} (${p.disk_quota_mb} MB disk)` }));
}
