import { readFileSync } from 'node:fs';
import type { ExecService } from '../../sdk/index.js';

/** The login shell /etc/passwd gives the user, or null. */
export function passwdShell(name: string): string | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  return line ? (line.split(':')[6] ?? '') : null;
}

/** Set the login shell (`usermod -s`, the name after `--`). */
export async function setLoginShell(exec: ExecService, name: string, shell: string): Promise<void> {
  await exec.run('usermod', ['-s', shell, '--', name], { timeoutMs: 30_000 });
}
