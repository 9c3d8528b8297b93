import { lstatSync, mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { errors, type AccountInfo, type ExecService } from '../../sdk/index.js';

const SAFE = /^[A-Za-z0-9._/-]+$/;
const RESERVED_TOP = new Set(['logs', 'tmp']);

/**
 * A requested document root, normalised and checked to lie strictly inside the account's home:
 * absolute, from a safe character set (it ends up in web-server configs), no hidden component
 * (`.ssh`, `..`), not the private `logs`/`tmp` directories. Throws a 400 naming the problem.
 */
export function resolveDocumentRoot(home: string, requested: string): string {
  if (!requested.startsWith('/')) throw errors.validation('document_root: must be an absolute path');
  if (requested.length > 1024 || !SAFE.test(requested))
    throw errors.validation("document_root: may contain only letters, digits, '.', '_', '-' and '/'");
  const parts = requested.split('/').filter(Boolean);
  if (parts.some((p) => p.startsWith('.')))
    throw errors.validation("document_root: path components may not start with '.'");
  const resolved = path.posix.join('/', ...parts);
  if (!resolved.startsWith(home + '/'))
    throw errors.validation(`document_root: must be inside the account's home (${home})`);
  const rel = resolved.slice(home.length + 1).split('/');
  if (RESERVED_TOP.has(rel[0]!)) throw errors.validation(`document_root: ${home}/${rel[0]} is private to the account`);
  return resolved;
}

/**
 * Make sure the document root exists as a real directory inside the home. Existing components are
 * checked one by one without following links (a tenant may have planted a symlink); missing ones
 * are created — in linux mode by `mkdir` running as the account, so the kernel refuses anything
 * the check missed. Returns the directories it created (deepest last) for {@link removeCreated}.
 */
export async function ensureDocumentRoot(account: AccountInfo, root: string, exec: ExecService): Promise<string[]> {
  const home = lstatOrNull(account.home_dir);
  if (!home || home.isSymbolicLink() || !home.isDirectory())
    throw errors.conflict(`The home directory ${account.home_dir} does not exist`);
  const created: string[] = [];
  let dir = account.home_dir;
  for (const part of root.slice(account.home_dir.length + 1).split('/')) {
    dir = path.join(dir, part);
    const st = lstatOrNull(dir);
    if (st?.isSymbolicLink()) throw errors.validation(`document_root: ${dir} is a symbolic link`);
    if (st && !st.isDirectory()) throw errors.validation(`document_root: ${dir} is not a directory`);
    if (st) continue;
    try {
      if (account.uid !== null)
        await exec.run('mkdir', ['-m', '755', '--', dir], { uid: account.uid, gid: account.gid ?? account.uid });
      else mkdirSync(dir, { mode: 0o755 });
    } catch (e) {
      removeCreated(created);
      throw e;
    }
    created.push(dir);
  }
  return created;
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/** Remove directories {@link ensureDocumentRoot} created, if still empty (undo of a failed create). */
export function removeCreated(dirs: string[]): void {
  for (const dir of [...dirs].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}
