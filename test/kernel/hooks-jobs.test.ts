import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, Type, type PluginContext } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

declare module '../../sdk/hooks.js' {
  interface HookEvents {
    'probe.thing': { name: string };
  }
}

let producer: PluginContext;
const seen: string[] = [];

const plugins = [
  definePlugin({
    manifest: { id: 'producer', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      producer = ctx;
      ctx.route({
        method: 'POST',
        path: '/api/things',
        access: {},
        schema: { body: Type.Object({ name: Type.String() }) },
        handler: async (req) => {
          await ctx.hooks.runBefore('probe.thing', { name: req.body.name });
          await ctx.hooks.runAfter('probe.thing', { name: req.body.name });
          return { created: true };
        },
      });
    },
  }),
  definePlugin({
    manifest: { id: 'guard', version: '1.0.0', sdk: '^1.0.0', dependencies: ['producer'] },
    start(ctx) {
      ctx.hooks.before('probe.thing', (p) => (p.name === 'forbidden' ? { veto: 'that name is reserved' } : undefined));
      ctx.hooks.after('probe.thing', () => {
        throw new Error('observer broke');
      });
      ctx.hooks.after('probe.thing', () => new Promise(() => undefined));
      ctx.hooks.after('probe.thing', (p) => {
        seen.push(p.name);
      });
    },
  }),
];

describe('hooks', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ inline: plugins, config: { hook_timeout_ms: 200 } });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('lets a before hook veto with 409 naming the plugin', async () => {
    const res = await panel.request('POST', '/api/things', { body: { name: 'forbidden' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe("Refused by plugin 'guard': that name is reserved");
    expect(seen).not.toContain('forbidden');
  });

  it('isolates failing and hanging after hooks', async () => {
    const res = await panel.request('POST', '/api/things', { body: { name: 'fine' } });
    expect(res.status).toBe(200);
    expect(seen).toContain('fine');
  });

  it('skips the hooks of a disabled plugin', async () => {
    await panel.request('POST', '/api/plugins/guard/disable');
    const res = await panel.request('POST', '/api/things', { body: { name: 'forbidden' } });
    expect(res.status).toBe(200);
    await panel.request('POST', '/api/plugins/guard/enable');
  });
});

describe('jobs', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ inline: plugins });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('persists progress and result, readable through the API', async () => {
    const job = await producer.jobs.start({ kind: 'probe', ownerUserId: 1 }, async (h) => {
      h.progress(50, 'half');
      return { answer: 42 };
    });
    const done = await producer.jobs.wait(job.id);
    expect(done).toMatchObject({ state: 'succeeded', progress: 100, result: { answer: 42 } });
    const res = await panel.request('GET', `/api/jobs/${job.id}`);
    expect(res.body.data).toMatchObject({ id: job.id, state: 'succeeded', result: { answer: 42 } });
  });

  it("records failures: a plain Error's text for admins only", async () => {
    const job = await producer.jobs.start({ kind: 'probe' }, async () => {
      throw new Error('disk on fire');
    });
    expect(await producer.jobs.wait(job.id)).toMatchObject({
      state: 'failed',
      error: 'probe failed; an administrator can see why',
    });
    expect((await panel.request('GET', `/api/jobs/${job.id}`)).body.data.error_detail).toBe('disk on fire');
  });

  it('streams progress as server-sent events until the end', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const job = await producer.jobs.start({ kind: 'probe', ownerUserId: 1 }, async (h) => {
      await gate;
      h.progress(30, 'step one');
      await new Promise((r) => setTimeout(r, 20));
      h.progress(80, 'step two');
      return 'ok';
    });
    const res = await fetch(`${panel.url}/api/jobs/${job.id}/events`, {
      headers: { authorization: `Bearer ${panel.tokens.admin}` },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    release();
    const text = await res.text();
    const events = text
      .split('\n\n')
      .filter((b) => b.startsWith('event:'))
      .map((b) => ({ type: b.split('\n')[0]!.slice(7), data: JSON.parse(b.split('\n')[1]!.slice(6)) }));
    expect(events.at(-1)).toMatchObject({ type: 'end', data: { state: 'succeeded', progress: 100 } });
    expect(events.map((e) => e.data.progress)).toEqual(expect.arrayContaining([30, 80]));
  });

  it('cancels a running job through the API', async () => {
    const job = await producer.jobs.start(
      { kind: 'probe', ownerUserId: 1 },
      (h) => new Promise((_, reject) => h.signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    await new Promise((r) => setTimeout(r, 20));
    const res = await panel.request('POST', `/api/jobs/${job.id}/cancel`);
    expect(res.status).toBe(200);
    expect(await producer.jobs.wait(job.id)).toMatchObject({ state: 'cancelled' });
  });

  it('runs jobs with one serial key one after another', async () => {
    const order: string[] = [];
    const work = (name: string) => async () => {
      order.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, 15));
      order.push(`${name}:end`);
    };
    const a = await producer.jobs.start({ kind: 'probe', serialKey: 'account:1' }, work('a'));
    const b = await producer.jobs.start({ kind: 'probe', serialKey: 'account:1' }, work('b'));
    await Promise.all([producer.jobs.wait(a.id), producer.jobs.wait(b.id)]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
  });

  it("hides other users' jobs and validates ids", async () => {
    const job = await producer.jobs.start({ kind: 'probe', ownerUserId: 999 }, async () => 1);
    await producer.jobs.wait(job.id);
    expect((await panel.request('GET', `/api/jobs/${job.id}`, { as: 'user' })).status).toBe(404);
    expect((await panel.request('GET', '/api/jobs/not-a-job')).status).toBe(400);
  });
});
