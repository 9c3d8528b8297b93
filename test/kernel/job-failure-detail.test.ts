// A job that fails with a plain Error (not a PanelError) tells its owner — a user or a reseller —
// only that it failed, in GET /api/jobs/:id, the list and the event stream; the Error's own text
// (here a path into another tenant's home) is the job's `error_detail`, which only admins read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, type PluginContext } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const SECRET = "ENOENT: no such file or directory, open '/home/othertenant/secret-dir/wp-config.php'";
let ctx: PluginContext;

const prober = definePlugin({
  manifest: { id: 'prober', version: '1.0.0', sdk: '^1.0.0' },
  start(c) {
    ctx = c;
    c.route({
      method: 'POST',
      path: '/api/prober/fail',
      access: { scope: 'jobs:read' },
      handler: async (req) => {
        const job = await c.jobs.start({ kind: 'prober.fail', ownerUserId: req.principal!.userId }, async () => {
          throw new Error(SECRET);
        });
        await c.jobs.wait(job.id);
        return job;
      },
    });
  },
});

const SAFE = 'prober.fail failed; an administrator can see why';

describe('a job failing with a plain Error', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ inline: [prober] });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  for (const as of ['user', 'reseller'] as const)
    it(`shows the ${as} who owns it that it failed, never the Error's text; an admin reads it`, async () => {
      const started = await panel.request('POST', '/api/prober/fail', { as });
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      const id = started.body.data.id;
      const one = await panel.request('GET', `/api/jobs/${id}`, { as });
      expect(one.body.data).toMatchObject({ id, state: 'failed', error: SAFE });
      expect(one.body.data).not.toHaveProperty('error_detail');
      const listed = await panel.request('GET', '/api/jobs', { as });
      expect(listed.body.data.find((j: { id: string }) => j.id === id)).toMatchObject({ error: SAFE });
      const events = await fetch(`${panel.url}/api/jobs/${id}/events`, {
        headers: { authorization: `Bearer ${panel.tokens[as]}` },
      });
      const stream = await events.text();
      expect(stream).toContain('event: end');
      expect(stream).toContain(SAFE);
      for (const shown of [JSON.stringify(one.body), JSON.stringify(listed.body), stream])
        expect(shown).not.toContain('secret-dir');
      // the plugin itself reads what the owner reads
      expect((await ctx.jobs.get(id))?.error).toBe(SAFE);

      const seen = (await panel.request('GET', `/api/jobs/${id}`)).body.data;
      expect(seen).toMatchObject({ error: SAFE, error_detail: SECRET });
      const all = (await panel.request('GET', '/api/jobs')).body.data;
      expect(all.find((j: { id: string }) => j.id === id).error_detail).toBe(SECRET);
      const adminStream = await fetch(`${panel.url}/api/jobs/${id}/events`, {
        headers: { authorization: `Bearer ${panel.tokens.admin}` },
      });
      expect(await adminStream.text()).toContain('secret-dir');
    });
});
