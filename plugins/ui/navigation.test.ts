import { describe, expect, it } from 'vitest';
import type { ExtensionEntry, ExtensionRegistry, Logger, UiNavigationEntry } from '../../sdk/index.js';
import { NavigationRegistry } from './navigation.js';

function registry(values: [string, string, UiNavigationEntry, boolean?][]): {
  nav: NavigationRegistry;
  warnings: string[];
} {
  const warnings: string[] = [];
  const entries = values.map(
    ([pluginId, entryId, value, available = true]) =>
      ({ pluginId, entryId, value, available }) as ExtensionEntry<unknown>,
  );
  const ext = { entries: () => entries } as unknown as ExtensionRegistry;
  const logger = { warn: (_m: string, f: { reason: string }) => warnings.push(f.reason) } as unknown as Logger;
  return { nav: new NavigationRegistry(ext, logger), warnings };
}

describe('ui navigation registry', () => {
  it('keeps valid, available entries for the roles they name, sorted by section and order', () => {
    const { nav } = registry([
      ['b', 'late', { label: 'Late', path: '/late', section: 'panel' }],
      ['a', 'first', { label: 'First', path: '/first', section: 'server', order: 5, roles: ['admin'] }],
      [
        'a',
        'second',
        {
          label: 'Second',
          path: '/second',
          section: 'server',
          order: 6,
          assetsDir: '/opt/a/ui',
          module: 'page.js',
          stylesheet: 'page.css',
        },
      ],
      ['c', 'off', { label: 'Off', path: '/off' }, false],
    ]);
    expect(nav.forRole('admin').map((e) => e.id)).toEqual(['first', 'second', 'late']);
    expect(nav.forRole('user').map((e) => e.id)).toEqual(['second', 'late']);
    expect(nav.forRole('admin')[1]).toMatchObject({
      module_url: '/ui/plugins/a/page.js',
      stylesheet_url: '/ui/plugins/a/page.css',
    });
    expect(nav.assetsDir('a')).toBe('/opt/a/ui');
    expect(nav.assetsDir('c')).toBeNull();
  });

  it('leaves out and logs once entries that could hijack paths or escape their assets', () => {
    const bad: UiNavigationEntry[] = [
      { label: 'Api', path: '/api/accounts' },
      { label: 'Ui', path: '/ui/x' },
      { label: 'Abs', path: 'https://evil.test' },
      { label: '', path: '/empty' },
      { label: 'x'.repeat(41), path: '/long' },
      { label: 'Role', path: '/role', roles: ['root' as never] },
      { label: 'Rel', path: '/rel', assetsDir: 'relative/dir', module: 'page.js' },
      { label: 'Up', path: '/up', assetsDir: '/opt/x', module: '../../etc/passwd' },
      { label: 'Dot', path: '/dot', assetsDir: '/opt/x', module: '.hidden.js' },
      { label: 'Sect', path: '/sect', section: 'nowhere' as never },
    ];
    const { nav, warnings } = registry(bad.map((v, i) => ['p', `e${i}`, v]));
    expect(nav.forRole('admin')).toEqual([]);
    nav.forRole('admin');
    expect(warnings).toHaveLength(bad.length);
    expect(nav.assetsDir('p')).toBeNull();
  });
});
