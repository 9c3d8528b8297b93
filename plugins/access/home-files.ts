import { closeSync, constants, fchmodSync, fchownSync, fstatSync, openSync } from 'node:fs';
import { errors, type AccountInfo, type ExecService } from '../../sdk/index.js';

// Runs as the account (uid/gid set by spawn, no supplementary groups): it can only ever write
// where the account itself may. `.ssh` and the file are still opened without following links, so
// a `.ssh` the tenant pointed elsewhere (say into public_html) is refused rather than written.
// Exit 3: `.ssh` is not a plain directory of the account's own.
const WRITER = `
const fs = require('fs'), c = fs.constants;
const fail = (m) => { process.stderr.write(m); process.exit(3); };
const data = fs.readFileSync(0);
const home = fs.openSync(process.argv[1], c.O_RDONLY | c.O_DIRECTORY | c.O_NOFOLLOW);
const ssh = '/proc/self/fd/' + home + '/.ssh';
try { fs.mkdirSync(ssh, 0o700); } catch (e) { if (e.code !== 'EEXIST') throw e; }
let dir;
try { dir = fs.openSync(ssh, c.O_RDONLY | c.O_DIRECTORY | c.O_NOFOLLOW); } catch (e) { fail('.ssh: ' + e.code); }
if (fs.fstatSync(dir).uid !== process.getuid()) fail('.ssh: not owned by the account');
fs.fchmodSync(dir, 0o700);
const base = '/proc/self/fd/' + dir + '/';
try { fs.unlinkSync(base + '.authorized_keys.velopanel'); } catch {}
const fd = fs.openSync(base + '.authorized_keys.velopanel', c.O_WRONLY | c.O_CREAT | c.O_EXCL | c.O_NOFOLLOW, 0o600);
fs.writeSync(fd, data); fs.fsyncSync(fd); fs.closeSync(fd);
try { if (fs.lstatSync(base + 'authorized_keys').isDirectory()) fail('.ssh/authorized_keys: is a directory'); } catch (e) { if (e.code !== 'ENOENT') throw e; }
fs.renameSync(base + '.authorized_keys.velopanel', base + 'authorized_keys');
`;

/** The account's system identity, refused when absent or below `minUid` (never root's files). */
export function identity(account: AccountInfo, minUid: number): { uid: number; gid: number } {
  const { uid, gid } = account;
  if (uid === null || gid === null || !Number.isInteger(uid) || !Number.isInteger(gid))
    throw errors.conflict(`Account ${account.username} has no system user`);
  if (uid < minUid || gid < 1)
    throw errors.conflict(`Account ${account.username} has uid ${uid}, below the panel's minimum of ${minUid}`);
  return { uid, gid };
}

/** Replace `~/.ssh/authorized_keys` as the account (0700 directory, 0600 file, atomic rename). */
export async function writeAuthorizedKeys(
  exec: ExecService,
  account: AccountInfo,
  minUid: number,
  text: string,
): Promise<void> {
  const who = identity(account, minUid);
  const r = await exec.run(process.execPath, ['-e', WRITER, account.home_dir], {
    ...who,
    input: text,
    cwd: '/',
    allowFailure: true,
    timeoutMs: 30_000,
  });
  if (r.code === 3)
    throw errors
      .conflict(
        `~/.ssh of ${account.username} is not a directory of the account's own (a link?); remove it and try again`,
      )
      .withAdminDetail(r.stderr.trim());
  if (r.code !== 0)
    throw errors
      .externalCommand(`Could not write the SSH keys of ${account.username}`)
      .withAdminDetail(r.stderr.trim().slice(0, 500));
}

/**
 * Owner of the home itself for the shell kind. sshd only chroots into a directory owned by root
 * and writable by nobody else, so an sftp-only home becomes `root:<web group> 0751`: the web
 * server's group still enters and reads it, the account enters by the "other" bit and works in
 * its skeleton directories (its own), other tenants can pass through but list and read nothing
 * (everything in it is a 07x0 directory of the account). Any other kind: `<account>:<web group> 0750`.
 * Set through a descriptor opened without following links (the name is under the root-owned base).
 */
export function setHomeOwner(account: AccountInfo, minUid: number, chroot: boolean): void {
  const who = identity(account, minUid);
  const fd = openSync(account.home_dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    const st = fstatSync(fd);
    if (chroot) {
      if (st.uid !== 0) fchownSync(fd, 0, st.gid);
      if ((st.mode & 0o7777) !== 0o751) fchmodSync(fd, 0o751);
    } else if (st.uid === 0) {
      // Only a home this layout made root's is given back; any other is left as the accounts plugin keeps it.
      fchownSync(fd, who.uid, st.gid);
      fchmodSync(fd, 0o750);
    }
  } finally {
    closeSync(fd);
  }
}
