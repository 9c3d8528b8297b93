// Target administration (secrets sealed, never answered), licence gating of remote targets, and
// schedules: runs on the scheduler, retention by count, and failures visible in the API.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { useServices } from '../../../test/bed/index.js';
import { standIns, type StandInState } from '../../../test/backups/stand-ins.js';

const bed = useServices('sshd', 's3');

describe.skipIf(bed.skip)('backup targets and schedules', () => {
  let panel: TestPanel;
  let community: TestPanel;
  let state: StandInState;
  const sftpPassword = () => bed.sshd.password;

  beforeAll(async () => {
    process.env.VP_TA_S3 = bed.s3.secretAccessKey;
    const s3Target = {
      id: 'offsite',
      type: 's3',
      endpoint: bed.s3.endpoint,
      bucket: bed.s3.bucket,
      prefix: 'targets-api/',
      access_key_id: bed.s3.accessKeyId,
      secret_access_key_env: 'VP_TA_S3',
    };
    const s = standIns();
    state = s.state;
    const { secret_access_key_env: _env, ...withoutSecret } = s3Target;
    const leaky = { ...withoutSecret, id: 'leaky', secret_access_key: 'LEAKED-IN-CONFIG' };
    panel = await startTestPanel({
      plugins: ['backups', 'backup-s3', 'backup-sftp'],
      inline: s.plugins,
      tier: 'business',
      config: { plugins: { backups: { targets: [s3Target, leaky] } } },
    });
    state.createAccount({ username: 'alice', reseller_id: 2 });
    fs.writeFileSync(path.join(state.accounts.get(1)!.home_dir, 'public_html/index.html'), 'hello');
    const c = standIns();
    community = await startTestPanel({
      plugins: ['backups', 'backup-s3', 'backup-sftp'],
      inline: c.plugins,
      tier: 'community',
      config: { plugins: { backups: { targets: [s3Target] } } },
    });
    c.state.createAccount({ username: 'carol' });
  });
  afterAll(async () => {
    await panel?.stop();
    await community?.stop();
  });

  const sftpBody = (id: string, password: string, port = bed.sshd.port) => ({
    id,
    type: 'sftp',
    config: {
      host: bed.sshd.host,
      port,
      username: bed.sshd.username,
      password,
      host_key: bed.sshd.hostKey,
      path: `api-${id}`,
    },
  });

  it('creates, lists, tests and deletes a target without ever answering its secret', async () => {
    const made = await panel.request('POST', '/api/backups/targets', { body: sftpBody('vault', sftpPassword()) });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.data).toMatchObject({
      id: 'vault',
      type: 'sftp',
      scope: 'server',
      source: 'api',
      available: true,
      remote: true,
    });
    const targets = await panel.request('GET', '/api/backups/targets');
    const remote = await panel.request('GET', '/api/backups/remote-targets');
    const remoteAsUser = await panel.request('GET', '/api/backups/remote-targets', { as: 'user' });
    const all = [made, targets, remote, remoteAsUser];
    for (const r of all) expect(JSON.stringify(r.body)).not.toContain(sftpPassword());
    expect(remote.body.data.map((t: { id: string }) => t.id).sort()).toEqual(['leaky', 'offsite', 'vault']);
    for (const r of all) expect(JSON.stringify(r.body)).not.toContain('LEAKED-IN-CONFIG');
    expect(remote.body.data.find((t: { id: string }) => t.id === 'leaky')).toMatchObject({
      available: false,
      reason: expect.stringMatching(/secret_access_key_file \(mode 0600\)/),
    });
    expect((await panel.request('POST', '/api/backups/targets/leaky/test')).body.data).toMatchObject({
      ok: false,
      error: expect.stringMatching(/secrets may not be written in the config file; use secret_access_key_file/),
    });
    expect(remoteAsUser.body.data[0].config).toBeUndefined();
    const row = await panel.kernel.knex('backups_targets').where({ id: 'vault' }).first();
    expect(row.secrets).not.toContain(sftpPassword());
    expect(fs.statSync(path.join(panel.dataDir, 'backups-secrets/targets.key')).mode & 0o777).toBe(0o600);
    expect((await panel.request('POST', '/api/backups/targets/vault/test')).body.data).toEqual({
      id: 'vault',
      ok: true,
    });
    const backup = await panel.request('POST', '/api/backups/accounts/1', { body: { target: 'vault' } });
    expect(backup.status, JSON.stringify(backup.body)).toBe(200);
    expect((await panel.request('POST', '/api/backups/targets', { body: sftpBody('vault', 'x') })).status).toBe(409);
    expect((await panel.request('DELETE', '/api/backups/targets/local')).status).toBe(409);
    expect((await panel.request('DELETE', '/api/backups/targets/offsite')).body.error).toMatch(
      /defined in the config file/,
    );
    expect((await panel.request('DELETE', '/api/backups/targets/vault')).body.data).toEqual({
      id: 'vault',
      deleted: true,
    });
    expect(
      (await panel.request('POST', '/api/backups/targets', { body: sftpBody('vault', sftpPassword()) })).status,
    ).toBe(201);
  });

  it('validates target settings like any input', async () => {
    const bad = async (body: unknown, status: number, message: RegExp) => {
      const r = await panel.request('POST', '/api/backups/targets', { body });
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error).toMatch(message);
    };
    await bad(
      { id: 'x1', type: 's3', config: { bucket: 'B!', access_key_id: 'a', secret_access_key: 'b' } },
      400,
      /config\.bucket|bucket: must be a bucket name/,
    );
    await bad(
      { id: 'x2', type: 'sftp', config: { ...sftpBody('x2', '').config } },
      400,
      /password: a password or a private_key is required/,
    );
    await bad({ id: 'x3', type: 'local', config: { path: '/etc/cron.d' } }, 400, /may not be written under \/etc/);
    await bad({ id: 'x4', type: 'ftp', config: {} }, 400, /type: unknown backup target type 'ftp'/);
    await bad({ id: '../x', type: 'local', config: { path: '/srv/b' } }, 400, /id: /);
    await bad(
      { id: 'x5', type: 'sftp', config: { ...sftpBody('x5', 'pw').config, host: 'h;id' } },
      400,
      /host: must be a host name/,
    );
    expect(
      (await panel.request('POST', '/api/backups/targets', { as: 'reseller', body: sftpBody('x6', 'pw') })).status,
    ).toBe(403);
  });

  it('refuses remote targets on Community with the seed style message', async () => {
    const made = await community.request('POST', '/api/backups/targets', { body: sftpBody('vault', sftpPassword()) });
    expect(made.status).toBe(403);
    expect(made.body.error).toBe("Backup target type 'sftp' requires a Pro or Business license");
    const use = await community.request('POST', '/api/backups/accounts/1', { body: { target: 'offsite' } });
    expect(use.status).toBe(403);
    expect(use.body.error).toBe("Backup target 'offsite' (s3) requires a Pro or Business license");
    const listed = await community.request('GET', '/api/backups/remote-targets');
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: 'offsite',
        available: false,
        reason: expect.stringMatching(/Pro or Business license/),
      }),
    ]);
    expect((await community.request('POST', '/api/backups/accounts/1')).status).toBe(200);
  });

  it('runs schedules with retention, and a failing one is visible as a failed job and run', async () => {
    const made = await panel.request('POST', '/api/backups/schedules', {
      body: { account_id: 1, frequency: 'daily', time: '03:30', keep_count: 1, keep_days: 0 },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.data.id;
    expect(panel.kernel.scheduler.planned()).toContainEqual({
      name: `backups:schedule-${id}`,
      next: expect.stringMatching(/T03:30:00\.000Z$/),
    });
    for (let i = 0; i < 2; i++)
      expect((await panel.request('POST', `/api/backups/schedules/${id}/run`)).body.data.runs[0].state).toBe(
        'succeeded',
      );
    expect((await panel.request('GET', '/api/backups/accounts/1?target=local')).body.data).toHaveLength(1);

    expect((await panel.request('POST', '/api/backups/targets', { body: sftpBody('broken', 'pw', 1) })).status).toBe(
      201,
    );
    const weekly = await panel.request('POST', '/api/backups/schedules', {
      body: {
        account_id: 1,
        frequency: 'weekly',
        weekday: 0,
        time: '04:00',
        target: 'broken',
        keep_count: 3,
        keep_days: 10,
      },
    });
    const run = (await panel.request('POST', `/api/backups/schedules/${weekly.body.data.id}/run`)).body.data.runs[0];
    expect(run).toMatchObject({ state: 'failed', account_id: 1, error: expect.stringMatching(/broken.*failed/) });
    const job = (await panel.request('GET', `/api/jobs/${run.job_id}`)).body.data;
    expect(job).toMatchObject({ state: 'failed', kind: 'backup.scheduled', error: run.error });
    const listed = (await panel.request('GET', '/api/backups/schedules')).body.data.find(
      (s: { id: number }) => s.id === weekly.body.data.id,
    );
    expect(listed).toMatchObject({ last_status: 'failed', last_error: expect.stringMatching(/^account 1: /) });
    expect(
      (await panel.request('GET', `/api/backups/schedules/${weekly.body.data.id}/runs`)).body.data[0],
    ).toMatchObject({ state: 'failed' });
    const audit = (await panel.request('GET', '/api/audit?ok=false')).body.data;
    expect(audit).toContainEqual(
      expect.objectContaining({
        method: 'TASK',
        route: 'backup.scheduled',
        target: 'account:1',
        ok: false,
        plugin: 'backups',
        path: expect.stringMatching(/broken/),
      }),
    );
    expect((await panel.request('DELETE', '/api/backups/targets/broken')).body.error).toMatch(/used by schedule/);
  });

  it('validates schedules and keeps server-wide ones for the admin', async () => {
    const post = (body: unknown, as: 'admin' | 'reseller' | 'user' = 'admin') =>
      panel.request('POST', '/api/backups/schedules', { body, as });
    expect((await post({ frequency: 'weekly', time: '03:00' })).body.error).toMatch(/weekday: is required/);
    expect((await post({ frequency: 'daily', time: '24:00' })).body.error).toMatch(/time: must be HH:MM/);
    expect((await post({ frequency: 'daily', time: '03:00\n* * * * * id' })).status).toBe(400);
    expect((await post({ frequency: 'daily', time: '03:00' }, 'reseller')).status).toBe(403);
    expect((await post({ account_id: 1, frequency: 'daily', time: '05:00' }, 'user')).status).toBe(201);
  });
});
