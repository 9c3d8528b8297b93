// A kill during `POST /api/domains` (between the fragment swap and the main file's, or before the
// main file's old copy is dropped): after the restart the row, `vhosts/<d>.toml` and the main
// VeloServe file agree, and no `.vp-old`/`.vp-new` is left. A main file that lost a host (however)
// is written again by `POST /api/veloserve/regenerate`, which counts it as changed.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountBody, waitReconciled } from '../webserver/helpers.js';
import { crashBed } from './bed.js';
import { childReconciled, killAt } from './kill-panel.js';

describe('a kill during POST /api/domains', () => {
  const bed = crashBed();
  const { restart } = bed;
  const main = () => path.join(bed.dataDir, 'veloserve', 'veloserve.toml');
  const hosts = () => [...readFileSync(main(), 'utf8').matchAll(/^domain = "([^"]+)"/gm)].map((m) => m[1]);
  beforeAll(async () => {
    const first = await restart();
    expect(
      (
        await first.panel.request('POST', '/api/accounts', {
          body: accountBody({ username: 'crash', domain: 'crash.test' }),
        })
      ).status,
    ).toBe(200);
    await first.stop();
  });

  it.each([
    ['veloserve.apply.fragments-swapped', 'one.crash.test'],
    ['veloserve.apply.main-swapped', 'two.crash.test'],
  ])('at %s: after the restart the row, the fragment and the main file agree', async (point, domain) => {
    await killAt(point, bed.options(), async (child) => {
      await childReconciled(child);
      expect(
        await child.request('POST', '/api/domains', { account_id: 1, domain_name: domain, domain_type: 'subdomain' }),
      ).toBeNull();
    });
    const after = await restart();
    try {
      const report = await waitReconciled(after.panel);
      const rows = (await after.panel.request('GET', '/api/domains')).body.data.map((d: any) => d.domain_name);
      expect(rows).toContain(domain);
      expect(existsSync(path.join(bed.dataDir, 'veloserve', 'vhosts', `${domain}.toml`))).toBe(true);
      expect(hosts()).toContain(domain);
      expect(report.vhosts.rewritten).toContain(`${domain}.toml`);
      expect(readdirSync(path.dirname(main())).filter((f) => f.includes('.vp-'))).toEqual([]);
      // Nothing left to do: a regenerate finds the main file in line.
      expect((await after.panel.request('POST', '/api/veloserve/regenerate')).body.data).toMatchObject({
        changed: 0,
        removed: 0,
      });
    } finally {
      await after.stop();
    }
  });

  it('regenerate writes again a host the main file lost, and one it holds without a row goes', async () => {
    const h = await restart();
    try {
      const text = readFileSync(main(), 'utf8');
      const lost = text.replace(
        /\n# Managed by VeloPanel: crash\.test [\s\S]*?(?=\n# Managed by VeloPanel|\n# <<<)/,
        '',
      );
      expect(lost).not.toBe(text);
      const ghost = lost.replace(
        '# <<< VeloPanel',
        '\n# Managed by VeloPanel: ghost.test (account crash)\n[[virtualhost]]\ndomain = "ghost.test"\nroot = "/tmp"\n# <<< VeloPanel',
      );
      writeFileSync(main(), ghost);
      expect(hosts()).not.toContain('crash.test');
      const res = (await h.panel.request('POST', '/api/veloserve/regenerate')).body.data;
      expect(res).toMatchObject({ changed: 1, removed: 1 });
      expect(hosts()).toContain('crash.test');
      expect(hosts()).not.toContain('ghost.test');
      expect(readFileSync(main(), 'utf8')).toBe(text);
    } finally {
      await h.stop();
    }
  });
});
