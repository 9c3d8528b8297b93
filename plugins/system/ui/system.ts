// The server: resources with bars, load, the servers the panel manages, bandwidth metering,
// processes, and a day of CPU, memory and load charts.
import {
  api,
  asyncSection,
  button,
  card,
  dataTable,
  definitionList,
  emptyState,
  formatDuration,
  formatMb,
  h,
  hasRoute,
  lineChart,
  listOf,
  pluginPage,
  pageHeader,
  percent,
  usageBar,
} from '../../ui/client/kit.js';
import { bandwidthCard } from './system-bandwidth.js';
import { servicesCard } from './system-services.js';

interface Sample {
  t: number | string;
  cpu_percent: number | null;
  memory_used_mb: number | null;
  memory_total_mb: number | null;
  load1: number | null;
  load5?: number | null;
  load15?: number | null;
}
interface Proc {
  pid: number;
  user?: string;
  name: string;
  state?: string;
  cpu_percent?: number;
  memory_mb?: number;
  threads?: number;
}

function resources(i: any): HTMLElement {
  const loads: number[] = i.load_average ?? [];
  return h(
    'div',
    { class: 'grid grid-2' },
    card(
      'Resources',
      h(
        'div',
        { class: 'stack' },
        usageBar('CPU', i.cpu_usage_percent ?? 0, 100, String, `${i.cpu_usage_percent ?? 0}% busy`),
        usageBar('Memory', i.memory_used_mb ?? 0, i.memory_total_mb ?? null, formatMb),
        usageBar('Disk', i.disk_used_mb ?? 0, i.disk_total_mb ?? null, formatMb),
      ),
    ),
    card(
      'Load',
      h(
        'div',
        { class: 'stack' },
        h(
          'div',
          { class: 'load-row' },
          ['1 min', '5 min', '15 min'].map((l, k) =>
            h(
              'div',
              { class: 'stat' },
              h('span', { class: 'stat-value' }, String(loads[k] ?? '—')),
              h('span', { class: 'stat-label' }, l),
            ),
          ),
        ),
        definitionList([
          ['CPU cores', String(i.cpu_count ?? '—')],
          [
            'Load per core (1 min)',
            loads[0] !== undefined && i.cpu_count ? `${Math.round(percent(loads[0], i.cpu_count))}%` : '—',
          ],
          ['Uptime', formatDuration(i.uptime_secs)],
          ['Hostname', i.hostname ?? '—'],
        ]),
      ),
    ),
  );
}

function charts(data: any): HTMLElement {
  const samples = listOf<Sample>(data, 'samples');
  const times = samples.map((s) => (typeof s.t === 'number' ? s.t : new Date(s.t).getTime()));
  return h(
    'div',
    { class: 'grid grid-3' },
    card(
      null,
      lineChart('CPU', times, [{ label: 'CPU', values: samples.map((s) => s.cpu_percent), tone: 's1' }], {
        max: 100,
        unit: '%',
      }),
    ),
    card(
      null,
      lineChart(
        'Memory',
        times,
        [
          {
            label: 'Used',
            values: samples.map((s) =>
              s.memory_used_mb === null || !s.memory_total_mb
                ? null
                : Math.round(percent(s.memory_used_mb, s.memory_total_mb) * 10) / 10,
            ),
            tone: 's2',
          },
        ],
        { max: 100, unit: '%' },
      ),
    ),
    card(
      null,
      lineChart('Load', times, [
        { label: '1 min', values: samples.map((s) => s.load1), tone: 's3' },
        { label: '15 min', values: samples.map((s) => s.load15 ?? null), tone: 's1' },
      ]),
    ),
  );
}

const SHOWN = 15;

function processes(list: Proc[], all = false): HTMLElement {
  const table = dataTable<Proc>(
    [
      { label: 'PID', class: 'num hide-sm', cell: (p) => String(p.pid) },
      { label: 'Process', cell: (p) => h('strong', { class: 'break' }, p.name) },
      { label: 'User', class: 'hide-sm', cell: (p) => p.user ?? '—' },
      { label: 'State', class: 'hide-md hide-sm', cell: (p) => p.state ?? '—' },
      { label: 'CPU', class: 'num', cell: (p) => (p.cpu_percent === undefined ? '—' : `${p.cpu_percent}%`) },
      { label: 'Memory', class: 'num', cell: (p) => (p.memory_mb === undefined ? '—' : formatMb(p.memory_mb)) },
    ],
    all ? list : list.slice(0, SHOWN),
    { empty: 'No processes were reported.', label: 'Processes', keepTable: true },
  );
  if (all || list.length <= SHOWN) return table;
  const wrap = h('div', null, table);
  wrap.append(
    h(
      'div',
      { class: 'pager' },
      button(`Show all ${list.length}`, { small: true, onClick: () => wrap.replaceWith(processes(list, true)) }),
    ),
  );
  return wrap;
}

export const systemPage = pluginPage({
  plugin: 'system',
  title: 'System',
  roles: ['admin'],
  nav: { icon: 'system', section: 'server', order: 10 },
  render(ctx) {
    const info = asyncSection(async () => resources(await api('GET', '/api/system/info')), 'system');
    const history = hasRoute('GET', '/api/system/history')
      ? asyncSection(async () => charts(await api('GET', '/api/system/history')), 'system')
      : emptyState('This panel\u2019s system plugin does not record history.');
    const procs = hasRoute('GET', '/api/system/processes')
      ? asyncSection(
          async () => processes(listOf<Proc>(await api('GET', '/api/system/processes'), 'processes')),
          'system',
        )
      : emptyState('This panel\u2019s system plugin does not list processes.');
    const services = servicesCard();
    const bandwidth = bandwidthCard();
    const refresh = () => {
      void info.reload();
      void services?.reload();
      void bandwidth?.reload();
      if ('reload' in procs) void (procs as any).reload();
    };
    ctx.root.append(
      pageHeader(
        'System',
        'Live resources of this server; charts cover the last 24 hours.',
        button('Refresh', { icon: 'refresh', onClick: refresh }),
      ),
      info,
      services ?? '',
      bandwidth ?? '',
      h('h2', { class: 'section-title' }, 'Last 24 hours'),
      history,
      card('Processes', procs, { class: 'card-flush' }),
    );
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, 30_000);
    ctx.onLeave(() => clearInterval(timer));
  },
});
