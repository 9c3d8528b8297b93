import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Who a command-line tool logs in as, and how it reaches the server. */
export interface ToolLogin {
  user: string;
  password: string;
  /** Unix socket path; used when `host` is empty. */
  socket: string;
  host: string;
  port: number;
}

/**
 * A value for a MySQL option file: double-quoted (so `#`, `;` and spaces stay part of it) with
 * the escapes the option-file parser understands, so no value can start a second line or option.
 */
export function optionValue(value: string): string {
  if (value.includes('\0')) throw new Error('option value contains a NUL byte');
  const map: Record<string, string> = {
    '\\': '\\\\',
    '"': '\\"',
    "'": "\\'",
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\b': '\\b',
  };
  return `"${value.replace(/[\\"'\n\r\t\b]/g, (c) => map[c]!)}"`;
}

/** The `[client]` section giving a tool its login. */
export function renderOptionFile(login: ToolLogin): string {
  const lines = ['[client]', `user=${optionValue(login.user)}`, `password=${optionValue(login.password)}`];
  if (login.host) lines.push(`host=${optionValue(login.host)}`, `port=${login.port}`, 'protocol=TCP');
  else lines.push(`socket=${optionValue(login.socket)}`);
  return lines.join('\n') + '\n';
}

/**
 * Run `work` with the path of an option file holding the login (mode 0600 in a private 0700
 * directory), then remove it — the password reaches the tool without touching its argv.
 */
export async function withOptionFile<R>(login: ToolLogin, work: (file: string) => Promise<R>): Promise<R> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'velopanel-mysql-'));
  try {
    const file = path.join(dir, 'client.cnf');
    await writeFile(file, renderOptionFile(login), { mode: 0o600, flag: 'wx' });
    return await work(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
