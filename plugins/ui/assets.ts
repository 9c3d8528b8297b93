import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where the UI's files are: hand-written ones (HTML, CSS, icons) and the compiled client. */
export interface UiAssets {
  publicDir: string;
  clientDir: string;
  /** Root of the compiled plugin folders (`<root>/ui/client` is the shell, `<root>/<id>/ui` a plugin's pages). */
  clientRoot: string;
  /** Plugins whose pages this build has (`<clientRoot>/<id>/ui/pages.js`), by id. */
  pagePlugins: string[];
  /** Content hash of both folders; versioned URLs `/ui/<build>/…` are cached for a year. */
  build: string;
  /** index.html with the versioned asset base filled in. */
  indexHtml: string;
  /** False when the client has not been compiled (`npm run build`). */
  clientBuilt: boolean;
}

function files(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const rel = prefix + e.name;
      if (e.isDirectory()) return files(path.join(dir, e.name), rel + '/');
      return e.isFile() ? [rel] : [];
    });
}

/** Plugins with compiled pages beside the client: a deleted plugin folder has none. */
function findPagePlugins(clientRoot: string): string[] {
  if (!existsSync(clientRoot)) return [];
  return readdirSync(clientRoot, { withFileTypes: true })
    .filter(
      (e) =>
        e.isDirectory() &&
        e.name !== 'ui' &&
        /^[a-z][a-z0-9-]*$/.test(e.name) &&
        existsSync(path.join(clientRoot, e.name, 'ui', 'pages.js')),
    )
    .map((e) => e.name)
    .sort();
}

/**
 * Locate and fingerprint the UI. The compiled client lives in `dist/plugins/ui/client` whether
 * the panel runs from `dist/` (`npm start`) or from source (tests), since the TypeScript build
 * writes it there; `[plugins.ui] client_dir` points elsewhere (tests compile into a temp dir).
 * Plugins' pages are compiled beside it, two levels up: `dist/plugins/<id>/ui/`.
 */
export function loadUiAssets(projectRoot: string, clientDirOverride?: string): UiAssets {
  const publicDir = path.join(projectRoot, 'plugins', 'ui', 'public');
  const clientDir = clientDirOverride ?? path.join(projectRoot, 'dist', 'plugins', 'ui', 'client');
  const clientRoot = path.resolve(clientDir, '..', '..');
  const pagePlugins = findPagePlugins(clientRoot);
  const hash = createHash('sha256');
  const dirs: [string, string][] = [
    ['p', publicDir],
    ['c', clientDir],
    ...pagePlugins.map((id): [string, string] => [`c:${id}`, path.join(clientRoot, id, 'ui')]),
  ];
  for (const [tag, dir] of dirs) {
    for (const rel of files(dir)) {
      if (tag !== 'p' && !rel.endsWith('.js')) continue;
      hash.update(`${tag}:${rel}:${statSync(path.join(dir, rel)).size}\n`).update(readFileSync(path.join(dir, rel)));
    }
  }
  const build = hash.digest('hex').slice(0, 12);
  const indexHtml = readFileSync(path.join(publicDir, 'index.html'), 'utf8')
    .replaceAll('{{ASSETS}}', `/ui/${build}`)
    .replaceAll('{{PLUGIN_PAGES}}', pagePlugins.join(' '));
  return {
    publicDir,
    clientDir,
    clientRoot,
    pagePlugins,
    build,
    indexHtml,
    clientBuilt: existsSync(path.join(clientDir, 'main.js')),
  };
}
