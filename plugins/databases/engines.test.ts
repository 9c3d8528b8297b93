import { describe, expect, it } from 'vitest';
import type { DatabaseEngine, ExtensionEntry, ExtensionRegistry } from '../../sdk/index.js';
import { EngineCatalogue } from './engines.js';

function engine(id: string, name: string, health: DatabaseEngine['health'], aliases?: string[]): DatabaseEngine {
  return { id, name, aliases, limits: { database: 63, user: 63 }, clientHost: 'localhost', health } as DatabaseEngine;
}

function registry(entries: Partial<ExtensionEntry<DatabaseEngine>>[]): ExtensionRegistry {
  const list = entries.map((e) => ({ pluginId: 'p', available: true, ...e }) as ExtensionEntry<DatabaseEngine>);
  return { provide: () => undefined, entries: () => list as never, find: () => undefined };
}

const up = engine('postgresql', 'PostgreSQL', async () => ({ available: true, version: '15.2' }), ['postgres']);
const down = engine('mysql', 'MySQL', async () => ({
  available: false,
  version: null,
  error: 'MySQL (mysql) is unreachable: ECONNREFUSED',
}));
const locked = engine('fancy', 'Fancy', async () => ({ available: true, version: '1' }));

describe('EngineCatalogue', () => {
  const catalogue = new EngineCatalogue(
    registry([
      { entryId: 'postgresql', value: up },
      { entryId: 'mysql', value: down },
      { entryId: 'fancy', value: locked, available: false, reason: 'requires the Business tier' },
    ]),
  );

  it('resolves ids and aliases to the canonical id', () => {
    expect(catalogue.forRequest('postgres')).toEqual({ id: 'postgresql', engine: up });
    expect(catalogue.forRequest('mysql').id).toBe('mysql');
  });

  it('refuses unknown engines listing the known ones, and unavailable ones with the reason', () => {
    expect(() => catalogue.forRequest('oracle')).toThrow(
      "engine: unknown engine 'oracle' (available: postgresql, postgres, mysql, fancy)",
    );
    expect(() => catalogue.forRequest('fancy')).toThrow(
      'Database engine Fancy (fancy) is not available: requires the Business tier',
    );
    expect(() => catalogue.forRecord('gone')).toThrow(
      'Database engine gone is not available (its plugin is not installed)',
    );
  });

  it('reports health per engine, with an error only when unavailable', async () => {
    expect(await catalogue.views()).toEqual([
      { id: 'postgresql', name: 'PostgreSQL', version: '15.2', available: true },
      {
        id: 'mysql',
        name: 'MySQL',
        version: null,
        available: false,
        error: 'MySQL (mysql) is unreachable: ECONNREFUSED',
      },
      { id: 'fancy', name: 'Fancy', version: null, available: false, error: 'requires the Business tier' },
    ]);
  });
});
