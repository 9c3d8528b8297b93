// Editing a target made through the API (PATCH, additive): its secret is kept when left out and
// never answered; a refused setting names its field and changes nothing; config-file targets are
// not editable; each target's last connection test is listed for the admin only; a backup under
// way on a target that is edited finishes on the settings it started with.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdAt } from '../../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { useServices } from '../../../test/bed/index.js';
import { standIns } from '../../../test/backups/stand-ins.js';

const bed = useServices('sshd', 's3');

describe.skipIf(bed.skip)('editing backup targets', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    const s = standIns();
    panel = await startTestPanel({
      plugins: ['backups', 'backup-s3', 'backup-sftp'],
      inline: s.plugins,
      tier: 'business',
      config: { plugins: { backups: { targets: [{ id: 'fromfile', type: 'local', path: '/srv/none' }] } } },
    });
    s.state.createAccount({ username: 'edith' });
    fs.writeFileSync(path.join(s.state.accounts.get(1)!.home_dir, 'public_html/index.html'), 'hello');
  });
  afterAll(async () => {
    await panel?.stop();
  });

  const sftp = (extra: Record<string, unknown> = {}) => ({
    host: bed.sshd.host,
    port: bed.sshd.port,
    username: bed.sshd.username,
    host_key: bed.sshd.hostKey,
    path: 'edit-one',
    ...extra,
  });
  const listed = async (id: string, as: 'admin' | 'user' = 'admin') =>
    (await panel.request('GET', '/api/backups/remote-targets', { as })).body.data.find((t: any) => t.id === id);
  const row = async (id: string) => panel.kernel.knex('backups_targets').where({ id }).first();

  it('keeps a secret left out, records the last test, and never answers the secret', async () => {
    const made = await panel.request('POST', '/api/backups/targets', {
      body: { id: 'box', type: 'sftp', config: sftp({ password: bed.sshd.password }) },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await listed('box')).last_test).toBeNull();

    const edited = await panel.request('PATCH', '/api/backups/targets/box', {
      body: { config: sftp({ path: 'edit-two', password: '' }) },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.data.config).toMatchObject({ path: 'edit-two', port: bed.sshd.port });
    expect(JSON.stringify(edited.body)).not.toContain(bed.sshd.password);

    // The kept password still logs in, to the new directory; the outcome is listed for the admin.
    expect((await panel.request('POST', '/api/backups/targets/box/test')).body.data).toEqual({ id: 'box', ok: true });
    expect((await listed('box')).last_test).toMatchObject({ ok: true, error: null, at: expect.any(String) });
    expect((await listed('box', 'user')).last_test).toBeUndefined();
    for (const r of [
      await panel.request('GET', '/api/backups/targets'),
      await panel.request('GET', '/api/backups/remote-targets'),
    ])
      expect(JSON.stringify(r.body)).not.toContain(bed.sshd.password);

    // A new secret replaces the old one: a wrong password now fails the test, and says so in the list.
    await panel.request('PATCH', '/api/backups/targets/box', { body: { config: sftp({ password: 'not-it' }) } });
    expect((await panel.request('POST', '/api/backups/targets/box/test')).body.data.ok).toBe(false);
    expect((await listed('box')).last_test).toMatchObject({ ok: false, error: expect.any(String) });

    // null removes a stored secret: the login moves to a key, and without either it is refused.
    const toKey = await panel.request('PATCH', '/api/backups/targets/box', {
      body: { config: sftp({ password: null, private_key: bed.sshd.privateKey }) },
    });
    expect(toKey.status, JSON.stringify(toKey.body)).toBe(200);
    expect((await panel.request('POST', '/api/backups/targets/box/test')).body.data).toEqual({ id: 'box', ok: true });
    const sealed = await row('box');
    const neither = await panel.request('PATCH', '/api/backups/targets/box', {
      body: { config: sftp({ private_key: null }) },
    });
    expect(neither.status).toBe(400);
    expect(neither.body.error).toBe('password: a password or a private_key is required');
    expect(await row('box')).toEqual(sealed);
  });

  it('refuses a bad setting naming the field, and changes nothing', async () => {
    await panel.request('POST', '/api/backups/targets', {
      body: {
        id: 'bucket',
        type: 's3',
        config: {
          endpoint: bed.s3.endpoint,
          bucket: bed.s3.bucket,
          access_key_id: bed.s3.accessKeyId,
          secret_access_key: bed.s3.secretAccessKey,
        },
      },
    });
    const before = await row('bucket');
    const bad = await panel.request('PATCH', '/api/backups/targets/bucket', {
      body: { config: { endpoint: bed.s3.endpoint, bucket: 'Not_A_Bucket', access_key_id: bed.s3.accessKeyId } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('bucket: must be a bucket name (3–63 lowercase letters, digits, dots, dashes)');
    expect(await row('bucket')).toEqual(before);

    const unknown = await panel.request('PATCH', '/api/backups/targets/bucket', {
      body: { config: { bucket: bed.s3.bucket, access_key_id: 'a', colour: 'red' } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('colour: unknown field');
    expect(await row('bucket')).toEqual(before);
  });

  it('lets a backup under way on an edited target finish where it started', async () => {
    const s3 = (prefix: string) => ({
      endpoint: bed.s3.endpoint,
      bucket: bed.s3.bucket,
      prefix,
      access_key_id: bed.s3.accessKeyId,
      secret_access_key: bed.s3.secretAccessKey,
    });
    await panel.request('POST', '/api/backups/targets', { body: { id: 'busy', type: 's3', config: s3('edit-a/') } });
    const hold = holdAt('backups.create.writing');
    const started = await panel.request('POST', '/api/backups/accounts/1?async=true', { body: { target: 'busy' } });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await hold.reached;
    const edited = await panel.request('PATCH', '/api/backups/targets/busy', { body: { config: s3('edit-b/') } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    hold.release();
    let job = started.body.data;
    while (['queued', 'running'].includes(job.state)) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await panel.request('GET', `/api/jobs/${job.id}`)).body.data;
    }
    expect(job, JSON.stringify(job)).toMatchObject({ state: 'succeeded' });
    // Written under the old prefix, where it began: a target reading that prefix lists it.
    await panel.request('POST', '/api/backups/targets', { body: { id: 'olda', type: 's3', config: s3('edit-a/') } });
    const there = await panel.request('GET', '/api/backups/accounts/1?target=olda');
    expect(there.body.data.map((b: { filename: string }) => b.filename)).toEqual([job.result.filename]);
  });

  it('leaves built-in and config-file targets alone', async () => {
    for (const id of ['local', 'fromfile']) {
      const r = await panel.request('PATCH', `/api/backups/targets/${id}`, { body: { config: { path: '/tmp/x' } } });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatch(/cannot be changed here/);
    }
    expect((await panel.request('PATCH', '/api/backups/targets/nope', { body: { config: {} } })).status).toBe(404);
    expect(
      (await panel.request('PATCH', '/api/backups/targets/box', { as: 'reseller', body: { config: sftp() } })).status,
    ).toBe(403);
  });
});
