import { describe, expect, it } from 'vitest';
import { orderPlugins, undeclaredProvisions } from './order.js';

const m = (id: string, dependencies: string[] = [], optionalDependencies: string[] = []) => ({
  id,
  version: '1.0.0',
  sdk: '^1.0.0',
  dependencies,
  optionalDependencies,
});

describe('orderPlugins', () => {
  it('puts dependencies first and keeps discovery order otherwise', () => {
    const { order, problems } = orderPlugins([
      m('ssl', ['domains']),
      m('system'),
      m('domains', ['accounts']),
      m('accounts'),
    ]);
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

const c = (id: string, provides: string[], consumes: string[] = [], dependencies: string[] = []) => ({
  id,
  version: '1.0.0',
  sdk: '^1.0.0',
  provides,
  consumes,
  dependencies,
});

describe('orderPlugins: provides and consumes', () => {
  it('starts the providers of what a plugin consumes first, and says what it starts after', () => {
    const { order, problems, after } = orderPlugins([
      c('shop', [], ['payments']),
      c('stripe', ['payments']),
      c('paypal', ['payments']),
    ]);
    expect(order).toEqual(['stripe', 'paypal', 'shop']);
    expect(after.get('shop')).toEqual(['stripe', 'paypal']);
    expect(problems.size).toBe(0);
  });

  it('refuses a plugin that consumes what nobody provides, naming it', () => {
    const { problems } = orderPlugins([c('shop', [], ['payments']), c('catalogue', [], [], ['shop'])]);
    expect(problems.get('shop')).toBe("consumes 'payments', which no plugin provides");
    expect(problems.get('catalogue')).toMatch(/^dependency 'shop' is unavailable \(consumes 'payments'/);
  });

  it('accepts an optional consumption (`id?`) nobody provides, and one the plugin provides itself', () => {
    const { order, problems } = orderPlugins([
      c('ui', [], ['ui-navigation?']),
      c('ssl', ['acme-challenges'], ['acme-challenges']),
    ]);
    expect(order).toEqual(['ui', 'ssl']);
    expect(problems.size).toBe(0);
  });

  it('orders after the providers of an optional consumption when they are present', () => {
    expect(orderPlugins([c('system', [], ['usage-counters?']), c('accounts', ['usage-counters'])]).order).toEqual([
      'accounts',
      'system',
    ]);
  });

  it('names a cycle made through consumes, with what each side consumes', () => {
    const { problems } = orderPlugins([
      c('accounts', ['accounts.directory'], ['domains.directory']),
      c('domains', ['domains.directory'], [], ['accounts']),
    ]);
    expect(problems.get('accounts')).toBe(
      "dependency cycle: accounts (consumes 'domains.directory') → domains → accounts",
    );
    expect(problems.get('domains')).toBe(problems.get('accounts'));
  });

  it('refuses a plugin whose every provider of something it needs cannot start', () => {
    const { problems } = orderPlugins([c('shop', [], ['payments']), c('stripe', ['payments'], [], ['absent'])]);
    expect(problems.get('stripe')).toBe('missing dependency: absent');
    expect(problems.get('shop')).toBe(
      "consumes 'payments', whose providers are unavailable (stripe: missing dependency: absent)",
    );
  });
});

describe('undeclaredProvisions', () => {
  it('names what a plugin provided without declaring it', () => {
    expect(
      undeclaredProvisions(c('shop', ['payments']), ['payments', 'shop.orders', 'usage-counters', 'shop.orders']),
    ).toEqual(['shop.orders', 'usage-counters']);
    expect(undeclaredProvisions(c('shop', ['payments']), ['payments'])).toEqual([]);
  });
});
