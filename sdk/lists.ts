/**
 * Paging, sorting and search for list routes, one mechanism for every list. A route declares a
 * {@link ListSpec} (sortable fields, searchable columns, the contract's order), takes
 * {@link listQuerySchema} as its query schema, and when {@link listParams} finds `limit`,
 * `offset`, `sort` or `q` in the request it answers {@link pageOf} of its owner-scoped knex query:
 * the page in SQL plus `total`. Without those parameters the route answers as before.
 *
 * @example
 * ```ts
 * const SPEC: ListSpec = { sort: ['id', 'name'], search: ['name'], order: { column: 'id' } };
 * ctx.route({
 *   method: 'GET', path: '/api/things', access: { scope: 'things:read' }, schema: { query: listQuerySchema(SPEC) },
 *   handler: async (req) => {
 *     const p = listParams(req.query);
 *     const scoped = ctx.db.knex(ctx.db.table('things')).where({ owner: req.principal!.userId });
 *     return p ? pageOf(scoped, SPEC, p) : scoped.orderBy('id');
 *   },
 * });
 * ```
 */
export { listQuerySchema, listParams, likePattern, MAX_LIST_LIMIT, MAX_LIST_SEARCH } from '../core/lists/list-query.js';
export type { ListSpec, ListParams } from '../core/lists/list-query.js';
export { ListPage, pageOf, applySearch } from '../core/lists/list-page.js';
export { listRoute, type ListRouteDefinition } from '../core/lists/list-route.js';
