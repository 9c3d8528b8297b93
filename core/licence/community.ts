import type { LicenceView, Tier } from '../../sdk/licence.js';

/** Features each tier grants by default. */
export const TIER_FEATURES: Record<Tier, string[]> = {
  community: ['backups.local', 'php.cgi', 'php.fpm'],
  pro: ['backups.local', 'backups.remote', 'php.cgi', 'php.fpm', 'php.lsapi'],
  business: ['backups.local', 'backups.remote', 'php.cgi', 'php.fpm', 'php.lsapi', 'resellers.plugins', '*'],
};

/** The licence a panel without (a valid) licence file runs under. */
export function communityLicence(maxAccounts: number, maxDomains: number, state: LicenceView['state'] = 'none'): LicenceView {
  const features = TIER_FEATURES.community;
  return {
    tier: 'community',
    state,
    limits: { max_accounts: maxAccounts, max_domains: maxDomains },
    features,
    customer: null,
    expires_at: null,
    has: (f) => features.includes(f),
  };
}
