// Private OpenSSH sshd for SFTP and shell logins: own host key and port, internal-sftp, PAM as on
// Debian (so an account's lock and expiry are judged as on a real host, and a user without a
// password still logs in with a key), and only throwaway `vpt*` accounts may log in (one is made
// here, with both a key and a password). Its last line includes the access plugin's managed Match
// file (empty at first); reload: SIGHUP.
import { chownSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Running, SshdInfo } from '../types.js';
import { onEmergency } from '../tracking.js';
import { createThrowawayUser } from '../users.js';
import * as proc from '../proc.js';

export const SSHD_BIN = '/usr/sbin/sshd';

function sshdConfig(dir: string, port: number, matchFile: string): string {
  return `ListenAddress 127.0.0.1:${port}
HostKey ${join(dir, 'host_ed25519')}
PidFile ${join(dir, 'sshd.pid')}
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM yes
PermitRootLogin no
AllowUsers vpt*
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
MaxStartups 100:30:200
MaxSessions 50
LogLevel VERBOSE
Subsystem sftp internal-sftp
Include ${matchFile}
`;
}

async function keygen(path: string, comment: string): Promise<void> {
  await proc.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

/**
 * `ownPam`: run sshd under its own PAM service (sshd names its PAM service after the name it runs
 * as: a symlink `sshd-vpt<hex>`), whose stack starts as a copy of /etc/pam.d/sshd and is removed
 * at stop, so a test may change it without touching the logins of the host's other sshds.
 */
export async function startSshd(opts: { ownPam?: boolean } = {}): Promise<Running<SshdInfo>> {
  if (!proc.isRoot) throw new Error('sshd needs root (it must switch to the test account)');
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = proc.bedTempDir('sshd');
  const password = proc.randomSecret();
  const user = await createThrowawayUser({ password }).catch((e: Error) => {
    proc.removeDir(dir);
    throw e;
  });
  const service = opts.ownPam ? `sshd-${user.name}` : null;
  const pamFile = service ? join('/etc/pam.d', service) : undefined;
  // a PAM stack of a killed run would stay in /etc/pam.d: an emergency stop removes it too
  const forgetPam = pamFile ? onEmergency(() => rmSync(pamFile, { force: true })) : () => undefined;
  const cleanup = async () => {
    await user.remove();
    if (pamFile) rmSync(pamFile, { force: true });
    forgetPam();
    proc.removeDir(dir);
  };
  try {
    const port = await proc.freePort();
    await Promise.all([
      keygen(join(dir, 'host_ed25519'), 'velopanel-bed-host'),
      keygen(join(dir, 'client_ed25519'), 'velopanel-bed'),
    ]);
    const publicKey = readFileSync(join(dir, 'client_ed25519.pub'), 'utf8').trim();
    const sshDir = join(user.home, '.ssh');
    mkdirSync(sshDir, { mode: 0o700 });
    writeFileSync(join(sshDir, 'authorized_keys'), `${publicKey}\n`, { mode: 0o600 });
    chownSync(sshDir, user.uid, user.gid);
    chownSync(join(sshDir, 'authorized_keys'), user.uid, user.gid);
    const cfg = join(dir, 'sshd_config');
    const matchFile = join(dir, 'velopanel-accounts.conf');
    writeFileSync(matchFile, '');
    writeFileSync(cfg, sshdConfig(dir, port, matchFile));
    await proc.run(SSHD_BIN, ['-t', '-f', cfg]);
    const bin = service ? join(dir, service) : SSHD_BIN;
    if (service && pamFile) {
      symlinkSync(SSHD_BIN, bin);
      copyFileSync('/etc/pam.d/sshd', pamFile);
    }
    const d = proc.startDaemon(bin, ['-D', '-e', '-f', cfg], join(dir, 'sshd.log'));
    const stop = async () => {
      await proc.stopDaemon(d, 'SIGTERM', [port], 5_000);
      await cleanup();
    };
    try {
      await proc.waitReady(d, 'sshd port', () => proc.canConnect(port));
      const [type, key] = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(' ');
      const info: SshdInfo = {
        host: '127.0.0.1',
        port,
        username: user.name,
        password,
        privateKeyPath: join(dir, 'client_ed25519'),
        privateKey: readFileSync(join(dir, 'client_ed25519'), 'utf8'),
        publicKey,
        hostKey: `${type} ${key}`,
        homeDir: user.home,
        pid: d.pid,
        configPath: cfg,
        matchFile,
        pidFile: join(dir, 'sshd.pid'),
        ...(pamFile ? { pamFile } : {}),
      };
      return { info, stop };
    } catch (e) {
      await stop().catch(() => undefined);
      throw e;
    }
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }
}
