import type { Migration } from '../../sdk/database.js';

/** Kernel tables and the columns their list routes sort by (the owner filters are indexed already). */
const SORTED: Record<string, string[]> = {
  core_jobs: ['created_at', 'kind', 'plugin'],
  core_audit: ['username', 'route', 'status', 'plugin'],
  core_users: ['email', 'created_at'],
  core_api_tokens: ['name', 'created_at'],
};

/**
 * Indexes behind `sort` on the kernel's lists (`/api/jobs`, `/api/audit`, `/api/resellers`,
 * `/api/tokens`). Named to run after every module's own tables exist; a table of a module this
 * panel does not load is skipped.
 */
export const listIndexMigrations: Migration[] = [
  {
    name: '090_list_indexes',
    async up(db) {
      for (const [table, columns] of Object.entries(SORTED)) {
        if (!(await db.schema.hasTable(table))) continue;
        await db.schema.alterTable(table, (t) => {
          for (const column of columns) t.index([column]);
        });
      }
    },
  },
];
