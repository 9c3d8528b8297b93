import { Trouter } from 'trouter';
import { describe, expect, it } from 'vitest';
import { RouteIndex, type CompiledRoute } from './route-index.js';

// The index must pick exactly the route Polka's router (trouter) would run first, with its params.
const routes: [string, string][] = [
  ['GET', '/api/shops'],
  ['GET', '/api/shops/:id'],
  ['GET', '/api/shops/stats'],
  ['POST', '/api/shops/:id/password'],
  ['GET', '/api/:area/help'],
  ['GET', '/api/files/*'],
  ['GET', '/api/files/list'],
  ['GET', '/healthz'],
  ['GET', '/api/jobs/:id/events'],
  ['DELETE', '/api/sites/:id'],
  ['GET', '/api/opt/:name?'],
];
const paths = [
  '/api/shops',
  '/api/shops/',
  '/api/shops/7',
  '/api/shops/stats',
  '/api/shops/7/password',
  '/api/shops/help',
  '/api/files/list',
  '/api/files/a/b',
  '/api/zones/help',
  '/healthz',
  '/healthz/',
  '/api/jobs/3/events',
  '/api/sites/9',
  '/api/opt',
  '/api/opt/x',
  '/',
  '/api',
  '/nope',
  '/api/shops/7/8',
  '/api/%73hops',
];

describe('RouteIndex', () => {
  const router = new Trouter<string>();
  const index = new RouteIndex<string>();
  for (const [method, path] of routes) {
    router.add(method as 'GET', path, `${method} ${path}`);
    index.add(method, path, (router as unknown as { routes: CompiledRoute[] }).routes.at(-1)!, `${method} ${path}`);
  }

  for (const method of ['GET', 'POST', 'DELETE', 'PUT']) {
    it(`matches trouter's first route and params for ${method}`, () => {
      for (const path of paths) {
        const expected = router.find(method as 'GET', path);
        const got = index.find(method, path);
        expect(got?.handler ?? null, `${method} ${path}`).toBe(expected.handlers[0] ?? null);
        // Params are the winning route's own (trouter merges those of every matching route).
        if (got) {
          const own = new Trouter<number>().add(method as 'GET', got.handler.split(' ')[1]!, 0);
          expect(got.params, `${method} ${path}`).toEqual(own.find(method as 'GET', path).params);
        }
      }
    });
  }

  it('lets an earlier parameter route win over a later literal one, as Polka does', () => {
    expect(index.find('GET', '/api/shops/stats')?.handler).toBe('GET /api/shops/:id');
    expect(index.find('GET', '/api/shops/help')?.handler).toBe('GET /api/shops/:id');
  });
});
