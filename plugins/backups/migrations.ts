import type { Migration } from '../../sdk/index.js';

/** Tables: targets made through the API, schedules, their runs, and accounts ever backed up. */
export const migrations: Migration[] = [
  {
    name: '001_backups',
    async up(db, t) {
      await db.schema.createTable(t('targets'), (c) => {
        c.string('id', 40).primary();
        c.string('kind', 64).notNullable();
        c.string('scope', 16).notNullable();
        c.integer('owner_id').nullable();
        c.text('config').notNullable();
        c.text('secrets').notNullable();
        c.string('created_at', 40).notNullable();
      });
      await db.schema.createTable(t('schedules'), (c) => {
        c.increments('id');
        c.integer('account_id').nullable();
        c.string('frequency', 8).notNullable();
        c.integer('weekday').nullable();
        c.string('time', 5).notNullable();
        c.string('target', 40).notNullable();
        c.integer('keep_count').notNullable();
        c.integer('keep_days').notNullable();
        c.boolean('enabled').notNullable();
        c.integer('created_by').nullable();
        c.string('created_at', 40).notNullable();
        c.string('last_run_at', 40).nullable();
        c.string('last_status', 16).nullable();
        c.text('last_error').nullable();
      });
      await db.schema.createTable(t('runs'), (c) => {
        c.increments('id');
        c.integer('schedule_id').notNullable().index();
        c.integer('account_id').notNullable();
        c.string('job_id', 40).nullable();
        c.string('state', 16).notNullable();
        c.string('filename', 80).nullable();
        c.text('error').nullable();
        c.string('started_at', 40).notNullable();
        c.string('finished_at', 40).nullable();
      });
      await db.schema.createTable(t('accounts'), (c) => {
        c.integer('account_id').primary();
        c.string('username', 32).notNullable();
        c.integer('reseller_id').nullable();
        c.string('updated_at', 40).notNullable();
      });
    },
  },
];
