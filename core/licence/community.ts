import type { LicenceView } from '../../sdk/licence.js';
import { licenceView, type TierTable } from './tiers.js';

/** The licence a panel without (a valid) licence file runs under. */
export function communityLicence(table: TierTable, state: LicenceView['state'] = 'none'): LicenceView {
  return licenceView(table, { tier: 'community', state });
}
