// S3 server: s3rver in a child node process (it outlives every test file), path-style, one bucket.
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Running, S3Info } from '../types.js';
import { bedTempDir, freePort, removeDir, startDaemon, stopDaemon, waitReady } from '../proc.js';

const CHILD = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));

/** Any HTTP answer from the endpoint (s3rver says 200 with a bucket list to GET /). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export async function startS3(): Promise<Running<S3Info>> {
  const dir = bedTempDir('s3');
  try {
    const port = await freePort();
    const bucket = 'velopanel-test';
    const directory = join(dir, 'data');
    const d = startDaemon(process.execPath, [CHILD, String(port), directory, bucket], join(dir, 's3rver.log'), {
      ipc: true,
      cwd: fileURLToPath(new URL('.', import.meta.url)),
    });
    const stop = async () => {
      await stopDaemon(d, 'SIGTERM', [port], 5_000);
      removeDir(dir);
    };
    try {
      await waitReady(d, 's3rver', () => answers(port));
      const info: S3Info = {
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        forcePathStyle: true,
        bucket,
        directory,
        pid: d.pid,
      };
      return { info, stop };
    } catch (e) {
      await stop().catch(() => undefined);
      throw e;
    }
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
