import type { ApiRequest, RouteAccess } from '../../../sdk/routes.js';
import type { ServiceRegistry } from '../../../sdk/services.js';
import { errors } from '../../../sdk/errors.js';
import { accountDirectory, type AccountInfo } from '../../../sdk/points/accounts.js';

/** The account id a request names: in the query for GET and uploads, in the JSON body otherwise. */
function accountIdOf(req: ApiRequest): number {
  const id = req.body?.account_id ?? req.query?.account_id;
  if (!Number.isSafeInteger(id) || id < 1) throw errors.validation('account_id: must be a positive integer');
  return id as number;
}

/** Access for every file route: admin; a reseller for its accounts; a user for its own account. */
export function accountAccess(services: ServiceRegistry, scope: 'files:read' | 'files:write'): RouteAccess {
  return { scope, owner: (req) => services.get(accountDirectory).owner(accountIdOf(req)) };
}

/** The account a request works on (its ownership was checked by the kernel before the handler). */
export async function accountOf(services: ServiceRegistry, req: ApiRequest): Promise<AccountInfo> {
  const account = await services.get(accountDirectory).get(accountIdOf(req));
  if (!account) throw errors.notFound('Account not found');
  if (account.status !== 'active' && req.principal?.role === 'user')
    throw errors.forbidden('This account is suspended');
  return account;
}
