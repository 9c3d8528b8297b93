import { expect, it } from 'vitest';
import { startTestPanel } from '../../sdk/testing/index.js';
it('probe', async () => {
  const p = await startTestPanel({ config: { plugins_dir: '/tmp/exp/plugins' } });
  const list = (await p.request('GET', '/api/plugins')).body.data;
  console.log(JSON.stringify(list));
  const r = await p.request('POST', '/api/probe', { body: { n: 'x' } });
  console.log(r.status, JSON.stringify(r.body));
  const r2 = await p.request('POST', '/api/probe', { body: { n: 1 } });
  console.log(r2.status, JSON.stringify(r2.body));
  await p.stop();
});
