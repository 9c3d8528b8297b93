import Type from 'typebox';
import type { RouteDefinition } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import { listParams, listQuerySchema, type ListSpec } from '../lists/list-query.js';
import { compileAllowList, type ApiTokenRecord } from './api-tokens.js';
import type { AuthServices } from './services.js';

const MAX_LIFETIME_MS = 5 * 365 * 86_400_000;
const Scope = Type.String({
  pattern: '^(\\*|[a-z][a-z0-9-]{0,39}:(read|write|\\*))$',
  'x-error': "must be a scope like 'accounts:read', 'accounts:write', 'accounts:*' or '*'",
});
const CreateToken = Type.Object({
  name: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '^[^\\x00-\\x1f\\x7f]+$',
    'x-error': 'must be 1–100 printable characters',
  }),
  scopes: Type.Array(Scope, { minItems: 1, maxItems: 50, 'x-error': 'must be a list of 1–50 scopes' }),
  expires_at: Type.Optional(
    Type.Union([Type.String({ maxLength: 40 }), Type.Null()], { 'x-error': 'must be an ISO 8601 date-time or null' }),
  ),
  allowed_ips: Type.Optional(
    Type.Union([Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }), Type.Null()], {
      'x-error': 'must be a list of at most 50 IP addresses or CIDR ranges',
    }),
  ),
});
const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a token id' }),
});

function expiry(value: string | null | undefined): Date | null {
  if (value === undefined || value === null) return null;
  const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
    ? Date.parse(value)
    : NaN;
  if (Number.isNaN(ms) || ms <= Date.now() || ms > Date.now() + MAX_LIFETIME_MS)
    throw errors.validation('expires_at: must be a future ISO 8601 date-time, at most 5 years ahead');
  return new Date(ms);
}

/** What `GET /api/tokens` sorts and searches by. */
const TOKEN_LIST: ListSpec = {
  sort: ['id', 'name', 'created_at', 'expires_at', 'last_used_at'],
  search: ['name', 'prefix'],
  order: { column: 'id' },
};

/** The token as listed: never the secret, only its first characters. */
function shown(r: ApiTokenRecord) {
  const expired = r.expires_at !== null && Date.parse(r.expires_at.replace(' ', 'T') + 'Z') <= Date.now();
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    allowed_ips: r.allowed_ips,
    expires_at: r.expires_at,
    expired,
    created_at: r.created_at,
    last_used_at: r.last_used_at,
  };
}

/**
 * API tokens for automation. A token acts as its owner with only the scopes it was given, so it is
 * never wider than its owner; it is created from a login session and shown once.
 */
export function tokenRoutes(s: AuthServices): RouteDefinition[] {
  return [
    {
      method: 'POST',
      path: '/api/tokens',
      summary: 'Create an API token (the token is shown only in this answer)',
      schema: { body: CreateToken },
      access: { credentials: true },
      handler: async (req) => {
        const p = req.principal!;
        if (p.scopes !== null) throw errors.forbidden('API tokens cannot create API tokens; log in to create one');
        const allowedIps = req.body.allowed_ips?.length ? req.body.allowed_ips : null;
        if (allowedIps) compileAllowList(allowedIps);
        const { token, record } = await s.apiTokens.create(p.userId, {
          name: req.body.name,
          scopes: [...new Set<string>(req.body.scopes)],
          expiresAt: expiry(req.body.expires_at),
          allowedIps,
        });
        req.auditTarget = `token:${record.id}`;
        return { ...shown(record), token };
      },
    },
    {
      method: 'GET',
      path: '/api/tokens',
      summary: 'Your API tokens (optional limit, offset, sort, q: the answer then adds total)',
      access: { scope: 'tokens:read' },
      schema: { query: listQuerySchema(TOKEN_LIST) },
      handler: async (req) => {
        const params = listParams(req.query);
        if (params) return (await s.apiTokens.page(req.principal!.userId, TOKEN_LIST, params)).map(shown);
        return (await s.apiTokens.list(req.principal!.userId)).map(shown);
      },
    },
    {
      method: 'DELETE',
      path: '/api/tokens/:id',
      summary: 'Revoke one of your API tokens (admins: any)',
      schema: { params: IdParams },
      access: { scope: 'tokens:write', credentials: true },
      handler: async (req) => {
        const p = req.principal!;
        const record = await s.apiTokens.get(req.params.id);
        if (!record || (record.user_id !== p.userId && p.role !== 'admin'))
          throw errors.notFound('API token not found');
        await s.apiTokens.remove(record.id);
        s.authenticator.forgetApiToken(record.id);
        return { id: record.id, revoked: true };
      },
    },
  ];
}
