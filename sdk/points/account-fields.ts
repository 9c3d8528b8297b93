import { createExtensionPoint } from '../extension-points.js';
import { createServiceRef } from '../services.js';
import type { AccountInfo } from './accounts.js';

/**
 * Extra fields a plugin adds to accounts as `GET /api/accounts` and `GET /api/accounts/:id`
 * answer them (additive: the contract's fields stay as they are and win on a clash), e.g. the
 * `bandwidth_used_mb` of the plugin that measures bandwidth.
 *
 * @example
 * ```ts
 * ctx.extensions.provide(accountFields, 'bandwidth', {
 *   fields: async (ids) => new Map(ids.map((id) => [id, { bandwidth_used_mb: usedMb(id) }])),
 * });
 * ```
 */
export interface AccountFieldSource {
  /** Fields per account id for a page of accounts (one call per page, not per account). */
  fields(accountIds: number[]): Promise<Map<number, Record<string, unknown>>>;
}

/** Extension point: extra account fields, consumed by the `accounts` plugin. */
export const accountFields = createExtensionPoint<AccountFieldSource>({ id: 'account-fields', owner: 'accounts' });

/**
 * Suspends and re-activates accounts for other plugins through exactly the path of
 * `POST /api/accounts/:id/suspend` and `…/unsuspend` (vhosts, system user, login, hooks), with a
 * reason: it goes to the audit log and to the `account.suspended` / `account.unsuspended` payload,
 * so a plugin can tell its own suspensions from an admin's. Provided by the `accounts` plugin.
 *
 * @example
 * ```ts
 * await ctx.services.get(accountSuspension).set(7, true, 'bandwidth quota exceeded in 2026-12');
 * ```
 */
export interface AccountSuspension {
  /** Suspend (`true`) or re-activate; repeating the current state changes nothing. 404/409 as the routes. */
  set(accountId: number, suspended: boolean, reason: string): Promise<AccountInfo>;
}

/** Service reference of {@link AccountSuspension}. */
export const accountSuspension = createServiceRef<AccountSuspension>('accounts.suspension');
