// A linux-mode panel for one test file (root): started in beforeAll, stopped in afterAll, where
// the file's throwaway users (by prefix) go too. `create` makes an account named prefix + name.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { removeLeftoverUsers } from './linux-users.js';

/** uid and gid of a system user, from /etc/passwd. */
export function systemIds(name: string): { uid: number; gid: number } {
  const f = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`))!.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

export function useLinuxPanel(prefix: string, cleanup?: () => void) {
  let h: HostingPanel | undefined;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx', mode: 'linux' });
  });
  afterAll(async () => {
    await h?.stop();
    removeLeftoverUsers(prefix);
    cleanup?.();
  });
  const panel = () => h!.panel;
  return {
    panel,
    async create(name: string): Promise<any> {
      const res = await panel().request('POST', '/api/accounts', { body: accountBody({ username: `${prefix}${name}`, domain: `${prefix}${name}.test` }) });
      expect(res.status).toBe(200);
      return res.body.data;
    },
  };
}
