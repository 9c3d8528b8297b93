// Compiled plugin folders whose source folder is gone: a deleted plugin's server code and pages
// would otherwise stay in dist/ (tsc never removes outputs), and the built panel would still load
// and serve them. The build removes them, and counts dist/ as out of date while any is there.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** Ids of the folders in `<root>/dist/plugins` without a `<root>/plugins/<id>` source folder. */
export function stalePlugins(root) {
  const out = path.join(root, 'dist', 'plugins');
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .filter((id) => statSync(path.join(out, id)).isDirectory() && !existsSync(path.join(root, 'plugins', id)))
    .sort();
}

/** Remove them; returns the ids removed. */
export function removeStalePlugins(root) {
  const ids = stalePlugins(root);
  for (const id of ids) rmSync(path.join(root, 'dist', 'plugins', id), { recursive: true, force: true });
  return ids;
}
