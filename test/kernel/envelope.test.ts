import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, errors, Type } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const probe = definePlugin({
  manifest: { id: 'probe', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.route({
      method: 'POST',
      path: '/api/probe/:id',
      access: {},
      schema: {
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object({
          username: Type.String({ pattern: '^[a-z0-9]{3,16}$', 'x-error': 'must be 3–16 alphanumeric characters' }),
          n: Type.Optional(Type.Integer()),
        }),
      },
      handler: (req) => ({ id: req.params.id, username: req.body.username }),
    });
    ctx.route({
      method: 'GET',
      path: '/api/probe-crash',
      access: {},
      handler: () => {
        throw new Error('secret=hunter2 at /etc/x');
      },
    });
    ctx.route({
      method: 'GET',
      path: '/api/probe-conflict',
      access: {},
      handler: () => {
        throw errors.conflict('Already there');
      },
    });
  },
});

describe('HTTP envelope and statuses', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['system'], inline: [probe] });
  });
  afterAll(async () => {
    await panel.stop();
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const res = await panel.request('GET', '/api/nope', { as: 'anon' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(typeof res.body.error).toBe('string');
  });

  it('refuses anonymous callers with 401', async () => {
    const res = await panel.request('POST', '/api/probe/1', { as: 'anon', body: { username: 'abc' } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(expect.objectContaining({ ok: false, code: 'UNAUTHENTICATED' }));
  });

  it('names the field in validation errors and rejects unknown fields', async () => {
    let res = await panel.request('POST', '/api/probe/1', { body: { username: 'a!' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('username: must be 3–16 alphanumeric characters');
    res = await panel.request('POST', '/api/probe/1', { body: { username: 'abc', extra: 1 } });
    expect(res.body.error).toBe('extra: unknown field');
    res = await panel.request('POST', '/api/probe/1', { body: {} });
    expect(res.body.error).toBe('username: is required');
    res = await panel.request('POST', '/api/probe/0', { body: { username: 'abc' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^id: /);
    res = await panel.request('POST', '/api/probe/1', { body: ['abc'] });
    expect(res.status).toBe(400);
    res = await panel.request('POST', '/api/probe/1', {
      raw: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.body.error).toBe('body: is not valid JSON');
  });

  it('passes valid input to the handler and wraps the answer', async () => {
    const res = await panel.request('POST', '/api/probe/7', { body: { username: 'abc' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, data: { id: 7, username: 'abc' } });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers 413 for bodies over the limit', async () => {
    const res = await panel.request('POST', '/api/probe/1', { body: { username: 'x'.repeat(2 * 1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('hides the real error of a 500', async () => {
    const res = await panel.request('GET', '/api/probe-crash');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ ok: false, error: 'Internal server error', code: 'INTERNAL' });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('maps catalogue errors to their status', async () => {
    const res = await panel.request('GET', '/api/probe-conflict');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ ok: false, error: 'Already there', code: 'CONFLICT' });
  });

  it('refuses form bodies on JSON routes', async () => {
    const res = await panel.request('POST', '/api/probe/1', {
      raw: 'username=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });

  it('lists every registered route in OpenAPI with its access', async () => {
    const res = await panel.request('GET', '/api/openapi.json', { as: 'anon' });
    expect(res.body.openapi).toBe('3.1.0');
    for (const r of panel.kernel.http.routes) {
      const op = res.body.paths[r.def.path.replace(/:(\w+)/g, '{$1}')]?.[r.def.method.toLowerCase()];
      expect(op, `${r.def.method} ${r.def.path}`).toBeTruthy();
      expect(op['x-velopanel-access']).toBeTruthy();
    }
  });
});
