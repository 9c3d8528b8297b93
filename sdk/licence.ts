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

/** Numeric limits of a licence; `null` means unlimited. */
export interface LicenceLimits {
  max_accounts: number | null;
  max_domains: number | null;
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
