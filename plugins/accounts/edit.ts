import { errors, Type, type ApiRequest, type RouteDefinition, type Static } from '../../sdk/index.js';
import type { AccountDeps } from './create.js';
import { toApi, type AccountRow } from './store.js';
import { CreateAccountBody, IdParams } from './validate.js';

/** Body of `PATCH /api/accounts/:id`: the contact email (the plan has its own route, the password too). */
export const EditAccountBody = Type.Object(
  { email: CreateAccountBody.properties.email },
  { additionalProperties: false },
);
type EditAccountBody = Static<typeof EditAccountBody>;

/** The account to change: 404 when unknown, 409 while it is being created or deleted. */
export async function settledRow(d: AccountDeps, id: number): Promise<AccountRow> {
  const row = await d.store.row(id);
  if (!row) throw errors.notFound(`Account ${id} not found`);
  if (row.status === 'creating' || row.status === 'deleting')
    throw errors.conflict(`Account ${row.id} is ${row.status}; try again later`);
  return row;
}

/**
 * `PATCH /api/accounts/:id`: change what is only a record (the contact email). Nothing on the
 * system follows from it, so it is one row update; an account being created or deleted is left alone.
 */
export function editRoute(d: AccountDeps, access: RouteDefinition['access']): RouteDefinition {
  return {
    method: 'PATCH',
    path: '/api/accounts/:id',
    summary: "Change the account's contact email",
    schema: { params: IdParams, body: EditAccountBody },
    access,
    handler: async (req: ApiRequest<{ id: number }, unknown, EditAccountBody>) => {
      req.auditTarget = `account:${req.params.id}`;
      const row = await settledRow(d, req.params.id);
      await d.store.update(row.id, { email: req.body.email });
      return toApi((await d.store.row(row.id))!);
    },
  };
}
