import type { LicenceView } from '../../sdk/licence.js';
import { licenceView } from './tiers.js';

export { TIER_FEATURES } from './tiers.js';

/** The licence a panel without (a valid) licence file runs under. */
export function communityLicence(maxAccounts: number, maxDomains: number, state: LicenceView['state'] = 'none'): LicenceView {
  return licenceView({ tier: 'community', state, limits: { max_accounts: maxAccounts, max_domains: maxDomains } });
}
