import type { LicenceLimits, LicenceLimitTerms, LicenceTerms, LicenceView, Tier } from '../../sdk/licence.js';
import { TIER_ORDER, tierAtLeast } from '../../sdk/licence.js';

/**
 * The tier table: which tier grants which feature and what each limit is on each tier. The kernel
 * names none of them; plugins' manifests (and kernel modules) declare their own, so a limit or a
 * feature exists exactly while the plugin that enforces it is installed.
 */
export class TierTable {
  private readonly features = new Map<string, Tier>();
  private readonly limits = new Map<string, LicenceLimitTerms & { owner: string }>();
  private readonly community = new Map<string, number | null>();
  /** Bumped on every change, so a cached licence view knows it must be rebuilt. */
  version = 0;

  /** Add what `owner` declares; returns a problem per limit another owner already declared (the first keeps it). */
  declare(owner: string, terms: LicenceTerms | undefined): string[] {
    const problems: string[] = [];
    for (const [feature, tier] of Object.entries(terms?.features ?? {})) {
      // Declared by two plugins: granted from the lower of their tiers.
      const known = this.features.get(feature);
      if (!known || tierAtLeast(known, tier)) this.features.set(feature, tier);
    }
    for (const [name, limit] of Object.entries(terms?.limits ?? {})) {
      const held = this.limits.get(name);
      if (held && held.owner !== owner)
        problems.push(`licence limit '${name}' of '${owner}' is already declared by '${held.owner}' (ignored)`);
      else this.limits.set(name, { ...limit, owner });
    }
    this.version++;
    return problems;
  }

  /** Take the Community limits `owner` reads from its config (`communitySetting`), once its config is validated. */
  configure(owner: string, config: Record<string, unknown>): void {
    for (const [name, limit] of this.limits) {
      if (limit.owner !== owner || !limit.communitySetting) continue;
      const value = config[limit.communitySetting];
      if (typeof value === 'number' || value === null) this.community.set(name, value);
    }
    this.version++;
  }

  /** The limits on `tier`, the licence's own figures (for declared limits) overriding the table. */
  limitsOn(tier: Tier, own: LicenceLimits = {}): LicenceLimits {
    const out: LicenceLimits = {};
    for (const [name, limit] of this.limits) {
      const base = tier === 'community' && this.community.has(name) ? this.community.get(name)! : limit.tiers[tier];
      out[name] = own[name] !== undefined ? own[name]! : base;
    }
    return out;
  }

  /** Each declared limit with the `usage-counters` entry that counts what it caps. */
  counters(): [limit: string, counter: string][] {
    return [...this.limits].map(([name, limit]) => [name, limit.counter ?? name.replace(/^max_/, '')]);
  }

  /** Features `tier` grants by default, in declaration order; Business adds `*` (every feature). */
  featuresOn(tier: Tier): string[] {
    const granted = [...this.features].filter(([, need]) => tierAtLeast(tier, need)).map(([feature]) => feature);
    return tier === TIER_ORDER.at(-1) ? [...granted, '*'] : granted;
  }
}

/** Everything a licence view is built from. */
export interface LicenceFacts {
  tier: Tier;
  state: LicenceView['state'];
  /** Figures the licence itself names (override the tier's). */
  ownLimits?: LicenceLimits;
  /** Features beyond the tier's defaults. */
  extraFeatures?: string[];
  customer?: string | null;
  expiresAt?: string | null;
}

/** Build the view plugins see: the tier's limits and features plus the licence's own, `has()` honouring `*`. */
export function licenceView(table: TierTable, f: LicenceFacts): LicenceView {
  const features = [...new Set([...table.featuresOn(f.tier), ...(f.extraFeatures ?? [])])];
  const all = features.includes('*');
  const set = new Set(features);
  return {
    tier: f.tier,
    state: f.state,
    limits: table.limitsOn(f.tier, f.ownLimits),
    features,
    customer: f.customer ?? null,
    expires_at: f.expiresAt ?? null,
    has: (feature) => all || set.has(feature),
  };
}
