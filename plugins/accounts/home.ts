import { constants, lstatSync } from 'node:fs';
import { lstat, mkdir, open, writeFile } from 'node:fs/promises';
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
async function own(p: string, mode: number, owner: HomeOwner, gid: number | null): Promise<void> {
  const fh = await open(p, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (owner.uid !== null) await fh.chown(owner.uid, gid ?? owner.gid!);
    await fh.chmod(mode);
  } finally {
    await fh.close();
  }
}

/** Whether anything (a link included) is at `p`. */
async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Make the skeleton directories missing from a home (and the default index page in a new
 * `public_html`); existing entries are left as they are. Files are created through
 * `/proc/self/fd/<dir>` of a directory opened without following links, never by a path a tenant
 * could redirect. Returns the names it created. Asynchronous file calls: a create's dozen of them
 * no longer hold up every other request while the disk is busy.
 */
async function makeSkeleton(home: string, domain: string, owner: HomeOwner, templatesDir: string): Promise<string[]> {
  const linux = owner.uid !== null;
  const made: string[] = [];
  for (const [name, linuxMode, localMode] of SKELETON) {
    const p = path.join(home, name);
    if (await exists(p)) continue;
    await mkdir(p, { mode: 0o700 });
    made.push(name);
    await own(p, linux ? linuxMode : localMode, owner, name === 'public_html' ? owner.webGid : owner.gid);
    if (name !== 'public_html') continue;
    const dir = await open(p, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    try {
      const index = `/proc/self/fd/${dir.fd}/index.html`;
      await writeFile(index, loadTemplate(templatesDir, 'pages/index.html').render({ domain }), {
        mode: 0o644,
        flag: 'wx',
      });
      await own(index, 0o644, owner, owner.webGid);
    } finally {
      await dir.close();
    }
  }
  return made;
}

/**
 * Create the home and its skeleton: `public_html` (with the default index page), `logs`, `tmp`.
 * Linux modes: home 0750 owner:webgroup so the web server can enter but other tenants cannot.
 */
export async function createHome(
  home: string,
  domain: string,
  owner: HomeOwner,
  templatesDir: string,
  premade = false,
): Promise<void> {
  await mkdir(path.dirname(home), { recursive: true, mode: 0o755 });
  if (!premade) await mkdir(home, { mode: 0o700 }); // premade: a btrfs subvolume the disk quota made (limits.ts)
  await makeSkeleton(home, domain, owner, templatesDir);
  // The home itself last: until now nobody but root could enter it.
  await own(home, owner.uid !== null ? 0o750 : 0o755, owner, owner.webGid);
}

/**
 * Whether a home is there with every skeleton entry (synchronous lstat calls, no writes): the
 * start-up check of 10,000 homes, where {@link repairHome} runs only for a home that fails it.
 */
export function homeLooksComplete(home: string): boolean {
  const st = lstatOrNull(home);
  return Boolean(st?.isDirectory()) && SKELETON.every(([name]) => lstatOrNull(path.join(home, name)) !== null);
}

/**
 * Start-up repair: a missing home is created again with its skeleton; in an existing home only
 * missing skeleton directories are added. Returns what was made (empty: nothing was missing).
 */
export async function repairHome(
  home: string,
  domain: string,
  owner: HomeOwner,
  templatesDir: string,
): Promise<string[]> {
  const st = lstatOrNull(home);
  if (!st) {
    await createHome(home, domain, owner, templatesDir);
    return ['home'];
  }
  if (st.isSymbolicLink() || !st.isDirectory()) throw new Error(`${home} is not a directory`);
  return makeSkeleton(home, domain, owner, templatesDir);
}
