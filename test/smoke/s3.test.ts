// S3 as the backups plugin's s3 target uses it: put/get/list, and a streamed multipart Upload.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command, PutObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { useServices } from '../bed/index.js';
import { readObject, readObjectText, s3Client } from '../bed/helpers/s3.js';

const bed = useServices('s3');

describe.skipIf(bed.skip)('smoke: s3', () => {
  const client = s3Client(bed.s3);
  const prefix = `smoke-${process.pid}/`;

  afterAll(() => client.destroy());

  it('puts, lists and gets an object', async () => {
    await client.send(new PutObjectCommand({ Bucket: bed.s3.bucket, Key: `${prefix}hello.txt`, Body: 'hello s3' }));
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bed.s3.bucket, Prefix: prefix }));
    expect(listed.Contents?.map((o) => o.Key)).toContain(`${prefix}hello.txt`);
    expect(await readObjectText(bed.s3, `${prefix}hello.txt`)).toBe('hello s3');
  });

  it('uploads ~6 MB as a streamed multipart Upload', async () => {
    const data = randomBytes(6 * 1024 * 1024 + 123);
    const parts: number[] = [];
    const upload = new Upload({
      client,
      params: {
        Bucket: bed.s3.bucket,
        Key: `${prefix}big.bin`,
        Body: Readable.from([data.subarray(0, 3e6), data.subarray(3e6)]),
      },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    });
    upload.on('httpUploadProgress', (p) => parts.push(p.part ?? 0));
    await upload.done();
    expect(Math.max(...parts)).toBe(2);
    const head = await client.send(new HeadObjectCommand({ Bucket: bed.s3.bucket, Key: `${prefix}big.bin` }));
    expect(head.ContentLength).toBe(data.length);
    const back = await readObject(bed.s3, `${prefix}big.bin`);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(back)).toBe(sha(data));
  });
});
