import { describe, expect, it } from 'vitest';
import { orderPlugins } from './order.js';

const m = (id: string, dependencies: string[] = [], optionalDependencies: string[] = []) => ({ id, version: '1.0.0', sdk: '^1.0.0', dependencies, optionalDependencies });

describe('orderPlugins', () => {
  it('puts dependencies first and keeps discovery order otherwise', () => {
    const { order, problems } = orderPlugins([m('ssl', ['domains']), m('system'), m('domains', ['accounts']), m('accounts')]);
    expect(order).toEqual(['accounts', 'domains', 'ssl', 'system']);
    expect(problems.size).toBe(0);
  });

  it('orders present optional dependencies and ignores absent ones', () => {
    const { order, problems } = orderPlugins([m('backups', [], ['databases', 'nothing']), m('databases')]);
    expect(order).toEqual(['databases', 'backups']);
    expect(problems.size).toBe(0);
  });

  it('names cycles and their dependants', () => {
    const { problems } = orderPlugins([m('a', ['b']), m('b', ['c']), m('c', ['a']), m('d', ['a'])]);
    expect(problems.get('a')).toBe('dependency cycle: a → b → c → a');
    expect(problems.get('c')).toMatch(/dependency cycle/);
    expect(problems.get('d')).toMatch(/dependency 'a' is unavailable/);
  });

  it('names a missing dependency', () => {
    expect(orderPlugins([m('x', ['y'])]).problems.get('x')).toBe('missing dependency: y');
  });
});
