import Type from 'typebox';
import { RAW_RESPONSE, type ApiRequest, type RouteDefinition } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import { followJob } from '../jobs/job-follow.js';
import { jobFor, type StoredJob } from '../jobs/job-view.js';
import type { Kernel } from '../kernel.js';
import type { ListSpec } from '../lists/list-query.js';
import { listRoute } from '../lists/list-route.js';

const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$', 'x-error': 'must be a job id' }) });
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** What `GET /api/jobs` sorts and searches by; newest first, 100 a page unless `limit` says otherwise. */
export const JOB_LIST: ListSpec = {
  sort: ['created_at', 'updated_at', 'finished_at', 'kind', 'plugin', 'state'],
  search: ['kind', 'plugin', 'state', 'target'],
  order: { column: 'created_at', desc: true },
};

/**
 * Jobs: read, stream (server-sent events), cancel. Admins see all, each with its `error_detail`;
 * others their own, without it.
 */
export function jobRoutes(k: Kernel): RouteDefinition[] {
  const load = async (req: ApiRequest): Promise<StoredJob> => {
    const job = await k.jobs.get(req.params.id);
    const p = req.principal!;
    if (!job || (p.role !== 'admin' && job.owner_user_id !== p.userId)) throw errors.notFound('Job not found');
    return job;
  };
  const visible = (req: ApiRequest) => (req.principal!.role === 'admin' ? {} : { ownerUserId: req.principal!.userId });
  const shownTo = (req: ApiRequest) => (j: StoredJob) => jobFor(req.principal, j);
  /** A route on one job (`:id`) the caller may see: a 404 for any other. */
  const onJob = (
    def: Pick<RouteDefinition, 'method' | 'path' | 'summary'> & { scope: string },
    work: (job: StoredJob, req: ApiRequest) => unknown,
  ): RouteDefinition => ({
    method: def.method,
    path: def.path,
    summary: def.summary,
    schema: { params: IdParams },
    access: { scope: def.scope },
    handler: async (req) => work(await load(req), req),
  });
  return [
    listRoute(JOB_LIST, {
      path: '/api/jobs',
      summary: 'Recent jobs (optional limit, offset, sort, q: the answer then adds total)',
      access: { scope: 'jobs:read' },
      page: async (req, params) =>
        (await k.jobs.page(visible(req), JOB_LIST, { ...params, limit: params.limit ?? 100 })).map(shownTo(req)),
      all: async (req) => (await k.jobs.list(visible(req))).map(shownTo(req)),
    }),
    onJob(
      {
        method: 'GET',
        path: '/api/jobs/:id',
        summary: 'One job with progress (admins: with error_detail)',
        scope: 'jobs:read',
      },
      (job, req) => jobFor(req.principal, job),
    ),
    onJob(
      { method: 'POST', path: '/api/jobs/:id/cancel', summary: 'Cancel a job', scope: 'jobs:write' },
      async (job, req) => {
        if (FINAL.has(job.state)) throw errors.conflict(`Job already ${job.state}`);
        const after = await k.jobs.cancel(job.id);
        return after && jobFor(req.principal, after);
      },
    ),
    onJob(
      {
        method: 'GET',
        path: '/api/jobs/:id/events',
        summary: 'Job progress as server-sent events',
        scope: 'jobs:read',
      },
      async (job, req) => {
        const res = req.res;
        res.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        });
        const send = (j: StoredJob) =>
          res.write(
            `event: ${FINAL.has(j.state) ? 'end' : 'progress'}\ndata: ${JSON.stringify(jobFor(req.principal, j))}\n\n`,
          );
        send(job);
        if (FINAL.has(job.state)) {
          res.end();
          return RAW_RESPONSE;
        }
        const onUpdate = (j: StoredJob) => {
          send(j);
          if (FINAL.has(j.state)) cleanup();
        };
        const ping = setInterval(() => res.write(': ping\n\n'), 15000);
        let closed = false;
        const cleanup = () => {
          if (closed) return;
          closed = true;
          clearInterval(ping);
          unfollow();
          res.end();
        };
        // Another node sharing the store may run the job: then it is followed through the store.
        const unfollow = followJob(k.jobs, job.id, onUpdate);
        req.raw.on('close', cleanup);
        // The job may have finished between the read and the subscription.
        const latest = await k.jobs.get(job.id);
        if (latest && FINAL.has(latest.state)) onUpdate(latest);
        return RAW_RESPONSE;
      },
    ),
  ];
}
