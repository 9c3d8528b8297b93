import { closeSync, constants, fchmodSync, fchownSync, lstatSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errors, loadTemplate } from '../../sdk/index.js';

/** Where and as whom a home is made. `uid` null: local mode (no ownership changes). */
export interface HomeOwner {
  uid: number | null;
  gid: number | null;
  /** gid of the web server's group (may enter the home and read public_html). */
  webGid: number | null;
}

/** The home directory of a username under the base (the username was validated). */
export function homeFor(homeBase: string, username: string): string {
  return path.join(homeBase, username);
}

/** lstat, or null when nothing is there. */
export function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/** Refuse to create a home over something already there (it may belong to someone else). */
export function assertHomeFree(home: string): void {
  if (lstatOrNull(home)) throw errors.conflict(`Home directory ${home} already exists`);
}

// Linux modes: public_html 2750 so new files inherit the web group; logs 0750 and tmp 0700 private.
const SKELETON: [name: string, linuxMode: number, localMode: number][] = [
  ['public_html', 0o2750, 0o755],
  ['logs', 0o750, 0o755],
  ['tmp', 0o700, 0o755],
];

/**
 * Set owner and mode through a descriptor opened without following links, so a name a tenant
 * swapped for a symlink fails (ELOOP) instead of handing root's chmod to the link's target.
 */
function own(p: string, mode: number, owner: HomeOwner, gid: number | null): void {
  const fd = openSync(p, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (owner.uid !== null) fchownSync(fd, owner.uid, gid ?? owner.gid!);
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

/**
 * Make the skeleton directories missing from a home (and the default index page in a new
 * `public_html`); existing entries are left as they are. Files are created through
 * `/proc/self/fd/<dir>` of a directory opened without following links, never by a path a tenant
 * could redirect. Returns the names it created.
 */
function makeSkeleton(home: string, domain: string, owner: HomeOwner, templatesDir: string): string[] {
  const linux = owner.uid !== null;
  const made: string[] = [];
  for (const [name, linuxMode, localMode] of SKELETON) {
    const p = path.join(home, name);
    if (lstatOrNull(p)) continue;
    mkdirSync(p, { mode: 0o700 });
    made.push(name);
    own(p, linux ? linuxMode : localMode, owner, name === 'public_html' ? owner.webGid : owner.gid);
    if (name !== 'public_html') continue;
    const dir = openSync(p, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    try {
      const index = `/proc/self/fd/${dir}/index.html`;
      writeFileSync(index, loadTemplate(templatesDir, 'pages/index.html').render({ domain }), {
        mode: 0o644,
        flag: 'wx',
      });
      own(index, 0o644, owner, owner.webGid);
    } finally {
      closeSync(dir);
    }
  }
  return made;
}

/**
 * Create the home and its skeleton: `public_html` (with the default index page), `logs`, `tmp`.
 * Linux modes: home 0750 owner:webgroup so the web server can enter but other tenants cannot.
 */
export function createHome(
  home: string,
  domain: string,
  owner: HomeOwner,
  templatesDir: string,
  premade = false,
): void {
  mkdirSync(path.dirname(home), { recursive: true, mode: 0o755 });
  if (!premade) mkdirSync(home, { mode: 0o700 }); // premade: a btrfs subvolume the disk quota made (limits.ts)
  makeSkeleton(home, domain, owner, templatesDir);
  // The home itself last: until now nobody but root could enter it.
  own(home, owner.uid !== null ? 0o750 : 0o755, owner, owner.webGid);
}

/**
 * Start-up repair: a missing home is created again with its skeleton; in an existing home only
 * missing skeleton directories are added. Returns what was made (empty: nothing was missing).
 */
export function repairHome(home: string, domain: string, owner: HomeOwner, templatesDir: string): string[] {
  const st = lstatOrNull(home);
  if (!st) {
    createHome(home, domain, owner, templatesDir);
    return ['home'];
  }
  if (st.isSymbolicLink() || !st.isDirectory()) throw new Error(`${home} is not a directory`);
  return makeSkeleton(home, domain, owner, templatesDir);
}
