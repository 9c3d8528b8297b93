import { chmodSync, lchownSync, lstatSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
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

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Refuse to create a home over something already there (it may belong to someone else). */
export function assertHomeFree(home: string): void {
  if (exists(home)) throw errors.conflict(`Home directory ${home} already exists`);
}

/**
 * Create the home and its skeleton: `public_html` (with the default index page), `logs`, `tmp`.
 * Linux modes: home 0750 owner:webgroup so the web server can enter but other tenants cannot;
 * public_html 2750 so new files inherit the web group; logs 0750 and tmp 0700 private.
 */
export function createHome(home: string, domain: string, owner: HomeOwner, templatesDir: string): void {
  mkdirSync(path.dirname(home), { recursive: true, mode: 0o755 });
  mkdirSync(home, { mode: 0o700 });
  const linux = owner.uid !== null;
  const own = (p: string, mode: number, gid: number | null) => {
    if (linux) lchownSync(p, owner.uid!, gid ?? owner.gid!);
    chmodSync(p, mode);
  };
  const dirs: [string, number, number][] = [
    ['public_html', 0o2750, 0o755],
    ['logs', 0o750, 0o755],
    ['tmp', 0o700, 0o755],
  ];
  for (const [name, linuxMode, localMode] of dirs) {
    const p = path.join(home, name);
    mkdirSync(p, { mode: 0o700 });
    own(p, linux ? linuxMode : localMode, name === 'public_html' ? owner.webGid : owner.gid);
  }
  const index = path.join(home, 'public_html', 'index.html');
  writeFileSync(index, loadTemplate(templatesDir, 'pages/index.html').render({ domain }), { mode: 0o644, flag: 'wx' });
  own(index, 0o644, owner.webGid);
  // The home itself last: until now nobody but root could enter it.
  own(home, linux ? 0o750 : 0o755, owner.webGid);
}

/**
 * Remove a home, only when it really is a directory directly under the home base (checked on
 * resolved paths, never following a link). A home that is already gone is fine.
 */
export function removeHome(homeBase: string, home: string): void {
  let st;
  try {
    st = lstatSync(home);
  } catch {
    return;
  }
  const base = realpathSync(homeBase);
  if (!st.isDirectory() || realpathSync(path.dirname(home)) !== base || path.basename(home).startsWith('.'))
    throw errors.internal(`Refusing to remove ${home}: not a home directory under ${homeBase}`);
  rmSync(home, { recursive: true, force: true });
}
