// Metric families plugins add through `metric-sources`: served beside the kernel's, while a source
// that fails or writes a family name it may not (a kernel family, a name outside `velopanel_`)
// costs only its own collector (`velopanel_scrape_collector_success` 0), never the scrape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, metricSources } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { parseExposition, scrape } from './scrape.js';

const sources = definePlugin({
  manifest: { id: 'metric-maker', version: '1.0.0', sdk: '^1.0.0', provides: ['metric-sources'] },
  start(ctx) {
    ctx.extensions.provide(metricSources, 'good', {
      collect: () => [
        {
          name: 'velopanel_widgets',
          help: 'Widgets.',
          type: 'gauge',
          samples: [{ labels: { kind: 'a"b' }, value: 3 }],
        },
      ],
    });
    ctx.extensions.provide(metricSources, 'shadow', {
      collect: () => [
        {
          name: 'velopanel_jobs',
          help: 'Not the kernel\u2019s.',
          type: 'gauge',
          samples: [{ labels: { state: 'failed' }, value: 999 }],
        },
      ],
    });
    ctx.extensions.provide(metricSources, 'foreign', {
      collect: () => [{ name: 'up', help: 'x', type: 'gauge', samples: [{ value: 1 }] }],
    });
    ctx.extensions.provide(metricSources, 'broken', {
      collect: async () => {
        throw new Error('boom');
      },
    });
    ctx.extensions.provide(metricSources, 'bad-label', {
      collect: () => [
        { name: 'velopanel_gadgets', help: 'x', type: 'gauge', samples: [{ labels: { 'no-dash': 'x' }, value: 1 }] },
      ],
    });
    ctx.extensions.provide(metricSources, 'twice', {
      collect: () => [{ name: 'velopanel_widgets', help: 'again', type: 'gauge', samples: [{ value: 9 }] }],
    });
  },
});

describe('plugin metric sources', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ inline: [sources] });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('serves a plugin family and isolates the ones that fail or trespass', async () => {
    const res = await scrape(panel.url);
    expect(res.status).toBe(200);
    const m = parseExposition(res.text);
    expect(m.get('velopanel_widgets{kind="a\\"b"}')).toBe(3);
    expect(m.get('velopanel_jobs{state="failed"}')).toBe(0);
    expect(m.has('up')).toBe(false);
    expect([...m.keys()].some((k) => k.startsWith('velopanel_gadgets'))).toBe(false);
    expect(res.text.match(/^# TYPE velopanel_widgets /gm)).toHaveLength(1);
    for (const [entry, ok] of [
      ['good', 1],
      ['shadow', 0],
      ['foreign', 0],
      ['broken', 0],
      ['bad-label', 0],
      ['twice', 0],
    ] as const)
      expect(m.get(`velopanel_scrape_collector_success{collector="metric-maker/${entry}"}`)).toBe(ok);
    expect(res.text.match(/^# TYPE velopanel_jobs /gm)).toHaveLength(1);
  });
});
