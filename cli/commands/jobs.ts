import type { JobRecord } from '../../sdk/jobs.js';
import type { CommandSpec } from '../command.js';
import { Exit, usageError } from '../exit-codes.js';
import { describeResult } from '../output.js';
import { listCommand } from '../list-command.js';
import { followJob, jobExit, jobFailure, progressMode } from '../progress.js';

const JOB_ID = /^[0-9a-f-]{36}$/;
const jobArg = { name: 'id', help: 'job id (from `velopanel jobs list` or a --no-wait start)' };

function checkId(id: string, cmd: string): string {
  if (!JOB_ID.test(id)) throw usageError(`'${id}' is not a job id`, cmd);
  return id;
}

export const jobsWatchCommand: CommandSpec = {
  path: ['jobs', 'watch'],
  summary: 'Follow a job live until it ends (exit code 7 when it fails)',
  args: [jobArg],
  options: [
    { name: 'progress', value: 'MODE', help: 'bar, lines or none (default: bar on a terminal, lines otherwise)' },
  ],
  async run(ctx) {
    const id = checkId(ctx.args.id!, 'jobs watch');
    const job = await followJob(
      ctx.api(),
      id,
      ctx.out,
      progressMode(ctx.out, ctx.options.progress),
      `job ${id.slice(0, 8)}`,
    );
    ctx.out.result(job, () =>
      job.state === 'succeeded'
        ? [`Job ${job.id} (${job.kind}) succeeded.`, ...describeResult(job.result)]
        : [`Job ${job.id} (${job.kind}) ${job.state}: ${jobFailure(job)}`],
    );
    return jobExit(job);
  },
};

export const jobsListCommand = listCommand<JobRecord & { error_detail?: string | null }>({
  path: ['jobs', 'list'],
  summary: 'Recent jobs (admins: all; others: their own)',
  route: '/api/jobs',
  columns: [
    { header: 'ID', cell: (j) => j.id },
    { header: 'KIND', cell: (j) => j.kind },
    { header: 'STATE', cell: (j) => j.state },
    { header: 'PROGRESS', cell: (j) => `${j.progress}%`, right: true },
    { header: 'TARGET', cell: (j) => j.target },
    { header: 'CREATED', cell: (j) => j.created_at },
    // A failed job's error, then the server detail the panel sends admins only (as jobs watch shows it).
    { header: 'MESSAGE', cell: (j) => (j.error ? jobFailure(j) : j.message) },
  ],
});

export const jobsCancelCommand: CommandSpec = {
  path: ['jobs', 'cancel'],
  summary: 'Cancel a queued or running job',
  args: [jobArg],
  async run(ctx) {
    const id = checkId(ctx.args.id!, 'jobs cancel');
    const job = await ctx.api().request<JobRecord>('POST', `/api/jobs/${id}/cancel`);
    ctx.out.result(job, () => `Cancel requested for job ${job.id} (${job.kind}); it is ${job.state}.`);
    return Exit.OK;
  },
};
