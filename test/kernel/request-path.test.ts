// The kernel's request path as a handler sees it: sync and async steps give the same answers,
// request ids reach raw answers too, handler headers go out with the envelope, and params come
// from the matched route only, percent-decoded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountRef, definePlugin, RAW_RESPONSE, Type } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const owned = { ref: accountRef(99), resellerId: null };

const probe = definePlugin({
  manifest: { id: 'path-probe', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.route({
      method: 'GET',
      path: '/api/path-probe/raw',
      access: {},
      handler: (req) => {
        req.res.writeHead(200, { 'content-type': 'text/plain' });
        req.res.end('raw');
        return RAW_RESPONSE;
      },
    });
    ctx.route({
      method: 'GET',
      path: '/api/path-probe/headers',
      access: {},
      handler: (req) => {
        req.setHeader('X-Probe', 'one');
        req.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
        return { id: req.requestId };
      },
    });
    // the same owner check answered at once and after a wait
    ctx.route({
      method: 'GET',
      path: '/api/path-probe/sync/:id',
      access: { owner: () => owned },
      handler: (req) => ({ id: req.params.id }),
    });
    ctx.route({
      method: 'GET',
      path: '/api/path-probe/async/:id',
      access: { owner: async () => owned },
      handler: async (req) => ({ id: req.params.id }),
    });
    ctx.route({
      method: 'GET',
      path: '/api/path-probe/missing/:id',
      access: { owner: () => null },
      handler: () => ({}),
    });
    ctx.route({
      method: 'GET',
      path: '/api/path-probe/name/:name',
      access: {},
      schema: { params: Type.Object({ name: Type.String({ maxLength: 20 }) }) },
      handler: (req) => ({ params: req.params }),
    });
  },
});

describe('the kernel request path', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ inline: [probe] });
  });
  afterAll(async () => {
    await panel.stop();
  });

  it('puts the request id on raw answers, and echoes a well-formed one the client sent', async () => {
    const raw = await fetch(`${panel.url}/api/path-probe/raw`, {
      headers: { authorization: `Bearer ${panel.tokens.admin}`, 'x-request-id': 'client-id-0001' },
    });
    expect(await raw.text()).toBe('raw');
    expect(raw.headers.get('x-request-id')).toBe('client-id-0001');
    const bad = await fetch(`${panel.url}/api/path-probe/raw`, {
      headers: { authorization: `Bearer ${panel.tokens.admin}`, 'x-request-id': 'no spaces allowed here' },
    });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends headers the handler set with the envelope, repeated ones included', async () => {
    const res = await fetch(`${panel.url}/api/path-probe/headers`, {
      headers: { authorization: `Bearer ${panel.tokens.admin}` },
    });
    const body = await res.json();
    expect(res.headers.get('x-probe')).toBe('one');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers.get('x-request-id')).toBe(body.data.id);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers the same whether the owner check and handler are synchronous or not', async () => {
    for (const kind of ['sync', 'async']) {
      expect((await panel.request('GET', `/api/path-probe/${kind}/5`)).body).toEqual({ ok: true, data: { id: '5' } });
      const other = await panel.request('GET', `/api/path-probe/${kind}/5`, { as: 'user' });
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('FORBIDDEN');
    }
    expect((await panel.request('GET', '/api/path-probe/missing/5')).status).toBe(404);
  });

  it('hands the handler its own route params, percent-decoded', async () => {
    const res = await panel.request('GET', '/api/path-probe/name/a%20b%C3%A9');
    expect(res.body).toEqual({ ok: true, data: { params: { name: 'a bé' } } });
    expect((await panel.request('GET', '/api/path-probe/name/')).status).toBe(404);
  });

  it('answers a method the path does not take with 405, an unknown path with 404', async () => {
    expect((await panel.request('POST', '/api/path-probe/headers', { body: {} })).status).toBe(405);
    expect((await panel.request('GET', '/api/path-probe/nope/1/2')).status).toBe(404);
  });
});
