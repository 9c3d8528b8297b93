import type { StoredJob } from './job-view.js';
import type { JobRunner } from './job-service.js';

/** A job run by another node is re-read this often even without a notification (MariaDB, a lost one). */
const REMOTE_POLL_MS = 1000;
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Call `onUpdate` with each new state of a job until it is final; returns the unsubscribe. A job
 * this node runs is followed in memory; one another node runs is re-read from its row when the
 * change feed says it moved, and every second as a fallback.
 */
export function followJob(jobs: JobRunner, id: string, onUpdate: (j: StoredJob) => void): () => void {
  if (jobs.runsHere(id)) {
    jobs.events.on(id, onUpdate);
    return () => jobs.events.off(id, onUpdate);
  }
  let stopped = false;
  let lastSeen = '';
  let reading = false;
  let again = false;
  const reread = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const j = await jobs.get(id).catch(() => null);
        if (stopped || !j) return;
        const seen = `${j.state}|${j.progress}|${j.message}|${j.updated_at}`;
        if (seen === lastSeen) continue;
        lastSeen = seen;
        onUpdate(j);
        if (FINAL.has(j.state)) return unsubscribe();
      } while (again && !stopped);
    } finally {
      reading = false;
    }
  };
  const onNotice = (p: Record<string, unknown>) => void (p.id === id && reread());
  const onResync = () => void reread();
  const timer = setInterval(() => void reread(), REMOTE_POLL_MS);
  timer.unref();
  jobs.feed.on('job', onNotice);
  jobs.feed.on('resync', onResync);
  const unsubscribe = () => {
    stopped = true;
    clearInterval(timer);
    jobs.feed.off('job', onNotice);
    jobs.feed.off('resync', onResync);
  };
  return unsubscribe;
}
