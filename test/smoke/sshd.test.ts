// sshd as the backups plugin's SFTP target uses it: key and password logins, put/list/get/delete.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { openSftp, withSftp } from '../bed/helpers/sftp.js';

const bed = useServices('sshd');

describe.skipIf(bed.skip)('smoke: sshd (SFTP)', () => {
  it('puts, lists, gets and deletes a file with key auth', async () => {
    const data = randomBytes(256 * 1024);
    await withSftp(bed.sshd, async (sftp) => {
      await sftp.mkdir('backups', true);
      await sftp.put(data, 'backups/blob.bin');
      const names = (await sftp.list('backups')).map((f) => f.name);
      expect(names).toContain('blob.bin');
      const back = await sftp.get('backups/blob.bin');
      expect(Buffer.isBuffer(back) && back.equals(data)).toBe(true);
      await sftp.delete('backups/blob.bin');
      expect(await sftp.exists('backups/blob.bin')).toBe(false);
      expect(await sftp.realPath('.')).toBe(bed.sshd.homeDir);
    });
  });

  it('accepts the password and refuses a wrong one', async () => {
    await withSftp(
      bed.sshd,
      async (sftp) => {
        expect(await sftp.exists('.')).toBe('d');
      },
      { password: bed.sshd.password },
    );
    await expect(openSftp(bed.sshd, { password: 'wrong' })).rejects.toThrow(/authentication/i);
  });

  it('refuses users outside AllowUsers (root)', async () => {
    await expect(openSftp(bed.sshd, { username: 'root', privateKey: bed.sshd.privateKey })).rejects.toThrow(
      /authentication/i,
    );
  });
});
