import { randomBytes } from 'node:crypto';
import type { ChangeTopic } from '../../core/cluster/change-feed.js';
import type { Kernel } from '../../core/kernel.js';
import { definePlugin, type PluginContext } from '../../sdk/index.js';

/**
 * The config two nodes share for the account-claim tests: homes, one JWT secret, and leases and
 * operation claims that lapse after 2 s; `plugins` adds sections (accounts' is merged).
 */
export function claimNodesConfig(homeBase: string, plugins: Record<string, Record<string, unknown>> = {}) {
  const { accounts, ...rest } = plugins;
  return {
    home_base: homeBase,
    jwt_secret: randomBytes(32).toString('hex'),
    lease_ttl_ms: 2000,
    plugins: { accounts: { operation_claim_ttl_ms: 2000, ...accounts }, ...rest },
  };
}

/** A promise the test opens when it chooses. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Resolves when the node next hears of `topic` from another node over the change feed. */
export function heard(k: Kernel, topic: ChangeTopic): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const h = (p: Record<string, unknown>) => {
      k.changes.off(topic, h);
      resolve(p);
    };
    k.changes.on(topic, h);
  });
}

/** Poll until `check` holds (bounded; the test's own timeout is the other bound). */
export async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

type SseEvent = Record<string, any> & { type: string };

/** A server-sent event stream read one event at a time. */
export async function sseEvents(url: string, token: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`events: ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const next = async (): Promise<SseEvent> => {
    for (;;) {
      const cut = buffer.indexOf('\n\n');
      if (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (!block.startsWith('event:')) continue;
        const [typeLine, dataLine] = block.split('\n');
        return { ...JSON.parse(dataLine!.slice(6)), type: typeLine!.slice(7) };
      }
      const { done, value } = await reader.read();
      if (done) throw new Error('event stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  };
  const until = async (match: (e: SseEvent) => boolean): Promise<SseEvent> => {
    for (;;) {
      const e = await next();
      if (match(e)) return e;
    }
  };
  return { next, until };
}

/** What a test sees of a probe node: its plugin context, and a promise its schedule waits on while set. */
export interface ProbeState {
  hang: Promise<void> | null;
  ctx?: PluginContext;
}

/** Per node: a job that waits for the test between steps, and a schedule that can be made to hang mid-run. */
export function probe(node: string, state: ProbeState) {
  return definePlugin({
    manifest: { id: 'cluster-probe', version: '1.0.0', sdk: '^1.0.0' },
    migrations: [
      {
        name: '001_runs',
        up: (db, t) =>
          db.schema.createTable(t('runs'), (c) => {
            c.increments('id');
            c.string('node', 8).notNullable();
          }),
      },
    ],
    start(ctx) {
      state.ctx = ctx;
      ctx.scheduler.schedule({
        name: 'tick',
        when: 'every 1s',
        run: async () => {
          await ctx.db.knex(ctx.db.table('runs')).insert({ node });
          if (state.hang) await state.hang;
        },
      });
    },
  });
}
