import type Pg from 'pg';
import pgUtils from 'pg/lib/utils.js';

/** The driver's own quoting (libpq's rules), without loading the whole driver. */
export const { escapeIdentifier, escapeLiteral } = pgUtils;

let loading: Promise<typeof Pg> | null = null;

/** The pg driver, imported on the first connection rather than at panel start. */
export function pgDriver(): Promise<typeof Pg> {
  return (loading ??= import('pg').then((m) => m.default));
}
