// The backup-target conformance suite, unchanged, against every first-party target on real services.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupTargetConformance } from '../../sdk/testing/index.js';
import { s3TargetFactory } from '../../plugins/backup-s3/index.js';
import { sftpTargetFactory } from '../../plugins/backup-sftp/index.js';
import { localTargetFactory } from '../../plugins/backups/targets/local.js';
import { useServices } from '../bed/index.js';
import { s3Client } from '../bed/helpers/s3.js';

const bed = useServices('s3', 'sshd');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vp-targets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

backupTargetConformance.run('local', () =>
  localTargetFactory.create({
    id: 'local',
    scope: 'server',
    ownerId: null,
    config: { path: path.join(tmp, 'local') },
    dataDir: tmp,
  }),
);

describe.skipIf(bed.skip)('remote targets on the test bed', () => {
  const s3 = () =>
    s3TargetFactory.create({
      id: 'offsite',
      scope: 'server',
      ownerId: null,
      dataDir: tmp,
      config: {
        endpoint: bed.s3.endpoint,
        region: bed.s3.region,
        bucket: bed.s3.bucket,
        prefix: 'velopanel/backups/',
        access_key_id: bed.s3.accessKeyId,
        secret_access_key: bed.s3.secretAccessKey,
        force_path_style: true,
        part_size_mb: 5,
      },
    });
  const sftp = (login: { password?: string; private_key?: string }, hostKey = bed.sshd.hostKey) =>
    sftpTargetFactory.create({
      id: 'vault',
      scope: 'reseller',
      ownerId: 2,
      dataDir: tmp,
      config: {
        host: bed.sshd.host,
        port: bed.sshd.port,
        username: bed.sshd.username,
        password: login.password ?? '',
        private_key: login.private_key ?? '',
        passphrase: '',
        host_key: hostKey,
        path: 'velopanel/backups',
      },
    });
  backupTargetConformance.run('s3', s3);
  backupTargetConformance.run('sftp (key login)', () => sftp({ private_key: bed.sshd.privateKey }));
  backupTargetConformance.run('sftp (password login)', () => sftp({ password: bed.sshd.password }));

  it('s3: a missing bucket fails the connection test with a reason', async () => {
    const t = s3TargetFactory.create({
      id: 'nobucket',
      scope: 'server',
      ownerId: null,
      dataDir: tmp,
      config: {
        endpoint: bed.s3.endpoint,
        region: 'us-east-1',
        bucket: 'no-such-bucket-here',
        prefix: '',
        access_key_id: 'x',
        secret_access_key: 'y',
        force_path_style: true,
        part_size_mb: 5,
      },
    });
    const r = await t.test();
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/nobucket.*no-such-bucket-here/);
    await t.close?.();
  });

  it('sftp: a wrong password or a different host key is refused, secret not echoed', async () => {
    const wrong = await sftp({ password: 'definitely-Wrong-99' }).test();
    expect(wrong.ok).toBe(false);
    expect(wrong.error).not.toContain('definitely-Wrong-99');
    const otherKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb8W8xZcP1RkYc2sZ6UbS0vMlxq5n0iJ3tQ6Gm1mZ4x';
    const mitm = await sftp({ private_key: bed.sshd.privateKey }, otherKey).test();
    expect(mitm.ok).toBe(false);
  });

  it('s3: a second bucket works the same (prefix-less)', async () => {
    const client = s3Client(bed.s3);
    await client.send(new CreateBucketCommand({ Bucket: 'second-bucket' })).catch(() => undefined);
    client.destroy();
    const t = s3TargetFactory.create({
      id: 'second',
      scope: 'account',
      ownerId: 1,
      dataDir: tmp,
      config: {
        endpoint: bed.s3.endpoint,
        region: 'us-east-1',
        bucket: 'second-bucket',
        prefix: '',
        access_key_id: bed.s3.accessKeyId,
        secret_access_key: bed.s3.secretAccessKey,
        force_path_style: true,
        part_size_mb: 5,
      },
    });
    expect(await t.test()).toEqual({ ok: true });
    await t.close?.();
  });
});
