// One job shown live: its bar and message, and a Cancel button while it runs. Used by the jobs
// page and by pages that find their own work still running when they are opened again.
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { confirmAction } from '../components/dialog.js';
import { progressBar } from '../components/meter.js';
import { button } from '../components/page.js';
import { notify } from '../components/toast.js';
import { followJob, isFinished, type JobRecord } from './job-stream.js';

const KIND_WORDS: Record<string, string> = {
  'backup.create': 'Backup',
  'backup.scheduled': 'Scheduled backup',
  'backup.restore': 'Restore',
  'ssl.renew': 'Certificate renewal',
};

/** A job's kind in words: "backup.create" → "Backup", an unknown "dns.sync" → "Dns sync". */
export function jobWords(kind: string): string {
  const known = KIND_WORDS[kind];
  if (known) return known;
  const words = kind.replace(/[._-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Job';
}

/** What a job's state is called on screen. */
export const STATE_WORDS: Record<JobRecord['state'], string> = {
  queued: 'waiting',
  running: 'running',
  succeeded: 'finished',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** Ask, then cancel a job; true when the API accepted. */
export async function cancelJob(job: JobRecord, what: string): Promise<boolean> {
  const ok = await confirmAction({
    title: 'Cancel job',
    danger: true,
    confirmLabel: 'Cancel job',
    cancelLabel: 'Keep running',
    message: h('p', null, `Stop ${what}? Work already done is rolled back where the job can do so.`),
  });
  if (!ok) return false;
  try {
    await api('POST', `/api/jobs/${encodeURIComponent(job.id)}/cancel`);
    notify(`${what[0]!.toUpperCase()}${what.slice(1)} was cancelled.`, 'success');
    return true;
  } catch (e) {
    notify(describeError(e), 'error');
    return false;
  }
}

/**
 * Show `job` live in a bar labelled `label`; `ended` resolves with its final record. `stop`
 * closes the stream when the page is left.
 */
export function liveJob(
  job: JobRecord,
  label: string,
  stop?: AbortSignal,
): { el: HTMLElement; ended: Promise<JobRecord> } {
  const bar = progressBar(label);
  const what = label.charAt(0).toLowerCase() + label.slice(1);
  const cancel = hasRoute('POST', '/api/jobs/{id}/cancel')
    ? button('Cancel', {
        small: true,
        kind: 'danger',
        onClick: async () => {
          cancel!.disabled = true;
          if (!(await cancelJob(job, what))) cancel!.disabled = false;
        },
      })
    : null;
  const el = h(
    'div',
    { class: 'live-job', 'data-job': job.id },
    bar.el,
    cancel ? h('div', { class: 'row-actions' }, cancel) : null,
  );
  const show = (j: JobRecord) =>
    bar.set(j.progress, j.message ?? (j.state === 'queued' ? 'Waiting for another operation on this account…' : null));
  show(job);
  const ended = (isFinished(job) ? Promise.resolve(job) : followJob(job.id, show, stop)).then((j) => {
    cancel?.remove();
    bar.done(
      j.state === 'succeeded',
      j.state === 'succeeded'
        ? `${label}: finished.`
        : j.state === 'cancelled'
          ? `${label}: cancelled.`
          : `${label}: failed${j.error ? ` — ${j.error}` : '.'}`,
    );
    return j;
  });
  return { el, ended };
}
