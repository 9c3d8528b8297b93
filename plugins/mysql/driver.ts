import type * as Mysql from 'mysql2/promise';

/** mysql2's own escaping (its sql-escaper dependency), without loading the whole driver. */
export { escape, escapeId } from 'sql-escaper';

let loading: Promise<typeof Mysql> | null = null;

/** The mysql2 driver, imported on the first connection rather than at panel start. */
export function mysqlDriver(): Promise<typeof Mysql> {
  return (loading ??= import('mysql2/promise'));
}
