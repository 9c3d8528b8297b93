import {
  accountDirectory,
  errors,
  settingsPlan,
  Type,
  type ApiRequest,
  type RouteDefinition,
  type Static,
} from '../../sdk/index.js';
import { inspectKey, parsePublicKey } from './keys.js';
import type { AccessService } from './service.js';
import type { SshKeyRow } from './store.js';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a positive integer' });
export const AccountParams = Type.Object({ id: Id });
type AccountParams = Static<typeof AccountParams>;
const KeyParams = Type.Object({ id: Id, key_id: Id });
type KeyParams = Static<typeof KeyParams>;
const KeyBody = Type.Object({
  public_key: Type.String({ minLength: 1, maxLength: 16_384, 'x-error': 'must be an OpenSSH public key line' }),
  comment: Type.Optional(Type.String({ maxLength: 200, 'x-error': 'must be at most 200 characters' })),
});
type KeyBody = Static<typeof KeyBody>;
const ShellBody = Type.Object({
  shell: Type.Union([Type.Literal('nologin'), Type.Literal('sftp-only'), Type.Literal('full'), Type.Null()], {
    'x-error': "must be nologin, sftp-only, full or null (the plan's)",
  }),
});
type ShellBody = Static<typeof ShellBody>;

const view = (k: SshKeyRow) => ({
  id: k.id,
  type: k.type,
  bits: k.bits,
  fingerprint: k.fingerprint,
  comment: k.comment,
  created_at: k.created_at,
});

/** Ownership of `:id` for the kernel's access check (admin, owning reseller, the account's user). */
export function accountOwner(access: AccessService) {
  return (req: ApiRequest<{ id: number }>) => access.ctx.services.get(accountDirectory).owner(req.params.id);
}

/** `/api/accounts/:id/ssh-keys` and `/api/accounts/:id/shell`. */
export function keyRoutes(access: AccessService): RouteDefinition[] {
  const owner = accountOwner(access);
  return [
    {
      method: 'GET',
      path: '/api/accounts/:id/ssh-keys',
      summary: 'SSH public keys of an account',
      schema: { params: AccountParams },
      access: { scope: 'ssh:read', owner },
      handler: async (req: ApiRequest<AccountParams>) => {
        const a = await access.account(req.params.id);
        return { account_id: a.id, keys: (await access.store.listKeys(a.id)).map(view), ...(await access.shell(a)) };
      },
    },
    {
      method: 'POST',
      path: '/api/accounts/:id/ssh-keys',
      summary: 'Add an SSH public key (written to ~/.ssh/authorized_keys as the account)',
      schema: { params: AccountParams, body: KeyBody },
      access: { scope: 'ssh:write', owner },
      status: 201,
      handler: async (req: ApiRequest<AccountParams, unknown, KeyBody>) => {
        const key = parsePublicKey(req.body.public_key, req.body.comment);
        const info = await inspectKey(access.ctx.exec, key);
        const a = await access.account(req.params.id);
        access.requireLinux('SSH keys');
        req.auditTarget = `account:${a.id}`;
        return access.exclusive(async () => {
          const row = await access.store.addKey(
            {
              account_id: a.id,
              type: key.type,
              bits: info.bits,
              fingerprint: info.fingerprint,
              comment: key.comment,
              public_key: `${key.type} ${key.key}`,
            },
            access.cfg.max_ssh_keys,
          );
          try {
            await access.syncKeys(a);
          } catch (e) {
            await access.store.removeKey(a.id, row.id);
            throw e;
          }
          return view(row);
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/accounts/:id/ssh-keys/:key_id',
      summary: 'Remove an SSH key',
      schema: { params: KeyParams },
      access: { scope: 'ssh:write', owner },
      handler: async (req: ApiRequest<KeyParams>) => {
        const a = await access.account(req.params.id);
        access.requireLinux('SSH keys');
        req.auditTarget = `account:${a.id}`;
        return access.exclusive(async () => {
          if (!(await access.store.removeKey(a.id, req.params.key_id)))
            throw errors.notFound(`SSH key ${req.params.key_id} not found on account ${a.id}`);
          await access.syncKeys(a);
          return { deleted: true, id: req.params.key_id };
        });
      },
    },
    {
      method: 'GET',
      path: '/api/accounts/:id/shell',
      summary: 'Shell access of an account (nologin, sftp-only or full)',
      schema: { params: AccountParams },
      access: { scope: 'ssh:read', owner },
      handler: async (req: ApiRequest<AccountParams>) => {
        const a = await access.account(req.params.id);
        return {
          account_id: a.id,
          ...(await access.shell(a)),
          plan_shell: access.cfg[`${settingsPlan(a.plan)}_shell`],
        };
      },
    },
    {
      method: 'PUT',
      path: '/api/accounts/:id/shell',
      summary: "Set the shell of an account (admin; null: back to the plan's)",
      schema: { params: AccountParams, body: ShellBody },
      access: { roles: ['admin'], scope: 'ssh:write', owner },
      handler: async (req: ApiRequest<AccountParams, unknown, ShellBody>) => {
        const a = await access.account(req.params.id);
        access.requireLinux('Shells');
        req.auditTarget = `account:${a.id}`;
        return access.exclusive(async () => {
          const before = await access.store.shell(a.id);
          await access.store.setShell(a.id, req.body.shell);
          try {
            await access.syncShell(a);
          } catch (e) {
            await access.store.setShell(a.id, before);
            await access.syncShell(a).catch((e2: Error) =>
              access.ctx.logger.error('access: could not put the shell back', {
                account: a.username,
                error: e2.message,
              }),
            );
            throw e;
          }
          return { account_id: a.id, ...(await access.shell(a)) };
        });
      },
    },
  ];
}
