// PATCH /api/accounts/:id changes the contact email: the field named for a bad value (nothing
// changed), 404 for an unknown account, ownership as for every account route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

describe('account edit (contact email)', () => {
  let h: HostingPanel;
  let own: any;
  let other: any;
  const edit = (id: number, body: unknown, as: 'admin' | 'reseller' | 'user' | 'anon' = 'admin') =>
    h.panel.request('PATCH', `/api/accounts/${id}`, { body, as });
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
    own = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'editown', email: 'old@own.test' }),
        as: 'reseller',
      })
    ).body.data;
    other = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'editother', email: 'old@other.test' }),
      })
    ).body.data;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('names the field for a bad body and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ email: 'a@b' }, 'email: must be a valid email address'],
      [{ email: 42 }, 'email: must be a valid email address'],
      [{}, 'email: is required'],
      [{ email: 'new@own.test', plan: 'pro' }, 'plan: unknown field'],
    ];
    for (const [body, error] of cases)
      expect(await edit(own.id, body).then((r) => ({ status: r.status, error: r.body.error }))).toEqual({
        status: 400,
        error,
      });
    expect((await h.panel.request('GET', `/api/accounts/${own.id}`)).body.data.email).toBe('old@own.test');
  });

  it('changes the email for the owner and refuses others', async () => {
    const res = await edit(own.id, { email: 'new@own.test' }, 'reseller');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: own.id, username: 'editown', email: 'new@own.test', plan: 'free' });
    expect((await edit(other.id, { email: 'x@evil.test' }, 'reseller')).status).toBe(403);
    expect((await edit(other.id, { email: 'x@evil.test' }, 'anon')).status).toBe(401);
    expect((await edit(999999, { email: 'x@evil.test' })).status).toBe(404);
    expect((await h.panel.request('GET', `/api/accounts/${other.id}`)).body.data.email).toBe('old@other.test');
  });
});
