import { errors, type ApiRequest, type RouteDefinition } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { IdParams } from './validate.js';

/**
 * `POST /api/accounts/:id/impersonate` ("open as this account"): an admin, or the reseller owning
 * the account (the route's owner check), gets a one-hour session of the account's own login that
 * names who opened it (see `UserDirectory.openSessionAs`). Audited as "alice opened bob's panel":
 * the opener on `account:<username>`. The session cannot change the login's password, two-factor
 * login or API tokens (those routes are marked `credentials`).
 */
export function impersonateRoute(d: AccountDeps, access: RouteDefinition['access']): RouteDefinition {
  return {
    method: 'POST',
    path: '/api/accounts/:id/impersonate',
    summary:
      "Open the account's panel as its login (admin, or its reseller): a one-hour session that shows who opened it",
    schema: { params: IdParams },
    access,
    handler: async (req: ApiRequest<{ id: number }>) => {
      req.auditTarget = `account:${req.params.id}`;
      if (req.principal?.scopes !== null)
        throw errors.forbidden("An API token cannot open an account's panel; do it from a login session");
      const row = await d.store.row(req.params.id);
      if (!row) throw errors.notFound(`Account ${req.params.id} not found`);
      req.auditTarget = `account:${row.username}`;
      if (row.status !== 'active')
        throw errors.conflict(`Account '${row.username}' is ${row.status}; only an active account can be opened`);
      const open = d.ctx.users.openSessionAs?.bind(d.ctx.users);
      if (row.user_id === null || !open) throw errors.conflict(`Account '${row.username}' has no panel login to open`);
      return open(req, row.user_id);
    },
  };
}
