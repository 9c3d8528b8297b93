import { listIndexMigrations } from './lists/migrations.js';
import type { Migration } from '../sdk/database.js';

/** The kernel's own tables (prefix `core_`): locks, jobs, admin plugin choices, leases. */
export const kernelMigrations: Migration[] = [
  {
    name: '000_kernel',
    async up(db) {
      await db.schema.createTable('core_locks', (t) => {
        t.string('name', 190).primary();
      });
      await db.schema.createTable('core_jobs', (t) => {
        t.string('id', 36).primary();
        t.string('kind', 100).notNullable();
        t.string('plugin', 60).notNullable();
        t.string('state', 20).notNullable();
        t.float('progress').notNullable().defaultTo(0);
        t.text('message');
        t.text('result');
        t.text('error');
        t.integer('owner_user_id');
        t.string('target', 190);
        t.string('created_at', 32).notNullable();
        t.string('updated_at', 32).notNullable();
        t.string('finished_at', 32);
        t.index(['state']);
        t.index(['owner_user_id']);
      });
      await db.schema.createTable('core_plugin_state', (t) => {
        t.string('plugin_id', 60).primary();
        t.boolean('enabled').notNullable();
        t.string('updated_at', 32).notNullable();
      });
    },
  },
  {
    // Several API nodes on one store: leases for once-only work, and the node each job runs on.
    name: '001_cluster',
    async up(db) {
      await db.schema.createTable('core_leases', (t) => {
        t.string('name', 190).primary();
        t.string('holder', 80).notNullable();
        t.bigInteger('expires_at').notNullable();
      });
      await db.schema.alterTable('core_jobs', (t) => {
        t.string('node_id', 80);
      });
      // The change feed where the store has no notifications (MariaDB): nodes read new rows.
      await db.schema.createTable('core_changes', (t) => {
        t.increments('id');
        t.string('node', 80).notNullable();
        t.string('topic', 20).notNullable();
        t.text('payload').notNullable();
        t.bigInteger('at').notNullable().index();
      });
    },
  },
  {
    // A failed job's server detail (a tool's words, a socket path): admins read it, the account only `error`.
    name: '002_job_error_detail',
    async up(db) {
      await db.schema.alterTable('core_jobs', (t) => {
        t.text('error_detail');
      });
    },
  },
];

/**
 * Every kernel migration in the order the panel runs them: its own, its modules', then the list
 * indexes (over tables the modules make). The panel and the offline CLI use this one list, so a
 * store the panel migrated is never "ahead of the code" for the CLI.
 */
export function allKernelMigrations(modules: { migrations: Migration[] }[]): Migration[] {
  return [...kernelMigrations, ...modules.flatMap((m) => m.migrations), ...listIndexMigrations];
}
