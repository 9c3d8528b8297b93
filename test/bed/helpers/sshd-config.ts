// Shells need an sshd configuration that includes the panel's Match file; tests that set shells
// without logging in write one (with its own host key) and run no sshd.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Write `dir/sshd_config` (including `dir/velopanel.conf`) and answer the access plugin's settings for it. */
export function accessWithoutSshd(dir: string): { sshd_config: string; match_file: string; sshd_pid_file: string } {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host')]);
  const match = path.join(dir, 'velopanel.conf');
  writeFileSync(path.join(dir, 'sshd_config'), `HostKey ${path.join(dir, 'host')}\nInclude ${match}\n`);
  return {
    sshd_config: path.join(dir, 'sshd_config'),
    match_file: match,
    sshd_pid_file: path.join(dir, 'none.pid'),
  };
}
