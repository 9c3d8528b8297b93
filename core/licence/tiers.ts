import type { LicenceLimits, LicenceView, Tier } from '../../sdk/licence.js';

/** Features each tier grants by default; `*` grants every feature. */
export const TIER_FEATURES: Record<Tier, string[]> = {
  community: ['backups.local', 'php.cgi', 'php.fpm'],
  pro: ['backups.local', 'backups.remote', 'php.cgi', 'php.fpm', 'php.lsapi'],
  business: ['backups.local', 'backups.remote', 'php.cgi', 'php.fpm', 'php.lsapi', 'resellers.plugins', '*'],
};

/** Limits of the paid tiers (`null` = unlimited). Community's come from the config. */
export const PAID_TIER_LIMITS: Record<Exclude<Tier, 'community'>, LicenceLimits> = {
  pro: { max_accounts: 50, max_domains: null },
  business: { max_accounts: null, max_domains: null },
};

/** Everything a licence view is built from. */
export interface LicenceFacts {
  tier: Tier;
  state: LicenceView['state'];
  limits: LicenceLimits;
  /** Features beyond the tier's defaults. */
  extraFeatures?: string[];
  customer?: string | null;
  expiresAt?: string | null;
}

/** Build the view plugins see: tier defaults plus granted features, `has()` honouring `*`. */
export function licenceView(f: LicenceFacts): LicenceView {
  const features = [...new Set([...TIER_FEATURES[f.tier], ...(f.extraFeatures ?? [])])];
  const all = features.includes('*');
  const set = new Set(features);
  return {
    tier: f.tier,
    state: f.state,
    limits: { ...f.limits },
    features,
    customer: f.customer ?? null,
    expires_at: f.expiresAt ?? null,
    has: (feature) => all || set.has(feature),
  };
}
