import {
  accountDirectory,
  errors,
  listParams,
  listQuerySchema,
  pageOf,
  Type,
  type ApiRequest,
  type DomainCreate,
  type DomainDirectory,
  type ListSpec,
  type PluginContext,
  type Principal,
  type RouteDefinition,
  type Static,
} from '../../sdk/index.js';
import type { DomainRow, DomainStore } from './store.js';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a positive integer' });
const IdParams = Type.Object({ id: Id });

/** Body of `POST /api/domains`. `document_root` defaults by type (see the domains directory). */
export const CreateDomainBody = Type.Object({
  account_id: Id,
  domain_name: Type.String({ minLength: 1, maxLength: 300, 'x-error': 'must be a fully qualified domain name' }),
  domain_type: Type.Union(
    [Type.Literal('primary'), Type.Literal('addon'), Type.Literal('subdomain'), Type.Literal('alias')],
    {
      'x-error': 'must be primary, addon, subdomain or alias',
    },
  ),
  document_root: Type.Optional(
    Type.String({ minLength: 1, maxLength: 1024, 'x-error': 'must be an absolute path inside the account home' }),
  ),
  /** Admin only: place a name under (or above) a domain of another account. */
  allow_cross_account: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
});
type CreateDomainBody = Static<typeof CreateDomainBody>;

/** Domains a caller may see: all (admin), of its accounts (reseller), of its bound account (user). */
async function visibleDomains(ctx: PluginContext, store: DomainStore, p: Principal | null): Promise<DomainRow[]> {
  if (p?.role === 'admin') return store.all();
  if (p?.role === 'reseller') {
    const accounts = await ctx.services.get(accountDirectory).list({ resellerId: p.userId });
    return store.forAccounts(accounts.map((a) => a.id));
  }
  const m = /^account:(\d+)$/.exec(p?.subject ?? '');
  return m ? store.forAccount(Number(m[1])) : [];
}

/** What the domain lists sort and search by (indexed in migration 002). */
export const DOMAIN_LIST: ListSpec = {
  sort: ['id', 'account_id', 'domain_name', 'domain_type', 'created_at'],
  search: ['domain_name', 'document_root'],
  order: { column: 'id' },
};

/**
 * The domain rows a caller may see, as SQL (filtered before any counting or paging). Wrapped in an
 * object: a knex builder is thenable, so returning it bare from an async function would run it.
 */
async function visibleQuery(ctx: PluginContext, store: DomainStore, p: Principal | null) {
  if (p?.role === 'admin') return { query: store.q() };
  if (p?.role === 'reseller') {
    const directory = ctx.services.get(accountDirectory);
    // One query with the reseller's accounts as a subquery where the directory offers one.
    if (directory.idsQuery)
      return { query: store.q().whereIn('account_id', directory.idsQuery({ resellerId: p.userId })) };
    const accounts = await directory.list({ resellerId: p.userId });
    return {
      query: store.q().whereIn(
        'account_id',
        accounts.map((a) => a.id),
      ),
    };
  }
  const m = /^account:(\d+)$/.exec(p?.subject ?? '');
  return { query: store.q().where({ account_id: m ? Number(m[1]) : 0 }) };
}

/** Routes of `/api/domains` as the contract defines them. */
export function domainRoutes(
  ctx: PluginContext,
  store: DomainStore,
  service: DomainDirectory & { remove(id: number): Promise<DomainRow> },
): RouteDefinition[] {
  const accounts = () => ctx.services.get(accountDirectory);
  return [
    {
      method: 'GET',
      path: '/api/domains',
      summary: 'List all domains (optional limit, offset, sort, q: the answer then adds total)',
      access: { scope: 'domains:read' },
      schema: { query: listQuerySchema(DOMAIN_LIST) },
      handler: async (req) => {
        const params = listParams(req.query);
        return params
          ? pageOf((await visibleQuery(ctx, store, req.principal)).query, DOMAIN_LIST, params)
          : visibleDomains(ctx, store, req.principal);
      },
    },
    {
      method: 'POST',
      path: '/api/domains',
      summary: 'Create domain',
      schema: { body: CreateDomainBody },
      access: {
        scope: 'domains:write',
        owner: (req: ApiRequest<unknown, unknown, CreateDomainBody>) => accounts().owner(req.body.account_id),
      },
      handler: async (req: ApiRequest<unknown, unknown, CreateDomainBody>) => {
        const asAdmin = req.principal?.role === 'admin';
        if (req.body.allow_cross_account && !asAdmin)
          throw errors.forbidden("allow_cross_account: only an admin may place a name under another account's domain");
        const row = await service.create(req.body as DomainCreate, { asAdmin });
        req.auditTarget = `domain:${row.id}`;
        return row;
      },
    },
    {
      method: 'GET',
      path: '/api/domains/account/:id',
      summary: 'List domains for a specific account (optional limit, offset, sort, q)',
      schema: { params: IdParams, query: listQuerySchema(DOMAIN_LIST) },
      access: { scope: 'domains:read', owner: (req: ApiRequest<{ id: number }>) => accounts().owner(req.params.id) },
      handler: (req: ApiRequest<{ id: number }>) => {
        const params = listParams(req.query);
        return params
          ? pageOf(store.q().where({ account_id: req.params.id }), DOMAIN_LIST, params)
          : store.forAccount(req.params.id);
      },
    },
    {
      method: 'DELETE',
      path: '/api/domains/:id',
      summary: 'Delete domain (removes its vhost, reloads the web server)',
      schema: { params: IdParams },
      access: {
        scope: 'domains:write',
        owner: async (req: ApiRequest<{ id: number }>) => {
          const row = await store.get(req.params.id);
          return row ? accounts().owner(row.account_id) : null;
        },
      },
      handler: async (req: ApiRequest<{ id: number }>) => {
        const row = await service.remove(req.params.id);
        return { id: row.id, domain_name: row.domain_name, deleted: true };
      },
    },
  ];
}
