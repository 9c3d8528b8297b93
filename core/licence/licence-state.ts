import type { LicenceView } from '../../sdk/licence.js';
import { licenceView, type TierTable } from './tiers.js';
import type { LicenceCheck } from './verify.js';

/** Days a licence keeps working after its expiry when it does not say otherwise. */
export const DEFAULT_GRACE_DAYS = 14;
const DAY_MS = 86_400_000;

/** The licence in force and what the API reports about it. */
export interface LicenceStatus {
  view: LicenceView;
  /** Why the panel does not run as the licence says (invalid, not yet valid, grace, expired). */
  message: string | null;
  notBefore: string | null;
  expiresAt: string | null;
  graceUntil: string | null;
  /** Epoch ms at which the state changes by time alone (Infinity: never). */
  nextChange: number;
  test: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Decide the licence in force at `now`: a valid licence gives its tier; after expiry its grace
 * period keeps the tier; anything else (no file, invalid, not yet valid, past grace) is Community
 * with the configured free limits. Limits and features are those `table` holds now.
 */
export function evaluateLicence(check: LicenceCheck | null, now: number, table: TierTable): LicenceStatus {
  const community = (
    state: LicenceView['state'],
    message: string | null,
    extra: Partial<LicenceStatus> = {},
  ): LicenceStatus => ({
    view: licenceView(table, { tier: 'community', state }),
    message,
    notBefore: null,
    expiresAt: null,
    graceUntil: null,
    nextChange: Infinity,
    test: false,
    ...extra,
  });
  if (!check) return community('none', null);
  if (!check.ok) return community('invalid', check.reason);
  const c = check.claims;
  const nbf = c.nbf * 1000;
  const exp = c.exp * 1000;
  const graceEnd = exp + (c.grace_days ?? DEFAULT_GRACE_DAYS) * DAY_MS;
  const dates = { notBefore: iso(nbf), expiresAt: iso(exp), graceUntil: iso(graceEnd), test: check.test };
  if (now < nbf) return community('invalid', `licence is not valid before ${iso(nbf)}`, { ...dates, nextChange: nbf });
  if (now >= graceEnd)
    return community(
      'expired',
      `licence expired on ${iso(exp)} and its grace period ended on ${iso(graceEnd)}; running as Community`,
      dates,
    );
  const inGrace = now >= exp;
  return {
    view: licenceView(table, {
      tier: c.tier,
      state: inGrace ? 'grace' : 'valid',
      ownLimits: c.limits,
      extraFeatures: c.features,
      customer: c.customer,
      expiresAt: iso(exp),
    }),
    message: inGrace ? `licence expired on ${iso(exp)}; grace period until ${iso(graceEnd)}` : null,
    ...dates,
    nextChange: inGrace ? graceEnd : exp,
  };
}
