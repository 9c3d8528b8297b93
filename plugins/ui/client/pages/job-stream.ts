// Follow a kernel job live through its server-sent events (/api/jobs/:id/events).
import { api, apiPage, listOf } from '../base/api.js';

/** A job as the kernel reports it. */
export interface JobRecord {
  id: string;
  kind: string;
  plugin: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  message: string | null;
  result: unknown;
  error: string | null;
  target: string | null;
  created_at: string;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Whether a job has ended (succeeded, failed or was cancelled). */
export const isFinished = (j: Pick<JobRecord, 'state'>): boolean => FINAL.has(j.state);

/** Whether an API answer is a job record (an `?async=true` start) rather than a finished result. */
export function isJob(x: unknown): x is JobRecord {
  const j = x as JobRecord | null;
  return (
    !!j &&
    typeof j === 'object' &&
    typeof j.id === 'string' &&
    typeof j.state === 'string' &&
    typeof j.progress === 'number'
  );
}

/**
 * Stream a job's progress to `onProgress` until it ends; resolves with the final record.
 * `stop` closes the stream early (the page was left); the promise then never resolves.
 */
export function followJob(id: string, onProgress: (job: JobRecord) => void, stop?: AbortSignal): Promise<JobRecord> {
  return new Promise((resolve) => {
    const es = new EventSource(`/api/jobs/${encodeURIComponent(id)}/events`);
    stop?.addEventListener('abort', () => es.close());
    let finished = false;
    const finish = (job: JobRecord) => {
      if (finished) return;
      finished = true;
      es.close();
      onProgress(job);
      resolve(job);
    };
    const read = (e: MessageEvent) => {
      try {
        return JSON.parse(String(e.data)) as JobRecord;
      } catch {
        return null;
      }
    };
    es.addEventListener('progress', (e) => {
      const job = read(e as MessageEvent);
      if (job) onProgress(job);
    });
    es.addEventListener('end', (e) => {
      const job = read(e as MessageEvent);
      if (job) finish(job);
    });
    // A dropped stream reconnects by itself; check whether the job ended meanwhile.
    es.addEventListener('error', () => {
      void api<JobRecord>('GET', `/api/jobs/${encodeURIComponent(id)}`).then(
        (job) => FINAL.has(job.state) && finish(job),
        () => undefined,
      );
    });
  });
}

/**
 * While a synchronous request runs, look for the job it started (same plugin, newest, not
 * finished) so its progress can be shown too. Stops when `done()` says the request finished.
 */
export async function findRunningJob(plugin: string, since: number, done: () => boolean): Promise<JobRecord | null> {
  for (let i = 0; i < 60 && !done(); i++) {
    const jobs = listOf<JobRecord>(await api('GET', '/api/jobs').catch(() => []));
    const job = jobs.find(
      (j) => j.plugin === plugin && !FINAL.has(j.state) && new Date(j.created_at).getTime() >= since - 2000,
    );
    if (job) return job;
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

/**
 * The unfinished jobs of one target (e.g. `account:7`), newest first, so a page opened again
 * shows the work still running instead of offering to start it a second time.
 */
export async function unfinishedJobs(target: string, plugin?: string): Promise<JobRecord[]> {
  const { items } = await apiPage<JobRecord>('/api/jobs', { limit: 100, q: target });
  return items.filter((j) => j.target === target && !FINAL.has(j.state) && (!plugin || j.plugin === plugin));
}
