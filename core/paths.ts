import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The project's root (where its package.json is), the same from source and from `dist/`. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'velopanel') return (cached = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the VeloPanel project root');
    dir = up;
  }
}

/** The panel's version from package.json. */
export function panelVersion(): string {
  return JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')).version;
}
