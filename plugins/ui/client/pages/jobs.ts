// Jobs: the panel's background work (backups, restores, renewals), newest first, in pages. Work
// still running is followed live and can be cancelled; it is found again whenever the page opens.
import { apiPage } from '../base/api.js';
import { h } from '../base/dom.js';
import { formatDate, plural } from '../base/format.js';
import { asyncSection } from '../components/async-section.js';
import { listPager } from '../components/list-pager.js';
import { badge, card, emptyState, pageHeader, type Tone } from '../components/page.js';
import { dataTable } from '../components/table.js';
import { EVERYONE, type PageDef } from '../shell/types.js';
import { jobWords, liveJob, STATE_WORDS } from './job-live.js';
import { isFinished, type JobRecord } from './job-stream.js';

const PAGE = 50;

const TONES: Record<JobRecord['state'], Tone> = {
  queued: 'muted',
  running: 'info',
  succeeded: 'ok',
  failed: 'danger',
  cancelled: 'warn',
};

const stateBadge = (j: JobRecord) => badge(STATE_WORDS[j.state] ?? j.state, TONES[j.state] ?? 'muted');

/** What a finished job left to say: its error, or its last message. */
function outcome(j: JobRecord): HTMLElement {
  const text = j.error ?? j.message;
  return h(
    'span',
    { class: j.state === 'failed' ? 'wrap-any text-danger' : 'wrap-any muted' },
    text ?? (j.state === 'succeeded' ? 'Done.' : '—'),
  );
}

export const jobsPage: PageDef = {
  path: '/jobs',
  title: 'Jobs',
  roles: EVERYONE,
  nav: { label: 'Jobs', icon: 'refresh', section: 'panel', order: 25 },
  render(ctx) {
    const leave = new AbortController();
    ctx.onLeave(() => leave.abort());
    const count = h('span');
    const pager = listPager(PAGE, 'jobs', () => void list.reload());
    // Each running job streams into its own row; the row's state badge follows it.
    const progressCell = (j: JobRecord, state: HTMLElement) => {
      if (isFinished(j)) return outcome(j);
      const live = liveJob(j, jobWords(j.kind), leave.signal);
      void live.ended.then((end) => state.replaceChildren(stateBadge(end)));
      return live.el;
    };
    const list = asyncSection(async () => {
      const { items, total } = await apiPage<JobRecord>('/api/jobs', pager.params());
      pager.shown(total, items.length);
      count.textContent = plural(total, pager.params().q ? 'match' : 'job', pager.params().q ? 'matches' : 'jobs');
      if (!items.length)
        return card(
          null,
          emptyState(pager.params().q ? 'No job matches this search.' : 'No background work has run yet.'),
          { class: 'card-flush' },
        );
      const rows = items.map((j) => ({ j, state: h('span', null, stateBadge(j)) }));
      return card(
        null,
        h(
          'div',
          null,
          dataTable<(typeof rows)[number]>(
            [
              {
                label: 'Job',
                cell: ({ j }) =>
                  h(
                    'div',
                    { class: 'cell-main' },
                    h('strong', null, jobWords(j.kind)),
                    h('span', { class: 'muted' }, j.target ?? j.plugin),
                  ),
              },
              { label: 'State', cell: ({ state }) => state },
              { label: 'Progress', class: 'col-progress', cell: ({ j, state }) => progressCell(j, state) },
              { label: 'Started', class: 'nowrap hide-md', cell: ({ j }) => formatDate(j.created_at) },
            ],
            rows,
            { empty: '', label: 'Jobs' },
          ),
          pager.footer,
        ),
        { class: 'card-flush' },
      );
    });
    const subtitle =
      ctx.session.role === 'admin'
        ? 'Background work on this server, newest first.'
        : 'Background work you started, newest first.';
    ctx.root.append(pageHeader('Jobs', h('span', null, subtitle, ' ', count), pager.search), list);
  },
};
