import Type from 'typebox';
import type { Migration } from '../../sdk/database.js';
import type { KernelModule } from '../kernel-module.js';
import { Tokens } from '../tokens.js';
import { listParams, listQuerySchema, type ListSpec } from '../lists/list-query.js';
import { AuditLog } from './audit-log.js';

/** Days audit entries are kept. */
export const AUDIT_RETENTION_DAYS = 365;

const migrations: Migration[] = [
  {
    name: '030_audit',
    async up(db, table) {
      await db.schema.createTable(table('audit'), (t) => {
        t.bigIncrements('id').primary();
        t.string('time', 32).notNullable();
        t.integer('user_id');
        t.string('username', 64);
        t.string('role', 16);
        t.integer('reseller_id');
        t.string('method', 10).notNullable();
        t.string('route', 255).notNullable();
        t.string('path', 1024).notNullable();
        t.string('target', 255);
        t.integer('status').notNullable();
        t.boolean('ok').notNullable();
        t.string('ip', 64).notNullable();
        t.string('request_id', 64).notNullable();
        t.string('plugin', 60).notNullable();
        t.index(['time']);
        t.index(['user_id']);
        t.index(['reseller_id']);
      });
    },
  },
  {
    // Who really acted, when a session was opened as another login ("open as this account").
    name: '031_audit_impersonator',
    async up(db, table) {
      await db.schema.alterTable(table('audit'), (t) => {
        t.string('impersonator', 64);
      });
    },
  },
];

/** Entries answered when no `limit` is given. */
const DEFAULT_LIMIT = 100;

/** What `GET /api/audit` sorts and searches by; newest first unless `sort` says otherwise. */
export const AUDIT_LIST: ListSpec = {
  sort: ['id', 'time', 'username', 'role', 'method', 'route', 'status', 'plugin'],
  search: ['username', 'route', 'path', 'target', 'plugin'],
  order: { column: 'id', desc: true },
};

// Closed (unknown parameters are refused, as before); `limit` keeps its own bounds and message.
const Query = listQuerySchema(
  AUDIT_LIST,
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, 'x-error': 'must be 1–500' })),
    before_id: Type.Optional(Type.Integer({ minimum: 1, 'x-error': 'must be an audit entry id' })),
    user_id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a user id' })),
    ok: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
  },
  { open: false },
);

/**
 * The audit kernel module: stores the record the HTTP kernel makes of every mutating request
 * (who, role, route, target, result, time, client IP) and serves `GET /api/audit` — all of it to
 * admins, their own side (themselves and their accounts' users) to resellers.
 */
export function auditModule(): KernelModule {
  let log: AuditLog | null = null;
  return {
    name: 'audit',
    migrations,
    install(k) {
      const audit = new AuditLog(k.knex, 'core_audit', k.logger.child({ module: 'audit' }));
      log = audit;
      k.provide(Tokens.AuditSink, audit);
      k.scheduler.forPlugin('core').schedule({
        name: 'audit-prune',
        when: 'daily 03:17',
        run: async () => void (await audit.prune(AUDIT_RETENTION_DAYS)),
      });
      k.route({
        method: 'GET',
        path: '/api/audit',
        summary: 'Audit log of changes, newest first (admins: all; resellers: their own)',
        schema: { query: Query },
        access: { roles: ['admin', 'reseller'], scope: 'audit:read' },
        handler: (req) => {
          const p = req.principal!;
          const q = req.query;
          const filter = {
            beforeId: q.before_id,
            userId: q.user_id,
            ok: q.ok,
            resellerId: p.role === 'reseller' ? p.userId : undefined,
          };
          // `sort`, `q` or `offset` page the log and add `total`; a bare `limit` still answers the plain list.
          const params = q.sort !== undefined || q.q !== undefined || q.offset !== undefined ? listParams(q) : null;
          if (params) return audit.page(filter, AUDIT_LIST, { ...params, limit: params.limit ?? DEFAULT_LIMIT });
          return audit.query({ ...filter, limit: q.limit ?? DEFAULT_LIMIT });
        },
      });
    },
    async stop() {
      await log?.flush();
      log?.close();
    },
  };
}
