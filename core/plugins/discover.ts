import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PluginDefinition } from '../../sdk/plugin.js';
import { projectRoot } from '../paths.js';

/** A plugin module found on disk, loaded or with the reason it could not be. */
export interface FoundPlugin {
  dir: string;
  source: 'first-party' | 'third-party';
  def: PluginDefinition | null;
  problem: string | null;
}

/** First-party plugins live beside the kernel: `<root>/plugins`, in source and in `dist/` alike. */
export function firstPartyDir(): string {
  // Not relative to this module: built, it may sit in dist/chunks/ (scripts/pack.mjs).
  const root = projectRoot();
  const built = fileURLToPath(import.meta.url).startsWith(path.join(root, 'dist') + path.sep);
  return path.join(root, ...(built ? ['dist', 'plugins'] : ['plugins']));
}

function entryOf(dir: string): string | null {
  const pkg = path.join(dir, 'package.json');
  if (existsSync(pkg)) {
    try {
      const main = JSON.parse(readFileSync(pkg, 'utf8')).main;
      if (typeof main === 'string' && existsSync(path.join(dir, main))) return path.join(dir, main);
    } catch {
      return null;
    }
  }
  for (const name of ['index.js', 'index.ts', 'dist/index.js'])
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  return null;
}

/** Import every plugin folder under `root`; a folder whose module fails to load is reported, not thrown. */
export async function discoverPlugins(
  root: string,
  source: FoundPlugin['source'],
  only?: string[],
): Promise<FoundPlugin[]> {
  if (!root || !existsSync(root)) return [];
  const found: FoundPlugin[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = path.join(root, name);
    if (!statSync(dir).isDirectory() || name.startsWith('.') || name === 'node_modules') continue;
    if (only && !only.includes(name)) continue;
    const entry = entryOf(dir);
    if (!entry) continue;
    try {
      const mod = await import(pathToFileURL(entry).href);
      const def = (mod.default ?? mod.plugin) as PluginDefinition | undefined;
      if (!def || typeof def !== 'object' || typeof def.start !== 'function')
        found.push({
          dir,
          source,
          def: null,
          problem: `${name}: module has no default export made with definePlugin()`,
        });
      else found.push({ dir, source, def, problem: null });
    } catch (e) {
      found.push({
        dir,
        source,
        def: null,
        problem: `${name}: failed to load: ${(e as Error).message.split('\n')[0]}`,
      });
    }
  }
  return found;
}
