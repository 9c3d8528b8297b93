// One SSH connection to the bed's sshd for the access tests: run a command, or talk SFTP.
import { Client, type SFTPWrapper } from 'ssh2';
import { sftpOptions, type SftpLogin } from '../../../test/bed/helpers/sftp.js';
import type { SshdInfo } from '../../../test/bed/types.js';

/** Connect (host key pinned); rejects when the login is refused. */
export function connect(info: SshdInfo, login: SftpLogin): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => resolve(c));
    c.once('error', reject);
    c.connect({ ...sftpOptions(info, login), tryKeyboard: false });
  });
}

/** Run a command; what it printed and its exit code (null when the session ended without one). */
export async function sshExec(
  info: SshdInfo,
  login: SftpLogin,
  command: string,
): Promise<{ stdout: string; code: number | null }> {
  const c = await connect(info, login);
  try {
    return await new Promise((resolve, reject) => {
      c.exec(command, (err, stream) => {
        if (err) return reject(err);
        let stdout = '';
        let code: number | null = null;
        stream.on('data', (d: Buffer) => {
          stdout += d.toString('latin1');
        });
        stream.stderr.on('data', () => undefined);
        stream.on('exit', (n: number | null) => {
          code = n;
        });
        stream.on('close', () => resolve({ stdout, code }));
      });
    });
  } finally {
    c.end();
  }
}

/** Whether the login is accepted at all. */
export async function canLogin(info: SshdInfo, login: SftpLogin): Promise<boolean> {
  try {
    (await connect(info, login)).end();
    return true;
  } catch {
    return false;
  }
}

/** Open an SFTP session and run fn on it. */
export async function withSftpSession<T>(
  info: SshdInfo,
  login: SftpLogin,
  fn: (sftp: SFTPWrapper) => Promise<T>,
): Promise<T> {
  const c = await connect(info, login);
  try {
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => c.sftp((e, s) => (e ? reject(e) : resolve(s))));
    return await fn(sftp);
  } finally {
    c.end();
  }
}

/** Poll until `check` is true (sshd applies a reload a moment after SIGHUP); false at the deadline. */
export async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
