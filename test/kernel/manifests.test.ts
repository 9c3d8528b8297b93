// The first-party plugins' manifests, as the loader reads them: everything they consume is
// provided, nothing forms a cycle, and accounts starts without the domains plugin.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { orderPlugins } from '../../core/plugins/order.js';
import type { PluginDefinition, PluginManifest } from '../../sdk/index.js';

const root = path.resolve(import.meta.dirname, '../..');

async function manifests(): Promise<PluginManifest[]> {
  const ids = readdirSync(path.join(root, 'plugins'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const defs = await Promise.all(
    ids.map(async (id) => (await import(path.join(root, 'plugins', id, 'index.ts'))).default as PluginDefinition),
  );
  return defs.map((d) => d.manifest);
}

describe('first-party manifests', () => {
  it('order without problems, providers before consumers', async () => {
    const all = await manifests();
    const { order, problems, after } = orderPlugins(all);
    expect(Object.fromEntries(problems)).toEqual({});
    expect(order.indexOf('accounts')).toBeLessThan(order.indexOf('domains'));
    expect(after.get('accounts')).toEqual([]);
    expect(after.get('domains')).toEqual(expect.arrayContaining(['accounts', 'veloserve', 'nginx']));
  });

  it('let accounts start alone, and refuse domains without accounts', async () => {
    const all = await manifests();
    expect(orderPlugins(all.filter((m) => m.id === 'accounts')).problems.size).toBe(0);
    const { problems } = orderPlugins(all.filter((m) => ['domains', 'nginx'].includes(m.id)));
    expect(problems.get('domains')).toBe('missing dependency: accounts');
  });
});
