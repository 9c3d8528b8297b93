// SFTP sessions against the bed's sshd (ssh2-sftp-client), host key pinned to the bed's key.
//
//   await withSftp(bed.sshd, async (sftp) => { await sftp.put(Buffer.from('x'), 'x.txt'); });
import SftpClient, { type ConnectOptions } from 'ssh2-sftp-client';
import type { SshdInfo } from '../types.js';

export interface SftpLogin {
  /** defaults to the bed's own account (key login) */
  username?: string;
  password?: string;
  privateKey?: string;
}

/** ssh2 options for the bed's sshd; `hostVerifier` accepts only the bed's host key. */
export function sftpOptions(info: SshdInfo, login: SftpLogin = {}): ConnectOptions {
  const expected = Buffer.from(info.hostKey.split(' ')[1] ?? '', 'base64');
  const auth =
    login.password !== undefined || login.privateKey !== undefined
      ? { password: login.password, privateKey: login.privateKey }
      : { privateKey: info.privateKey };
  return {
    host: info.host,
    port: info.port,
    username: login.username ?? info.username,
    ...auth,
    readyTimeout: 10_000,
    hostVerifier: (key: Buffer) => key.equals(expected),
  };
}

export async function openSftp(info: SshdInfo, login?: SftpLogin): Promise<SftpClient> {
  // without callbacks the client console.logs every end/close of a session
  const quiet = () => undefined;
  const client = new SftpClient('velopanel-bed', { error: quiet, end: quiet, close: quiet });
  await client.connect(sftpOptions(info, login));
  return client;
}

/** Opens a session, runs fn, always ends the session. */
export async function withSftp<T>(info: SshdInfo, fn: (sftp: SftpClient) => Promise<T>, login?: SftpLogin): Promise<T> {
  const client = await openSftp(info, login);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
