import path from 'node:path';
import type { PanelConfig } from './config/schema.js';
import { sqliteFile, sqliteFiles } from './db/database.js';
import type { PrivateFile } from './file-modes.js';
import { DEFAULT_LICENCE_FILE } from './licence/module.js';

/**
 * The kernel's own files that hold secrets, all 0600: the embedded store (password hashes, API
 * token hashes, plugin rows) with its journals, the generated JWT secret, the panel key (sealed
 * two-factor secrets), the setup code and the licence file in the data dir. Plugins repair the files they own themselves.
 */
export function kernelPrivateFiles(c: PanelConfig): PrivateFile[] {
  const store = sqliteFile(c.database_url, c.data_dir);
  const inData = ['jwt_secret', 'panel_key', 'setup-code', ...(c.license_key_path ? [] : [DEFAULT_LICENCE_FILE])].map(
    (n) => path.join(c.data_dir, n),
  );
  return [...(store ? sqliteFiles(store) : []), ...inData].map((p) => ({ path: p, mode: 0o600 }));
}
