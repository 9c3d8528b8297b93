import { setTimeout as sleep } from 'node:timers/promises';
import type { JobRecord } from '../sdk/jobs.js';
import type { ApiClient } from './api-client.js';
import { CliError, Exit } from './exit-codes.js';
import { cellText, type Output } from './output.js';

/** How progress is shown: a redrawn bar (terminal), a line per step (logs, pipes), or nothing. */
export type ProgressMode = 'bar' | 'lines' | 'none';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
const RECONNECTS = 20;

/** Whether an API answer is a job record (an `?async=true` start) rather than a finished result. */
export function asJob(x: unknown): JobRecord | null {
  const j = (x as { job?: unknown })?.job ?? x;
  const r = j as JobRecord | null;
  return r &&
    typeof r === 'object' &&
    typeof r.id === 'string' &&
    typeof r.state === 'string' &&
    typeof r.progress === 'number'
    ? r
    : null;
}

/** The progress mode a command line asks for (`--progress`), or the default for where stderr goes. */
export function progressMode(out: Output, requested: string | boolean | undefined): ProgressMode {
  if (out.quiet || (out.json && requested === undefined)) return 'none';
  if (requested === 'bar' || requested === 'lines' || requested === 'none') return requested;
  if (requested !== undefined) throw new CliError(`--progress: must be bar, lines or none`, Exit.USAGE, 'USAGE');
  return out.errIsTty ? 'bar' : 'lines';
}

function renderer(out: Output, mode: ProgressMode, label: string) {
  let lastLine = '';
  return {
    show(job: JobRecord) {
      if (mode === 'none') return;
      const pct = Math.max(0, Math.min(100, job.progress));
      const msg = job.message ? `  ${cellText(job.message)}` : '';
      if (mode === 'lines') {
        const line = `${label}: ${String(Math.floor(pct / 10) * 10).padStart(3)}% ${job.state}${msg}`;
        if (line !== lastLine) out.err.write(line + '\n');
        lastLine = line;
        return;
      }
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      const bar = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}%${msg}`;
      out.err.write(`\r\x1b[2K${bar.slice(0, Math.max(20, (out.err.columns || 100) - 1))}`);
    },
    end() {
      if (mode === 'bar') out.err.write('\n');
    },
  };
}

/** Read one server-sent event stream until the job ends; null when the stream dropped first. */
async function readStream(res: Response, onJob: (j: JobRecord) => void): Promise<JobRecord | null> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!data) continue;
      const job = JSON.parse(data) as JobRecord;
      onJob(job);
      if (event === 'end' || FINAL.has(job.state)) return job;
    }
  }
  return null;
}

/**
 * Follow a job through `/api/jobs/:id/events` with a live progress display until it ends,
 * reconnecting (bounded) when the stream drops. Ctrl-C stops watching, not the job.
 */
export async function followJob(
  api: ApiClient,
  id: string,
  out: Output,
  mode: ProgressMode,
  label: string,
): Promise<JobRecord> {
  const r = renderer(out, mode, label);
  const ctl = new AbortController();
  const onSigint = () => ctl.abort();
  process.once('SIGINT', onSigint);
  try {
    for (let attempt = 0; attempt <= RECONNECTS; attempt++) {
      const res = await api.events(`/api/jobs/${encodeURIComponent(id)}/events`, ctl.signal);
      const final = await readStream(res, (j) => r.show(j));
      if (final) return final;
      const now = await api.request<JobRecord>('GET', `/api/jobs/${encodeURIComponent(id)}`);
      if (FINAL.has(now.state)) return now;
      await sleep(500);
    }
    throw new CliError(
      `lost the progress stream of job ${id} ${RECONNECTS} times; follow it with: velopanel jobs watch ${id}`,
      Exit.UNREACHABLE,
    );
  } catch (e) {
    if (ctl.signal.aborted)
      throw new CliError(
        `stopped watching; job ${id} goes on in the panel (velopanel jobs watch ${id})`,
        Exit.INTERRUPTED,
      );
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    r.end();
  }
}

/** Exit code for a finished job: 0 when it succeeded, 7 otherwise. */
export function jobExit(job: JobRecord): number {
  return job.state === 'succeeded' ? Exit.OK : Exit.JOB_FAILED;
}

/** Why a job did not succeed: its error, then the server detail the panel sends admins only (`error_detail`). */
export function jobFailure(job: JobRecord & { error_detail?: string | null }): string {
  return job.error_detail ? `${cellText(job.error)}: ${cellText(job.error_detail)}` : cellText(job.error);
}
