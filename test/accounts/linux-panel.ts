// A linux-mode panel for one test file (root): started in beforeAll, stopped in afterAll, where
// the file's throwaway users (by prefix) go too. `create` makes an account named prefix + name.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import type { TestPanel } from '../../sdk/testing/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { removeLeftoverUsers } from './linux-users.js';

/** uid and gid of a system user, from /etc/passwd. */
export function systemIds(name: string): { uid: number; gid: number } {
  const f = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))!
    .split(':');
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
  // After a long idle spell (tens of thousands of files being made), the client may write the
  // next request on a keep-alive socket the server has just closed; the server never saw it, so
  // it is sent once more on a fresh one.
  const request: TestPanel['request'] = async (...args) => {
    try {
      return await panel().request(...args);
    } catch (e) {
      const code = ((e as Error).cause as { code?: string } | undefined)?.code;
      if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw e;
      return panel().request(...args);
    }
  };
  return {
    request,
    /** The port the file's private nginx serves on. */
    nginxPort: () => h!.nginx!.port,
    async create(name: string): Promise<any> {
      const res = await request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}${name}`, domain: `${prefix}${name}.test` }),
      });
      expect(res.status).toBe(200);
      return res.body.data;
    },
  };
}
