import { Type } from '../../../sdk/schema.js';

/** `account_id` in queries and bodies. */
export const AccountId = Type.Integer({ minimum: 1, 'x-error': 'must be a positive integer' });
/** A home-relative path; its content is checked by parseHomePath (NUL, `..`, encodings, …). */
export const PathField = Type.String({
  minLength: 1,
  maxLength: 4096,
  'x-error': 'must be a path string of 1–4096 characters',
});
/** chmod's mode: octal text, 0–777 only. */
export const ModeField = Type.String({
  pattern: '^0?[0-7]{1,3}$',
  'x-error': 'must be an octal string from 0 to 777 (no setuid, setgid or sticky bits)',
});

export const PathQuery = Type.Object({ account_id: AccountId, path: PathField });
/** The contract's listing, plus an optional page: `limit` entries from `offset` (the answer then adds `total`). */
export const ListQuery = Type.Object({
  account_id: AccountId,
  path: Type.Optional(PathField),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, 'x-error': 'must be an integer from 1 to 100000' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9, 'x-error': 'must be an integer of 0 or more' })),
});
export const PathBody = Type.Object({ account_id: AccountId, path: PathField });
/** The contract's write, plus an optional `overwrite` (default true): false only creates, 409 when the name exists. */
export const WriteBody = Type.Object({
  account_id: AccountId,
  path: PathField,
  content: Type.String({ 'x-error': 'must be a string' }),
  overwrite: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
});
export const ChmodBody = Type.Object({ account_id: AccountId, path: PathField, mode: ModeField });
export const MoveBody = Type.Object({ account_id: AccountId, from: PathField, to: PathField });
export const UploadQuery = Type.Object({
  account_id: AccountId,
  path: PathField,
  overwrite: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
});
export const CompressBody = Type.Object({
  account_id: AccountId,
  destination: PathField,
  paths: Type.Array(PathField, { minItems: 1, maxItems: 1000, 'x-error': 'must be a list of 1–1000 paths' }),
});
export const ExtractBody = Type.Object({ account_id: AccountId, path: PathField, destination: PathField });
