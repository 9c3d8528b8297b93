import type { Migration } from '../../sdk/index.js';

/** Tables: targets made through the API, schedules, their runs, accounts ever backed up, targets' last tests. */
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
  {
    name: '002_archive_owners',
    async up(db, t) {
      // Archives belong to the account (id and never-reused identity) that made them, not to a username.
      await db.schema.alterTable(t('accounts'), (c) => {
        c.string('identity', 32).nullable();
      });
      await db.schema.createTable(t('archives'), (c) => {
        c.string('target', 40).notNullable();
        c.string('filename', 80).notNullable();
        c.integer('account_id').notNullable().index();
        c.string('identity', 32).nullable();
        c.string('created_at', 40).notNullable();
        c.primary(['target', 'filename']);
      });
      // Older archives are matched by account id where the panel recorded who made them: scheduled runs.
      const made = await db(`${t('runs')} as r`)
        .join(`${t('schedules')} as s`, 's.id', 'r.schedule_id')
        .where('r.state', 'succeeded')
        .whereNotNull('r.filename')
        .select('r.account_id', 'r.filename', 's.target', 'r.finished_at');
      for (const m of made) {
        const row = {
          target: m.target,
          filename: m.filename,
          account_id: m.account_id,
          identity: null,
          created_at: m.finished_at ?? '',
        };
        await db(t('archives')).insert(row).onConflict(['target', 'filename']).ignore();
      }
    },
  },
  {
    name: '003_target_tests',
    async up(db, t) {
      // The last "test connection" of each target (any source: built-in and config-file ones too).
      await db.schema.createTable(t('target_tests'), (c) => {
        c.string('target', 40).primary();
        c.string('tested_at', 40).notNullable();
        c.boolean('ok').notNullable();
        c.text('error').nullable();
      });
    },
  },
];
