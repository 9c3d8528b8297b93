// Top-level config keys the kernel does not know belong to the plugins whose config schema names
// them (the API reference's `acme_email`, `veloserve_config_path`): passed through, the plugin's
// own section winning; a key no plugin takes stops the panel with one line naming it.
import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin, Type } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const greeter = definePlugin<{ greeting: string }>({
  manifest: { id: 'greeter', version: '1.0.0', sdk: '^1.0.0' },
  configSchema: Type.Object({ greeting: Type.String({ default: 'hi' }) }),
  start(ctx) {
    ctx.route({ method: 'GET', path: '/api/greeting', access: {}, handler: () => ({ greeting: ctx.config.greeting }) });
  },
});

describe('top-level config keys', () => {
  let panel: TestPanel | undefined;
  afterEach(async () => {
    await panel?.stop();
    panel = undefined;
  });

  it('go to the plugin whose schema names them', async () => {
    panel = await startTestPanel({ inline: [greeter], config: { greeting: 'hello' } as never });
    expect((await panel.request('GET', '/api/greeting')).body.data).toEqual({ greeting: 'hello' });
  });

  it("lose to the plugin's own section", async () => {
    panel = await startTestPanel({
      inline: [greeter],
      config: { greeting: 'hello', plugins: { greeter: { greeting: 'from the section' } } } as never,
    });
    expect((await panel.request('GET', '/api/greeting')).body.data).toEqual({ greeting: 'from the section' });
  });

  it('stop the panel with one line when no plugin takes them', async () => {
    await expect(startTestPanel({ inline: [greeter], config: { bind_prot: 1 } as never })).rejects.toThrow(
      'config: bind_prot: unknown field',
    );
  });
});
