import {
  errors,
  listParams,
  listQuerySchema,
  Type,
  type AccountDirectory,
  type ApiRequest,
  type ListSpec,
  type OwnedResource,
  type RouteDefinition,
} from '../../sdk/index.js';
import type { EngineCatalogue } from './engines.js';
import type { DatabaseService } from './service.js';

const AccountId = Type.Integer({ minimum: 1, maximum: 2147483647, 'x-error': 'must be a positive account id' });

const CreateBody = Type.Object({
  account_id: AccountId,
  db_name: Type.String({
    pattern: '^[a-z0-9_]{1,64}$',
    'x-error': 'must be 1–64 lowercase letters, digits or underscores',
  }),
  db_password: Type.String({
    minLength: 8,
    maxLength: 128,
    pattern: '^[^\\x00-\\x1f\\x7f]*$',
    'x-error': 'must be 8–128 characters without control characters',
  }),
  engine: Type.String({
    default: 'mysql',
    pattern: '^[a-z0-9][a-z0-9_-]{0,31}$',
    'x-error': 'must be an engine id such as mysql, mariadb, postgresql or postgres',
  }),
});

const AccountParams = Type.Object({ account_id: AccountId });

/** What `GET /api/databases/:account_id` sorts and searches by (the contract's order: by name). */
export const DATABASE_LIST: ListSpec = {
  sort: ['database', 'user', 'engine', 'created_at'],
  columns: { database: 'db_name', user: 'db_user' },
  search: ['db_name', 'db_user', 'engine'],
  order: { column: 'db_name' },
};
const DeleteParams = Type.Object({
  account_id: AccountId,
  db_name: Type.String({
    pattern: '^[A-Za-z0-9_]{1,128}$',
    'x-error': 'must be a database name (letters, digits, underscores)',
  }),
});

/** The routes of `/api/databases`, in registration order (`engines` before `:account_id`). */
export function databaseRoutes(
  service: DatabaseService,
  engines: EngineCatalogue,
  directory: () => AccountDirectory,
): RouteDefinition[] {
  const account = (id: number) => service.account(id);
  // Ownership: admin always, a reseller its accounts, a user only its own account.
  const ownerOf =
    (pick: (req: ApiRequest) => number) =>
    async (req: ApiRequest): Promise<OwnedResource> => {
      const id = pick(req);
      const owned = await directory().owner(id);
      if (!owned) throw errors.notFound(`Account ${id} not found`);
      return owned;
    };
  return [
    {
      method: 'GET',
      path: '/api/databases/engines',
      summary: 'List available DB engines and their versions',
      access: { scope: 'databases:read' },
      handler: (req) => engines.views(req.principal?.role === 'admin'),
    },
    {
      method: 'GET',
      path: '/api/databases/:account_id',
      summary: 'List all databases for an account (optional limit, offset, sort, q: the answer then adds total)',
      schema: { params: AccountParams, query: listQuerySchema(DATABASE_LIST) },
      access: { scope: 'databases:read', owner: ownerOf((req) => req.params.account_id) },
      handler: async (req) => {
        const id = (await account(req.params.account_id)).id;
        const params = listParams(req.query);
        return params ? service.page(id, DATABASE_LIST, params) : service.list(id);
      },
    },
    {
      method: 'POST',
      path: '/api/databases',
      summary: 'Create database + user',
      schema: { body: CreateBody },
      access: { scope: 'databases:write', owner: ownerOf((req) => req.body.account_id) },
      handler: async (req) => {
        req.auditTarget = `account:${req.body.account_id}`;
        return service.create(await account(req.body.account_id), req.body);
      },
    },
    {
      method: 'DELETE',
      path: '/api/databases/:account_id/:db_name',
      summary: 'Drop database and user',
      schema: { params: DeleteParams },
      access: { scope: 'databases:write', owner: ownerOf((req) => req.params.account_id) },
      handler: async (req) => {
        req.auditTarget = `account:${req.params.account_id}`;
        return service.remove(await account(req.params.account_id), req.params.db_name);
      },
    },
  ];
}
