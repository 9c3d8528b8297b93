// Compress and extract of large selections continue as jobs: the file manager shows each one live
// (percentage and current file from the job's event stream, a Cancel button), reloads the folder
// when it ends, clears the bar of work that finished, and keeps a failed one with its reason.
// Work still running when the page is opened again is shown the same way.
import { api, describeError } from '../base/api.js';
import { h } from '../base/dom.js';
import { notify } from '../components/toast.js';
import type { ArchiveWork } from './files-api.js';
import { liveJob } from './job-live.js';
import { unfinishedJobs, type JobRecord } from './job-stream.js';

const KINDS: Record<string, string> = { 'files.compress': 'Compressing', 'files.extract': 'Extracting' };

/** The file manager's running archive work. */
export interface FileJobs {
  el: HTMLElement;
  /** Announce what an archive request answered: done now, or followed live when it became a job. */
  follow(work: ArchiveWork | unknown, label: string): Promise<void>;
}

/** `done` reloads the listing; `stop` closes the event streams when the page is left. */
export function fileJobs(accountId: number, done: () => void, stop: AbortSignal): FileJobs {
  const el = h('div', { class: 'file-jobs', 'aria-live': 'polite' });
  const shown = new Set<string>();
  const show = async (job: JobRecord, label: string) => {
    if (shown.has(job.id)) return;
    shown.add(job.id);
    const live = liveJob(job, label, stop);
    el.append(live.el);
    const end = await live.ended;
    if (end.state === 'succeeded') {
      notify(`${label} is done.`, 'success');
      live.el.remove();
    } else if (end.state === 'failed') notify(`${label} failed${end.error ? `: ${end.error}` : '.'}`, 'error');
    else live.el.remove();
    done();
  };
  // Opened again while its work runs: show that work instead of leaving it invisible.
  void unfinishedJobs(`account:${accountId}`, 'files').then(
    (jobs) => {
      for (const j of jobs) void show(j, KINDS[j.kind] ?? 'Working');
    },
    () => undefined,
  );
  return {
    el,
    async follow(work, label) {
      const id = (work as ArchiveWork | null)?.job_id;
      if (id === null || id === undefined) {
        notify(`${label} is done.`, 'success');
        done();
        return;
      }
      try {
        await show(await api<JobRecord>('GET', `/api/jobs/${encodeURIComponent(String(id))}`), label);
      } catch (e) {
        notify(describeError(e), 'error');
      }
    },
  };
}
