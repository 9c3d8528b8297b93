import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The environment `npm start` and the systemd unit give the panel (config/runtime.env), so a
 * benchmark measures the process as it runs in production.
 */
export function panelRuntimeEnv(root: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path.join(root, 'config/runtime.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}
