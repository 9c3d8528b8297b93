// A test plugin whose job moves only when the test says so (no timing involved) and stops when
// cancelled. It reports as a backup of account:1, so pages about that account see it as theirs.
import { definePlugin, errors, type PluginDefinition } from '../../../sdk/index.js';

export interface SteppedJob {
  plugin: PluginDefinition;
  /** Move the waiting job: a step reports progress, null finishes it. */
  advance(step: { percent: number; message: string } | null): Promise<void>;
}

export function steppedJobPlugin(kind = 'backup.create', target = 'account:1'): SteppedJob {
  const waiting: ((step: { percent: number; message: string } | null) => void)[] = [];
  const plugin = definePlugin({
    manifest: { id: 'stepper', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      ctx.route({
        method: 'POST',
        path: '/api/stepper/run',
        access: { roles: ['admin'] },
        handler: async (req) =>
          ctx.jobs.start({ kind, target, ownerUserId: req.principal!.userId }, async (job) => {
            let mine: ((step: { percent: number; message: string } | null) => void) | null = null;
            // A cancelled job stops waiting, so the next step goes to the next job.
            const aborted = new Promise<never>((_r, reject) =>
              job.signal.addEventListener('abort', () => {
                if (mine) waiting.splice(waiting.indexOf(mine), 1);
                reject(errors.conflict('Cancelled'));
              }),
            );
            aborted.catch(() => undefined);
            for (;;) {
              const step = await Promise.race([
                new Promise<{ percent: number; message: string } | null>((r) => waiting.push((mine = r))),
                aborted,
              ]);
              if (!step) return { done: true };
              job.progress(step.percent, step.message);
            }
          }),
      });
    },
  });
  return {
    plugin,
    async advance(step) {
      for (let i = 0; i < 400 && !waiting.length; i++) await new Promise((r) => setTimeout(r, 25));
      waiting.shift()?.(step);
    },
  };
}
