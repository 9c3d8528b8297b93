import { randomBytes } from 'node:crypto';
import { compileValidator, errors, type AccountProvisioner, type Principal } from '../../sdk/index.js';
import { createAccount, type AccountDeps } from './create.js';
import { deleteAccount } from './lifecycle.js';
import { toInfo } from './store.js';
import { CreateAccountBody } from './validate.js';

const body = compileValidator<CreateAccountBody>(CreateAccountBody, { where: 'account' });

/**
 * Account creation for other plugins (a restore recreating a deleted account): the same path,
 * validation, limits and rollback as `POST /api/accounts`. Without a password the login gets a
 * random one nobody knows, so it stays unusable until an admin resets it.
 */
export function createAccountProvisioner(d: AccountDeps): AccountProvisioner {
  return {
    async create(input) {
      const parsed = body.parse({
        username: input.username,
        domain: input.domain,
        email: input.email,
        plan: input.plan,
        password: input.password ?? randomBytes(24).toString('base64url'),
      });
      const owner: Principal | null = input.reseller_id
        ? {
            userId: input.reseller_id,
            username: '',
            role: 'reseller',
            resellerId: input.reseller_id,
            subject: null,
            scopes: null,
            tokenId: null,
          }
        : null;
      if (input.identity !== undefined && !/^[0-9a-f]{32}$/.test(input.identity))
        throw errors.validation('identity: must be 32 lowercase hex digits');
      return toInfo(await createAccount(d, parsed, owner, { identity: input.identity }));
    },
    async remove(id) {
      await deleteAccount(d, id);
    },
  };
}
