// Large archive work runs as a job: progress through /api/jobs, a hostile archive fails the job
// with the policy's message and writes nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarGz, zip } from './archive-fixtures.js';
import { startFilesBed, treeState, type FilesBed } from './bed.js';

describe('compress and extract as jobs (threshold 0 MB)', () => {
  let bed: FilesBed;
  beforeAll(async () => {
    bed = await startFilesBed({ files: { job_threshold_mb: 0 } });
  });
  afterAll(async () => {
    await bed.stop();
  });

  async function finished(id: string) {
    for (let i = 0; i < 600; i++) {
      const res = await bed.panel.request('GET', `/api/jobs/${id}`, { as: 'user' });
      if (['succeeded', 'failed', 'cancelled'].includes(res.body.data.state)) return res.body.data;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${id} did not finish`);
  }

  it('extracts and compresses in the background, visible to the requesting user', async () => {
    writeFileSync(path.join(bed.home(1), 'site.zip'), zip([{ name: 'site/a.txt', data: 'hello' }]));
    let res = await bed.panel.request('POST', '/api/files/extract', {
      body: { account_id: 1, path: '/site.zip', destination: '/out' },
      as: 'user',
    });
    expect(res.status).toBe(200);
    expect(res.body.data.job_id).toMatch(/^[0-9a-f-]{36}$/);
    let job = await finished(res.body.data.job_id);
    expect(job).toMatchObject({
      kind: 'files.extract',
      state: 'succeeded',
      progress: 100,
      target: 'account:1',
      result: { destination: '/out', members: 1 },
    });
    expect(readFileSync(path.join(bed.home(1), 'out/site/a.txt'), 'utf8')).toBe('hello');
    res = await bed.panel.request('POST', '/api/files/compress', {
      body: { account_id: 1, paths: ['/out'], destination: '/out.tar.gz' },
      as: 'user',
    });
    job = await finished(res.body.data.job_id);
    expect(job).toMatchObject({
      kind: 'files.compress',
      state: 'succeeded',
      result: { path: '/out.tar.gz', files: 1 },
    });
  });

  it('fails the job on a hostile archive and leaves the home as it was', async () => {
    writeFileSync(
      path.join(bed.home(1), 'evil.tar.gz'),
      await tarGz([
        { name: 'ok.txt', data: 'x' },
        { name: 'x', type: 'symlink', linkname: '/etc/shadow' },
      ]),
    );
    const before = treeState(bed.root);
    const res = await bed.panel.request('POST', '/api/files/extract', {
      body: { account_id: 1, path: '/evil.tar.gz', destination: '/public_html' },
      as: 'user',
    });
    const job = await finished(res.body.data.job_id);
    expect(job.state).toBe('failed');
    expect(job.error).toBe("archive member 'x' is a symbolic link; links, devices and FIFOs are never extracted");
    expect(treeState(bed.root)).toEqual(before);
  });
});
