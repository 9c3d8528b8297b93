import Type from 'typebox';
import type { JobRecord } from '../../sdk/jobs.js';
import { RAW_RESPONSE, type ApiRequest, type RouteDefinition } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import { followJob } from '../jobs/job-follow.js';
import type { Kernel } from '../kernel.js';
import { listParams, listQuerySchema, type ListSpec } from '../lists/list-query.js';

const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$', 'x-error': 'must be a job id' }) });
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** What `GET /api/jobs` sorts and searches by; newest first, 100 a page unless `limit` says otherwise. */
export const JOB_LIST: ListSpec = {
  sort: ['created_at', 'updated_at', 'finished_at', 'kind', 'plugin', 'state'],
  search: ['kind', 'plugin', 'state', 'target'],
  order: { column: 'created_at', desc: true },
};

/** Jobs: read, stream (server-sent events), cancel. Admins see all; others their own. */
export function jobRoutes(k: Kernel): RouteDefinition[] {
  const load = async (req: ApiRequest): Promise<JobRecord> => {
    const job = await k.jobs.get(req.params.id);
    const p = req.principal!;
    if (!job || (p.role !== 'admin' && job.owner_user_id !== p.userId)) throw errors.notFound('Job not found');
    return job;
  };
  return [
    {
      method: 'GET',
      path: '/api/jobs',
      summary: 'Recent jobs (optional limit, offset, sort, q: the answer then adds total)',
      access: { scope: 'jobs:read' },
      schema: { query: listQuerySchema(JOB_LIST) },
      handler: (req) => {
        const filter = req.principal!.role === 'admin' ? {} : { ownerUserId: req.principal!.userId };
        const params = listParams(req.query);
        return params ? k.jobs.page(filter, JOB_LIST, { ...params, limit: params.limit ?? 100 }) : k.jobs.list(filter);
      },
    },
    {
      method: 'GET',
      path: '/api/jobs/:id',
      summary: 'One job with progress',
      schema: { params: IdParams },
      access: { scope: 'jobs:read' },
      handler: load,
    },
    {
      method: 'POST',
      path: '/api/jobs/:id/cancel',
      summary: 'Cancel a job',
      schema: { params: IdParams },
      access: { scope: 'jobs:write' },
      handler: async (req) => {
        const job = await load(req);
        if (FINAL.has(job.state)) throw errors.conflict(`Job already ${job.state}`);
        return k.jobs.cancel(job.id);
      },
    },
    {
      method: 'GET',
      path: '/api/jobs/:id/events',
      summary: 'Job progress as server-sent events',
      schema: { params: IdParams },
      access: { scope: 'jobs:read' },
      handler: async (req) => {
        const job = await load(req);
        const res = req.res;
        res.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        });
        const send = (j: JobRecord) =>
          res.write(`event: ${FINAL.has(j.state) ? 'end' : 'progress'}\ndata: ${JSON.stringify(j)}\n\n`);
        send(job);
        if (FINAL.has(job.state)) {
          res.end();
          return RAW_RESPONSE;
        }
        const onUpdate = (j: JobRecord) => {
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
    },
  ];
}
