import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Prefixes of the directories a restore keeps beside an account's home while it swaps a restored
 * copy in, named `<prefix><username>-<suffix>`: its staging tree, then the home it replaces.
 */
export const HOME_COPY_PREFIXES = { staging: '.vp-restore-', aside: '.vp-old-' } as const;

/**
 * Directories beside `home` that hold a copy of it (a restore's staging tree or the home it
 * replaced). A start-up repair that finds a home missing must not make it again empty over them:
 * the backups plugin puts the right copy back in place at its start.
 *
 * @example
 * ```ts
 * if (!existsSync(home) && homeCopiesBeside(home, username).length) report('missing; a copy sits beside it');
 * ```
 */
export function homeCopiesBeside(home: string, username: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path.dirname(home));
  } catch {
    return [];
  }
  const mine = Object.values(HOME_COPY_PREFIXES).map((p) => `${p}${username}-`);
  return names
    .filter((n) => mine.some((p) => n.startsWith(p)))
    .sort()
    .map((n) => path.join(path.dirname(home), n));
}
