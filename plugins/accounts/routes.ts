import {
  accountDirectory,
  errors,
  listParams,
  Type,
  listRoute,
  pageOf,
  type AccountOperations,
  type ApiRequest,
  type JobRecord,
  type ListPage,
  type ListSpec,
  type Principal,
  type RouteDefinition,
} from '../../sdk/index.js';
import { createAccount, type AccountDeps } from './create.js';
import { editRoute } from './edit.js';
import { impersonateRoute } from './impersonate.js';
import { runImport } from './import.js';
import { checkImport, ImportBody, IMPORT_MAX_ROWS } from './import-check.js';
import { ImportSlot } from './import-slot.js';
import { deleteAccount, setSuspended } from './lifecycle.js';
import { planRoute } from './limit-hooks.js';
import { usageFromQuota } from './limits.js';
import { changePassword, PasswordBody } from './password.js';
import { planRoutes } from './plan-routes.js';
import { toApi, type AccountRow } from './store.js';
import { CreateAccountBody, IdParams } from './validate.js';
import { withExtraFields } from './extra-fields.js';

/** The account a `user` login is bound to (`account:<id>`), or null. */
export function boundAccountId(p: Principal | null): number | null {
  const m = /^account:(\d+)$/.exec(p?.subject ?? '');
  return p?.role === 'user' && m ? Number(m[1]) : null;
}

/** Accounts visible to a caller: all for admins, their own for resellers, the bound one for users. */
export async function visibleAccounts(d: AccountDeps, p: Principal | null): Promise<AccountRow[]> {
  if (p?.role === 'admin') return d.store.list();
  if (p?.role === 'reseller') return d.store.list({ resellerId: p.userId });
  const bound = boundAccountId(p);
  return bound === null ? [] : d.store.list({ id: bound });
}

/** What `GET /api/accounts` sorts and searches by (indexed in migration 003). */
export const ACCOUNT_LIST: ListSpec = {
  sort: ['id', 'username', 'primary_domain', 'email', 'plan', 'status', 'disk_used_mb', 'created_at', 'updated_at'],
  search: ['username', 'primary_domain', 'email'],
  order: { column: 'id' },
};

/** One page of the caller's accounts; the ownership filter is in the SQL before counting and paging. */
function accountPage(
  d: AccountDeps,
  p: Principal | null,
  params: NonNullable<ReturnType<typeof listParams>>,
): Promise<ListPage<AccountRow>> {
  const bound = boundAccountId(p);
  const scoped =
    p?.role === 'admin'
      ? d.store.scoped()
      : p?.role === 'reseller'
        ? d.store.scoped({ resellerId: p.userId })
        : d.store.scoped({ id: bound ?? 0 });
  return pageOf<AccountRow>(scoped, ACCOUNT_LIST, params);
}

/** Routes of `/api/accounts` as the contract defines them. */
export function accountRoutes(
  d: AccountDeps,
  operations: AccountOperations,
  imports: ImportSlot = new ImportSlot(),
): RouteDefinition[] {
  const owner = (req: ApiRequest<{ id: number }>) => d.ctx.services.get(accountDirectory).owner(req.params.id);
  const manage = { roles: ['admin', 'reseller'] as const, scope: 'accounts:write', owner };
  const byId = async (req: ApiRequest<{ id: number }>) => {
    const row = await d.store.row(req.params.id);
    if (!row) throw errors.notFound(`Account ${req.params.id} not found`);
    await usageFromQuota(d.limits, d.store, [row]); // the quota report is instant: the answer shows usage as of now
    return (await withExtraFields(d.ctx, d.limits.cgroups, [row]))[0];
  };
  return [
    listRoute(ACCOUNT_LIST, {
      path: '/api/accounts',
      summary: 'List accounts (optional limit, offset, sort, q: the answer then adds total)',
      access: { scope: 'accounts:read' },
      page: async (req, params) => {
        const page = await accountPage(d, req.principal, params);
        return page.withItems(await withExtraFields(d.ctx, d.limits.cgroups, page.items));
      },
      all: async (req) => withExtraFields(d.ctx, d.limits.cgroups, await visibleAccounts(d, req.principal)),
    }),
    {
      method: 'POST',
      path: '/api/accounts',
      summary: 'Create account',
      access: { roles: ['admin', 'reseller'], scope: 'accounts:write' },
      schema: { body: CreateAccountBody },
      handler: async (req: ApiRequest<unknown, unknown, CreateAccountBody>) => {
        const row = await createAccount(d, req.body, req.principal);
        req.auditTarget = `account:${row.id}`;
        return toApi(row);
      },
    },
    {
      method: 'POST',
      path: '/api/accounts/import',
      summary: `Create up to ${IMPORT_MAX_ROWS} accounts as one job with one web-server reload; every row is checked first (a 400 names each bad row, nothing is made). By default the answer is the finished result; with \`?async=true\` the job at once`,
      access: { roles: ['admin', 'reseller'], scope: 'accounts:write' },
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        body: ImportBody,
        query: Type.Object({ async: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })) }),
      },
      handler: async (req: ApiRequest<unknown, { async?: boolean }, ImportBody>) => {
        const claim = await imports.claim();
        let job: JobRecord;
        try {
          const rows = await checkImport(d, req.body, req.principal);
          req.auditTarget = `accounts:import:${rows.length}`;
          // The job gives the slot up as it ends: free on every node once the job shows ended.
          job = await d.ctx.jobs.start({ kind: 'accounts.import', ownerUserId: req.principal?.userId ?? null }, (h) =>
            runImport(d, rows, req.principal, h).finally(() => claim.release()),
          );
        } catch (e) {
          await claim.release();
          throw e;
        }
        // And in any case once the job has ended (one cancelled before it started never ran the above).
        void d.ctx.jobs.wait(job.id).then(claim.release, claim.release);
        await claim.running(job.id);
        if (req.query.async) return job;
        const done = await d.ctx.jobs.wait(job.id);
        if (done.state !== 'succeeded')
          throw errors.internal(`Import job ${job.id} ended ${done.state}: ${done.error ?? 'no reason given'}`);
        return { ...(done.result as object), job_id: job.id };
      },
    },
    {
      method: 'GET',
      path: '/api/accounts/:id',
      summary: 'Get account by ID',
      schema: { params: IdParams },
      access: { scope: 'accounts:read', owner },
      handler: byId,
    },
    {
      method: 'DELETE',
      path: '/api/accounts/:id',
      summary: 'Delete account (removes system user, vhosts, reloads the web server)',
      schema: { params: IdParams },
      access: { ...manage, roles: [...manage.roles] },
      handler: async (req: ApiRequest<{ id: number }>) => {
        // Held for the whole delete: a backup under way is stopped first, a restore answers 409 (see AccountOperations).
        const ticket = await operations.acquire(req.params.id, 'delete');
        const row = await ticket.run(() => deleteAccount(d, req.params.id)).finally(() => ticket.release());
        return { id: row.id, username: row.username, deleted: true };
      },
    },
    {
      method: 'POST',
      path: '/api/accounts/:id/password',
      summary: "Set the account's password (panel login and system user); its sessions and API tokens end",
      schema: { params: IdParams, body: PasswordBody },
      access: { scope: 'accounts:write', owner, credentials: true },
      handler: async (req: ApiRequest<{ id: number }, unknown, PasswordBody>) => {
        req.auditTarget = `account:${req.params.id}`;
        const { current_password: currentPassword, password } = req.body;
        const { row, api_tokens_revoked } = await changePassword(d, req.params.id, password, {
          principal: req.principal,
          ip: req.ip,
          currentPassword,
        });
        return { id: row.id, username: row.username, password_changed: true, sessions_ended: true, api_tokens_revoked };
      },
    },
    ...(['suspend', 'unsuspend'] as const).map(
      (action): RouteDefinition => ({
        method: 'POST',
        path: `/api/accounts/:id/${action}`,
        summary: action === 'suspend' ? 'Suspend account' : 'Re-activate account',
        schema: { params: IdParams },
        access: { ...manage, roles: [...manage.roles] },
        handler: async (req: ApiRequest<{ id: number }>) =>
          toApi(await setSuspended(d, req.params.id, action === 'suspend')),
      }),
    ),
    planRoute(d, { ...manage, roles: [...manage.roles] }),
    ...planRoutes(d),
    // The account's own login may correct its contact email too.
    editRoute(d, { scope: 'accounts:write', owner }),
    impersonateRoute(d, { ...manage, roles: [...manage.roles] }),
  ];
}
