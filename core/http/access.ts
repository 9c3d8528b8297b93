import type { OwnedResource, Principal } from '../../sdk/auth.js';
import { tierAtLeast, tierRequirementLabel, type LicenceView } from '../../sdk/licence.js';
import type { ApiRequest, RouteAccess } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import { andThen, type Maybe } from './maybe.js';

/** Scope a session login implicitly holds: every scope. Tokens hold only what they were granted. */
export function hasScope(principal: Principal, scope: string | undefined): boolean {
  if (!scope || principal.scopes === null) return true;
  const [area] = scope.split(':');
  return (
    principal.scopes.includes(scope) ||
    principal.scopes.includes(`${area}:*`) ||
    principal.scopes.includes('*') ||
    (scope.endsWith(':read') && principal.scopes.includes(`${area}:write`))
  );
}

/** Role, scope and licence checks that need no request data (the licence is read only when the route asks). Throws 401/403. */
export function checkStaticAccess(
  access: RouteAccess,
  principal: Principal | null,
  licence: () => LicenceView,
  route: { method: string; path: string },
): void {
  if (access.public) return;
  if (!principal) throw errors.unauthenticated();
  if (access.roles && !access.roles.includes(principal.role))
    throw errors.forbidden(`Your role (${principal.role}) may not do this`);
  if (access.credentials && principal.impersonator)
    throw errors.forbidden(
      `You are viewing as ${principal.username}: passwords, two-factor login and API tokens can be changed only by ${principal.username} itself`,
    );
  if (!hasScope(principal, access.scope)) throw errors.forbidden(`This API token lacks the scope '${access.scope}'`);
  if (access.tier && !tierAtLeast(licence().tier, access.tier))
    throw errors.licenseRequired(`${route.method} ${route.path} requires ${tierRequirementLabel(access.tier)}`);
  if (access.feature && !licence().has(access.feature))
    throw errors.licenseRequired(
      `${route.method} ${route.path} requires a license with the '${access.feature}' feature`,
    );
}

/**
 * Ownership: admin always; reseller must own; user must be bound to the resource. Synchronous
 * when the route has no owner check or its resolver answers at once.
 */
export function checkOwnership(access: RouteAccess, req: ApiRequest): Maybe<void> {
  const principal = req.principal;
  if (!access.owner || !principal) return;
  return andThen(access.owner(req), (owned) => assertOwner(owned, principal));
}

function assertOwner(owned: OwnedResource | null, p: Principal): void {
  if (!owned) throw errors.notFound();
  if (p.role === 'admin') return;
  if (p.role === 'reseller' && owned.resellerId === p.userId) return;
  if (p.role === 'user' && p.subject !== null && owned.ref === p.subject) return;
  // Same answer as "not found" for resources of others would hide existence; we say forbidden plainly.
  throw errors.forbidden('This resource belongs to another owner');
}
