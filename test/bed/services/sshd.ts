// Private OpenSSH sshd for SFTP and shell logins: own host key and port, internal-sftp, PAM as on
// Debian (so an account's lock and expiry are judged as on a real host, and a user without a
// password still logs in with a key), and only throwaway `vpt*` accounts may log in (one is made
// here, with both a key and a password). Its last line includes the access plugin's managed Match
// file (empty at first); reload: SIGHUP.
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Running, SshdInfo } from '../types.js';
import { createThrowawayUser } from '../users.js';
import {
  bedTempDir,
  canConnect,
  freePort,
  isRoot,
  randomSecret,
  removeDir,
  run,
  startDaemon,
  stopDaemon,
  waitReady,
} from '../proc.js';

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
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

export async function startSshd(): Promise<Running<SshdInfo>> {
  if (!isRoot) throw new Error('sshd needs root (it must switch to the test account)');
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = bedTempDir('sshd');
  const password = randomSecret();
  const user = await createThrowawayUser({ password }).catch((e: Error) => {
    removeDir(dir);
    throw e;
  });
  const cleanup = async () => {
    await user.remove();
    removeDir(dir);
  };
  try {
    const port = await freePort();
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
    await run(SSHD_BIN, ['-t', '-f', cfg]);
    const d = startDaemon(SSHD_BIN, ['-D', '-e', '-f', cfg], join(dir, 'sshd.log'));
    const stop = async () => {
      await stopDaemon(d, 'SIGTERM', [port], 5_000);
      await cleanup();
    };
    try {
      await waitReady(d, 'sshd port', () => canConnect(port));
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
