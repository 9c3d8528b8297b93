import { ParallelGzip } from '../archive/parallel-gzip.js';

/** `data` as this panel writes archives: gzip members carrying their sizes, of `chunkSize` input each. */
export async function sizedGzip(data: Buffer, chunkSize = 1024 * 1024): Promise<Buffer> {
  const g = new ParallelGzip({ threads: 2, chunkSize });
  const outs: Buffer[] = [];
  const done = (async () => {
    for await (const o of g.output()) outs.push(o);
  })();
  await g.write(data);
  await g.finish();
  await done;
  return Buffer.concat(outs);
}
