import type { ApiRequest } from '../../../sdk/routes.js';
import type { AccountInfo } from '../../../sdk/points/accounts.js';
import type { FileRoutesContext } from './context.js';
import { CompressBody, ExtractBody, MoveBody } from './schemas.js';

/** Rename/move and copy inside the home; compress a selection and extract archives. */
export function manageRoutes(shared: FileRoutesContext): void {
  const { ctx, runner, access, account, change, jobThreshold } = shared;
  ctx.route({
    method: 'POST',
    path: '/api/files/rename',
    summary: 'Rename or move a file or folder inside the home',
    schema: { body: MoveBody },
    access: access('files:write'),
    handler: async (req) => {
      const acc = await account(req);
      return change(acc, () => runner.run(acc, 'rename', { from: req.body.from, to: req.body.to }));
    },
  });
  ctx.route({
    method: 'POST',
    path: '/api/files/copy',
    summary: 'Copy a file or folder inside the home (quota checked first)',
    schema: { body: MoveBody },
    access: access('files:write'),
    handler: async (req) => {
      const acc = await account(req);
      return change(acc, () =>
        runner.withQuota(acc, (quota, used) =>
          runner.run(acc, 'copy', { from: req.body.from, to: req.body.to, quota, used }),
        ),
      );
    },
  });

  /** Small archive work answers at once; large work becomes a job (`job_id`, follow /api/jobs/:id). */
  async function maybeJob(
    req: ApiRequest,
    acc: AccountInfo,
    kind: string,
    sources: string[],
    run: (io: { progress?: (p: number, m?: string) => void; signal?: AbortSignal }) => Promise<object>,
  ) {
    const size = await change(acc, () => runner.run(acc, 'size', { paths: sources }));
    if (size.bytes < jobThreshold) return { job_id: null, ...(await change(acc, () => run({}))) };
    // Checked again when the job runs: a restore may have begun meanwhile.
    const job = await ctx.jobs.start(
      { kind, target: `account:${acc.id}`, ownerUserId: req.principal?.userId ?? null },
      (h) => change(acc, () => run({ progress: h.progress, signal: h.signal })),
    );
    return { job_id: job.id, state: job.state };
  }

  ctx.route({
    method: 'POST',
    path: '/api/files/compress',
    summary: 'Compress a selection into a new .tar.gz (a job when large)',
    schema: { body: CompressBody },
    access: access('files:write'),
    handler: async (req) => {
      const acc = await account(req);
      const args = { paths: req.body.paths, destination: req.body.destination };
      return maybeJob(req, acc, 'files.compress', args.paths, (io) =>
        runner.withQuota(acc, (quota, used) => runner.run(acc, 'compress', { ...args, quota, used }, io)),
      );
    },
  });
  ctx.route({
    method: 'POST',
    path: '/api/files/extract',
    summary: 'Extract a .tar.gz/.tgz/.zip into a folder (a job when large)',
    schema: { body: ExtractBody },
    access: access('files:write'),
    handler: async (req) => {
      const acc = await account(req);
      const args = { path: req.body.path, destination: req.body.destination };
      return maybeJob(req, acc, 'files.extract', [args.path], (io) =>
        runner.withQuota(acc, (quota, used) => runner.run(acc, 'extract', { ...args, quota, used }, io)),
      );
    },
  });
}
