import type { TSchema } from 'typebox';
import type { ApiRequest, RouteAccess, RouteDefinition } from '../../sdk/routes.js';
import { type ListParams, type ListSpec, listParams, listQuerySchema } from './list-query.js';

/** What a list route says beside its {@link ListSpec}: where it is, who may call it, how it answers. */
export interface ListRouteDefinition<P> {
  path: string;
  summary: string;
  access: RouteAccess;
  /** Schema of the path parameters, when the path has any. */
  params?: TSchema;
  /** The answer when the caller asked for a page (`limit`, `offset`, `sort` or `q`): a page with `total`. */
  page: (req: ApiRequest<P>, params: ListParams) => Promise<unknown> | unknown;
  /** The answer without paging parameters: the whole list, as the route always answered. */
  all: (req: ApiRequest<P>) => Promise<unknown> | unknown;
}

/**
 * The GET route of a list, one shape for every list: its query schema is {@link listQuerySchema}
 * of `spec`, and it answers `page` when the request names `limit`, `offset`, `sort` or `q`, else
 * `all`.
 *
 * @example
 * ```ts
 * listRoute(SPEC, {
 *   path: '/api/things', summary: 'List things', access: { scope: 'things:read' },
 *   page: (req, p) => pageOf(scoped(req), SPEC, p),
 *   all: (req) => scoped(req).orderBy('id'),
 * });
 * ```
 */
export function listRoute<P = any>(spec: ListSpec, def: ListRouteDefinition<P>): RouteDefinition<P> {
  const { params, page, all, ...route } = def;
  return {
    method: 'GET',
    ...route,
    schema: { ...(params ? { params } : {}), query: listQuerySchema(spec) },
    handler: async (req) => {
      const asked = listParams(req.query);
      return asked ? page(req, asked) : all(req);
    },
  };
}
