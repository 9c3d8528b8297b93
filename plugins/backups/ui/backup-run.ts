// Run a backup or restore with a live progress bar, and show a restore's per-item report.
import {
  api,
  ApiError,
  badge,
  dataTable,
  describeError,
  findRunningJob,
  followJob,
  h,
  isJob,
  type JobRecord,
  listOf,
  progressBar,
  routeFields,
  withQuery,
} from '../../ui/client/kit.js';

/**
 * POST a backup/restore route (with `query`, such as the `target`); follows its job's progress in
 * `host`; resolves with the result.
 */
export async function runWithProgress(
  label: string,
  path: string,
  template: string,
  host: HTMLElement,
  query: Record<string, string> = {},
): Promise<unknown> {
  const bar = progressBar(label);
  host.replaceChildren(bar.el);
  const show = (j: JobRecord) =>
    bar.set(j.progress, j.message ?? (j.state === 'queued' ? 'Waiting for another operation on this account…' : null));
  const started = Date.now();
  try {
    let answer: unknown;
    if (routeFields('POST', template).query.includes('async')) {
      answer = await api('POST', withQuery(path, { ...query, async: 'true' }));
    } else {
      let finished = false;
      const request = api('POST', withQuery(path, query)).finally(() => (finished = true));
      void findRunningJob('backups', started, () => finished).then(
        (job) => job && followJob(job.id, (j) => !finished && show(j)),
      );
      answer = await request;
    }
    if (isJob(answer)) {
      const job = await followJob(answer.id, show);
      if (job.state !== 'succeeded') throw new ApiError(job.error ?? `The job was ${job.state}.`, 500);
      answer = job.result;
    }
    bar.done(true, `${label}: finished.`);
    return answer;
  } catch (e) {
    bar.done(false, describeError(e));
    throw e;
  }
}

/** A line's message, its error (with its detail, which only admins are sent) or its note. */
function itemDetails(x: any): string {
  const error = x?.error && x?.error_detail ? `${x.error}: ${x.error_detail}` : x?.error;
  return String(x?.message ?? error ?? x?.detail ?? '');
}

function itemName(x: any): string {
  return String(x?.item ?? x?.name ?? x?.part ?? x?.type ?? x?.database ?? 'item');
}

/** The per-item report of a restore (files, each database, settings). */
export function restoreReport(result: any): HTMLElement {
  const map = result?.items ?? result?.report;
  const items =
    map && typeof map === 'object' && !Array.isArray(map)
      ? Object.entries(map).map(([item, v]) => ({ item, ...(v && typeof v === 'object' ? v : { status: v }) }))
      : listOf<any>(result, 'items', 'report', 'restored');
  if (!items.length) return h('p', { class: 'hint' }, 'The restore finished; the panel gave no per-item report.');
  const overall = typeof result?.status === 'string' ? String(result.status) : null;
  const summary = overall
    ? h(
        'p',
        { class: 'report-summary' },
        'Result: ',
        badge(overall, overall === 'complete' ? 'ok' : overall === 'partial' ? 'warn' : 'danger'),
        result?.account_created ? ' — the account was recreated from the backup.' : null,
      )
    : null;
  return h(
    'div',
    null,
    summary,
    dataTable<any>(
      [
        { label: 'Item', cell: (x) => h('strong', null, itemName(x)) },
        {
          label: 'Result',
          cell: (x) => {
            const s = String(x?.status ?? x?.state ?? (x?.ok === false ? 'failed' : 'restored'));
            return badge(s, /fail|error/.test(s) ? 'danger' : /skip/.test(s) ? 'muted' : 'ok');
          },
        },
        { label: 'Details', cell: (x) => itemDetails(x) },
      ],
      items,
      { empty: '', label: 'Restore report', keepTable: true },
    ),
  );
}
