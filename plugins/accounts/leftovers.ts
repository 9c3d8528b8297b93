import { closeSync, constants, existsSync, fchmodSync, fstatSync, openSync } from 'node:fs';
import type { ExecService } from '../../sdk/index.js';

/** World-writable places where a tenant leaves files outside its home. */
export const SHARED_TMP_DIRS = ['/tmp', '/var/tmp', '/dev/shm'];

/**
 * Root's last pass on a file that still carries a setuid/setgid bit: opened without following a
 * final link and checked by descriptor to belong to the account, so a name another tenant swapped
 * meanwhile changes nothing of anyone else's.
 */
function dropSetId(file: string, uid: number): void {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return; // gone, or a link: nothing to neutralise here
  }
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.uid === uid && st.mode & 0o6000) fchmodSync(fd, st.mode & 0o1777);
  } finally {
    closeSync(fd);
  }
}

/**
 * Remove what an account (whose processes are already stopped) left in the shared temporary
 * directories, so nothing of it outlives the account. Runs as the account itself first — the
 * kernel then refuses anything it could not have done itself, links are never followed
 * (`find -P`), and nothing crosses into another filesystem (`-xdev`): setuid/setgid bits off its
 * own files, then its files and directories deleted. What it could not delete (a file of its own
 * inside another tenant's directory) loses any setuid/setgid bit by root's descriptor-checked
 * pass. Returns the paths of the account's that remain.
 */
export async function removeSharedTmpFiles(
  exec: ExecService,
  uid: number,
  gid: number | null,
  dirs = SHARED_TMP_DIRS,
): Promise<string[]> {
  const roots = dirs.filter((d) => existsSync(d));
  if (!roots.length) return [];
  const asAccount = { uid, gid: gid ?? uid, cwd: '/', allowFailure: true, timeoutMs: 300_000 };
  const owned = ['-mindepth', '1', '-xdev', '-uid', String(uid)];
  await exec.run(
    'find',
    ['-P', ...roots, ...owned, '-type', 'f', '-perm', '/6000', '-exec', 'chmod', 'ug-s', '--', '{}', '+'],
    asAccount,
  );
  await exec.run('find', ['-P', ...roots, '-depth', ...owned, '-delete'], asAccount);
  const left = await exec.run('find', ['-P', ...roots, ...owned, '-print0'], {
    allowFailure: true,
    timeoutMs: 300_000,
  });
  const paths = left.stdout.split('\0').filter(Boolean);
  for (const p of paths) dropSetId(p, uid);
  return paths;
}
