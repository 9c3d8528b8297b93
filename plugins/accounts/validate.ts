import { errors, normalizeDomainName, Type, type Static } from '../../sdk/index.js';
import { reservedReason } from './reserved-names.js';
import { systemNameTaken } from './system-users.js';

/** A plan's name (which plans exist and may be used is checked against the plans table). */
export const PlanName = Type.String({
  pattern: '^[a-z][a-z0-9_-]{1,15}$',
  'x-error': 'must be a plan name (2–16 lowercase letters, digits, _ or -, starting with a letter)',
});

/** Body of `POST /api/accounts` (the contract's fields). */
export const CreateAccountBody = Type.Object({
  username: Type.String({
    pattern: '^[a-z][a-z0-9]{2,15}$',
    'x-error': 'must be 3–16 alphanumeric characters, lowercase, starting with a letter',
  }),
  domain: Type.String({ minLength: 1, maxLength: 300, 'x-error': 'must be a fully qualified domain name' }),
  email: Type.String({
    maxLength: 254,
    pattern:
      '^[A-Za-z0-9.!#%&*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$',
    'x-error': 'must be a valid email address',
  }),
  password: Type.String({
    pattern: '^[^\\x00-\\x1f\\x7f]{8,128}$',
    'x-error': 'must be 8–128 characters without control characters',
  }),
  plan: PlanName,
  /** Admin only: the primary domain may sit under (or above) a domain of another account. */
  allow_cross_account: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
});
export type CreateAccountBody = Static<typeof CreateAccountBody>;

/** Path parameter `:id`. */
export const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a positive integer' }),
});

/** Username checks beyond the pattern: reserved and existing system names. */
export function checkUsername(username: string): void {
  const reason = reservedReason(username);
  if (reason) throw errors.validation(`username: '${username}' is reserved (${reason})`);
  if (systemNameTaken(username))
    throw errors.conflict(`username: a system user or group named '${username}' already exists`);
}

/** The primary domain in its stored (punycode) form, or a 400 naming the field. */
export function primaryDomain(value: string): string {
  const d = normalizeDomainName(value);
  if (!d) throw errors.validation('domain: must be a fully qualified domain name');
  return d;
}
