// S3 client for the bed's s3rver, and object reads.
//
//   const s3 = s3Client(bed.s3);
//   const text = await readObjectText(bed.s3, 'backups/x.json');
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Info } from '../types.js';

/** Path-style client with s3rver's fixed credentials (s3rver does not verify signatures). */
export function s3Client(info: S3Info): S3Client {
  return new S3Client({
    endpoint: info.endpoint,
    region: info.region,
    forcePathStyle: info.forcePathStyle,
    credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
  });
}

export async function readObject(info: S3Info, key: string, bucket = info.bucket): Promise<Buffer> {
  const client = s3Client(info);
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!res.Body) throw new Error(`s3://${bucket}/${key}: empty body`);
    return Buffer.from(await res.Body.transformToByteArray());
  } finally {
    client.destroy();
  }
}

export async function readObjectText(info: S3Info, key: string, bucket = info.bucket): Promise<string> {
  return (await readObject(info, key, bucket)).toString('utf8');
}
