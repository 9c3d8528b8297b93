/** Licence tiers, lowest first. */
export type Tier = 'community' | 'pro' | 'business';

/** Order of tiers, used to compare a requirement with the installed licence. */
export const TIER_ORDER: readonly Tier[] = ['community', 'pro', 'business'];

/** True when `have` is at least `need`. */
export function tierAtLeast(have: Tier, need: Tier): boolean {
  return TIER_ORDER.indexOf(have) >= TIER_ORDER.indexOf(need);
}

/** Human label for a tier requirement, in the contract's style ("a Pro or Business license"). */
export function tierRequirementLabel(need: Tier): string {
  const names = TIER_ORDER.slice(TIER_ORDER.indexOf(need)).map((t) => t[0]!.toUpperCase() + t.slice(1));
  return names.length > 1 ? `a ${names.slice(0, -1).join(', ')} or ${names.at(-1)} license` : `a ${names[0]} license`;
}

/**
 * Numeric limits of a licence, by name; `null` means unlimited. Each is declared by the plugin
 * that enforces it (see {@link LicenceTerms}), named `max_<what>` and reported beside the usage
 * of the `usage-counters` entry it names, e.g. `limits.max_widgets` beside `usage.widgets`.
 */
export type LicenceLimits = Record<string, number | null>;

/** A usage limit a plugin enforces, declared in its manifest's `licence.limits`. */
export interface LicenceLimitTerms {
  /** The limit on each tier (`null` = unlimited), unless the licence names its own figure. */
  tiers: Record<Tier, number | null>;
  /**
   * A key of the plugin's own config holding the Community limit instead of `tiers.community`
   * (e.g. a `max_widgets_free` the operator may set, also at the top level of the TOML).
   */
  communitySetting?: string;
  /** The `usage-counters` entry counting what the limit caps (default: the name without `max_`). */
  counter?: string;
}

/**
 * What a plugin (or kernel module) declares about the licence: the kernel's tier table is made of
 * these declarations, so it names no feature or limit of its own.
 *
 * @example
 * ```ts
 * manifest: {
 *   id: 'widgets', version: '1.0.0', sdk: '^1.0.0',
 *   licence: {
 *     features: { 'widgets.remote': 'pro' },
 *     limits: { max_widgets: { tiers: { community: 5, pro: 50, business: null }, communitySetting: 'max_widgets_free' } },
 *   },
 * }
 * ```
 */
export interface LicenceTerms {
  /** Features the plugin checks, each with the lowest tier that grants it (Business grants every feature). */
  features?: Record<string, Tier>;
  /** Limits the plugin enforces, named `max_<what>`, each naming the `usage-counters` entry counting the resource. */
  limits?: Record<string, LicenceLimitTerms>;
}

/** What plugins may know of the installed licence. */
export interface LicenceView {
  tier: Tier;
  /** valid | grace | expired | invalid | none */
  state: 'valid' | 'grace' | 'expired' | 'invalid' | 'none';
  limits: LicenceLimits;
  features: string[];
  customer: string | null;
  expires_at: string | null;
  /** Whether the licence grants a feature (tier defaults plus explicit features). */
  has(feature: string): boolean;
}
