import Type from 'typebox';
import type { RouteDefinition } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import { listParams, listQuerySchema, type ListSpec } from '../lists/list-query.js';
import { NewPassword, NewUsername } from './auth-routes.js';
import { capProperties, capsIn, capsOf, forgetCaps, writeCaps } from './reseller-caps.js';
import type { AuthServices } from './services.js';
import type { UserRow } from './user-store.js';

const Email = Type.Union(
  [Type.String({ maxLength: 254, pattern: '^[^\\s@<>"\'`]+@[^\\s@<>"\'`]+\\.[^\\s@<>"\'`]+$' }), Type.Null()],
  { 'x-error': 'must be an email address' },
);
const Create = Type.Object(
  { username: NewUsername, password: NewPassword, email: Type.Optional(Email) },
  { ...capProperties, additionalProperties: false },
);
const Update = Type.Object(
  {
    password: Type.Optional(NewPassword),
    email: Type.Optional(Email),
    disabled: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
  },
  { ...capProperties, additionalProperties: false },
);
const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a reseller id' }),
});

/** What `GET /api/resellers` sorts and searches by. */
const RESELLER_LIST: ListSpec = {
  sort: ['id', 'username', 'email', 'created_at'],
  search: ['username', 'email'],
  order: { column: 'id' },
};

/** Admin management of resellers and the caps plugins offer on them; a reseller may read itself. */
export function resellerRoutes(s: AuthServices): RouteDefinition[] {
  const k = s.kernel;
  const logins = async (id: number) =>
    Number((await k.knex(s.tables.users).where({ reseller_id: id, role: 'user' }).count({ n: '*' }).first())?.n ?? 0);
  const shownAll = async (rows: UserRow[]) => {
    const caps = await capsOf(
      k,
      rows.map((r) => r.id),
    );
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        username: r.username,
        email: r.email,
        disabled: r.disabled,
        ...caps.get(r.id),
        user_logins: await logins(r.id),
        created_at: r.created_at,
        updated_at: r.updated_at,
      })),
    );
  };
  const shown = async (r: UserRow) => (await shownAll([r]))[0]!;
  const load = async (id: number) => {
    const row = await s.users.byId(id);
    if (row?.role !== 'reseller') throw errors.notFound(`Reseller ${id} not found`);
    return row;
  };
  const admin = { roles: ['admin' as const] };
  return [
    {
      method: 'GET',
      path: '/api/resellers',
      summary: 'List resellers with their caps (admin; optional limit, offset, sort, q: the answer then adds total)',
      access: { ...admin, scope: 'resellers:read' },
      schema: { query: listQuerySchema(RESELLER_LIST) },
      handler: async (req) => {
        const params = listParams(req.query);
        if (!params) return shownAll(await s.users.listByRole('reseller'));
        const page = await s.users.pageByRole('reseller', RESELLER_LIST, params);
        return page.withItems(await shownAll(page.items));
      },
    },
    {
      method: 'POST',
      path: '/api/resellers',
      summary: 'Create a reseller (admin)',
      schema: { body: Create },
      access: { ...admin, scope: 'resellers:write' },
      handler: async (req) => {
        const b = req.body;
        const caps = capsIn(k, b);
        const { id } = await s.users.create({
          username: b.username,
          password: b.password,
          role: 'reseller',
          email: b.email ?? null,
        });
        req.auditTarget = `reseller:${id}`;
        try {
          await writeCaps(caps, id);
        } catch (e) {
          await s.users.remove(id);
          throw e;
        }
        return shown((await s.users.byId(id))!);
      },
    },
    {
      method: 'GET',
      path: '/api/resellers/:id',
      summary: 'One reseller (admin, or the reseller itself)',
      schema: { params: IdParams },
      access: { roles: ['admin', 'reseller'], scope: 'resellers:read' },
      handler: async (req) => {
        const p = req.principal!;
        if (p.role === 'reseller' && p.userId !== req.params.id)
          throw errors.notFound(`Reseller ${req.params.id} not found`);
        return shown(await load(req.params.id));
      },
    },
    {
      method: 'PATCH',
      path: '/api/resellers/:id',
      summary: 'Change a reseller: password, email, caps, disabled (admin)',
      schema: { params: IdParams, body: Update },
      access: { ...admin, scope: 'resellers:write' },
      handler: async (req) => {
        const row = await load(req.params.id);
        req.auditTarget = `reseller:${row.id}`;
        const b = req.body;
        const caps = capsIn(k, b);
        const patch: Partial<UserRow> = {};
        if (b.email !== undefined) patch.email = b.email;
        if (b.disabled !== undefined) patch.disabled = b.disabled;
        if (b.password === undefined && !Object.keys(patch).length && !caps.size)
          throw errors.validation('body: nothing to change');
        await writeCaps(caps, row.id);
        // A new password ends the reseller's sessions and API tokens; disabling ends its sessions.
        const changed =
          b.password !== undefined
            ? await s.users.setPasswordHash(row.id, await s.users.hashPassword(b.password), patch)
            : null;
        if (!changed) await s.users.update(row.id, patch, b.disabled === true);
        return {
          ...(await shown((await s.users.byId(row.id))!)),
          ...(changed ? { api_tokens_revoked: changed.api_tokens_revoked } : {}),
        };
      },
    },
    {
      method: 'DELETE',
      path: '/api/resellers/:id',
      summary: 'Delete a reseller that owns no accounts (admin)',
      schema: { params: IdParams },
      access: { ...admin, scope: 'resellers:write' },
      handler: async (req) => {
        const row = await load(req.params.id);
        req.auditTarget = `reseller:${row.id}`;
        const owned = await logins(row.id);
        if (owned > 0)
          throw errors.conflict(
            `Reseller '${row.username}' still owns ${owned} account login${owned === 1 ? '' : 's'}; delete or move those accounts first`,
          );
        await s.users.remove(row.id);
        await forgetCaps(k, row.id);
        s.grants.forgetReseller(row.id);
        return { id: row.id, deleted: true };
      },
    },
  ];
}
