import { spawn } from 'node:child_process';
import path from 'node:path';
import { it } from 'vitest';
import { definePlugin, Type } from '../../sdk/index.js';
import { startTestPanel } from '../../sdk/testing/index.js';
const root = path.resolve(import.meta.dirname, '../..');
const payload = { items: Array.from({ length: 12 }, (_, i) => ({ id: i, name: `item-${i}`, status: 'active', size_mb: i * 10 })) };
const bench = definePlugin({
  manifest: { id: 'bench', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.route({ method: 'GET', path: '/api/bench/:id', access: { scope: 'bench:read' }, schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) }, handler: () => payload });
    ctx.route({ method: 'GET', path: '/api/pub/:id', access: { public: true }, schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) }, handler: () => payload });
  },
});
async function load(url: string, headers: Record<string, string>) {
  const args = [path.join(root, 'node_modules/autocannon/autocannon.js'), '--json', '-c', '50', '-d', '5'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  const child = spawn(process.execPath, [...args, url]);
  let stdout = ''; let stderr = '';
  child.stdout.on('data', (d) => (stdout += d)); child.stderr.on('data', (d) => (stderr += d));
  await new Promise((r) => child.once('exit', r));
  const out = { stdout, stderr };
  const r = JSON.parse(out.stdout);
  console.log('errors', r.errors, 'timeouts', r.timeouts, 'non2xx', r.non2xx, 'total', r.requests.total, out.stderr.slice(0, 300));
  return Math.round(r.requests.average);
}
it('bench', async () => {
  const panel = await startTestPanel({ inline: [bench] });
  const auth = { authorization: `Bearer ${panel.tokens.admin}` };
  for (let i = 0; i < 2; i++) {
    const pub = await load(`${panel.url}/api/pub/7`, {});
    const authed = await load(`${panel.url}/api/bench/7`, auth);
    console.log('pub', pub, 'authed', authed, 'ratio', (authed / pub).toFixed(2));
  }
  await panel.stop();
}, 120_000);
