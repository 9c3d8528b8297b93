import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where the UI's files are: hand-written ones (HTML, CSS, icons) and the compiled client. */
export interface UiAssets {
  publicDir: string;
  clientDir: string;
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

/**
 * Locate and fingerprint the UI. The compiled client lives in `dist/plugins/ui/client` whether
 * the panel runs from `dist/` (`npm start`) or from source (tests), since the TypeScript build
 * writes it there; `[plugins.ui] client_dir` points elsewhere (tests compile into a temp dir).
 */
export function loadUiAssets(projectRoot: string, clientDirOverride?: string): UiAssets {
  const publicDir = path.join(projectRoot, 'plugins', 'ui', 'public');
  const clientDir = clientDirOverride ?? path.join(projectRoot, 'dist', 'plugins', 'ui', 'client');
  const hash = createHash('sha256');
  for (const [tag, dir] of [
    ['p', publicDir],
    ['c', clientDir],
  ] as const) {
    for (const rel of files(dir)) {
      if (tag === 'c' && !rel.endsWith('.js')) continue;
      hash.update(`${tag}:${rel}:${statSync(path.join(dir, rel)).size}\n`).update(readFileSync(path.join(dir, rel)));
    }
  }
  const build = hash.digest('hex').slice(0, 12);
  const indexHtml = readFileSync(path.join(publicDir, 'index.html'), 'utf8').replaceAll('{{ASSETS}}', `/ui/${build}`);
  return { publicDir, clientDir, build, indexHtml, clientBuilt: existsSync(path.join(clientDir, 'main.js')) };
}
