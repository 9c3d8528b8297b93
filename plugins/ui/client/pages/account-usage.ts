// An account's usage against its quotas: the compact meter of the accounts table (with an
// over-quota state a manager sees at a glance) and the full meters of the edit screen. Bandwidth
// shows only when the API reports it (`bandwidth_used_mb`); older panels send only the quota.
// Memory, CPU time and processes show where the API measures them (`resource_usage`, linux mode).
import { h } from '../base/dom.js';
import { formatDuration, formatMb, percent, plural } from '../base/format.js';
import type { Account } from '../components/account-picker.js';
import { usageBar } from '../components/meter.js';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Whether the account uses more disk than its quota (a quota of 0 or none is no limit). */
export function overDiskQuota(a: Account): boolean {
  const used = num(a.disk_used_mb);
  const quota = num(a.disk_quota_mb);
  return used !== null && quota !== null && quota > 0 && used > quota;
}

function mini(label: string, used: number, quota: number | null): HTMLElement {
  const p = percent(used, quota);
  const over = quota !== null && quota > 0 && used > quota;
  const fill = h('span', { class: `mini-fill${over || p >= 90 ? ' bar-danger' : p >= 75 ? ' bar-warn' : ''}` });
  fill.style.width = `${p}%`;
  const text = `${formatMb(used)} / ${quota ? formatMb(quota) : 'no limit'}`;
  // Over quota: red and bold here; the status column says it in words (the cell stays narrow).
  return h(
    'span',
    { class: `mini${over ? ' mini-over' : ''}`, title: `${label}: ${text}${over ? ' (over quota)' : ''}` },
    h('span', { class: 'mini-bar', 'aria-hidden': 'true' }, fill),
    over ? h('strong', null, text) : text,
  );
}

/** The account's processes' usage, or null where the API measures none (local mode, older panels). */
function resources(a: Account): { memory: number; limit: number | null; cpu: number | null; processes: number } | null {
  const r = a.resource_usage;
  const memory = num(r?.memory_mb);
  const processes = num(r?.processes);
  if (memory === null || processes === null) return null;
  return { memory, limit: num(r?.memory_limit_mb), cpu: num(r?.cpu_seconds), processes };
}

/** CPU time since the account's group was made: seconds while small, then hours and minutes. */
const cpuTime = (s: number) => (s < 60 ? `${s.toFixed(1)} s` : formatDuration(s));
const processCount = (n: number) => plural(n, 'process', 'processes');

/** The table cell: disk used of quota, bandwidth and memory when measured (CPU and processes in its tooltip). */
export function usageCell(a: Account): HTMLElement {
  const bandwidth = num(a.bandwidth_used_mb);
  const res = resources(a);
  const memory = res ? mini('Memory', res.memory, res.limit) : null;
  if (res && memory)
    memory.title += `; CPU ${res.cpu === null ? 'not measured' : cpuTime(res.cpu)}; ${processCount(res.processes)}`;
  return h(
    'span',
    { class: 'mini-stack' },
    mini('Disk', num(a.disk_used_mb) ?? 0, num(a.disk_quota_mb)),
    bandwidth === null ? null : mini('Bandwidth', bandwidth, num(a.bandwidth_quota_mb)),
    memory,
  );
}

/** The edit screen's meters and limits, read-only (they follow the plan). */
export function usageMeters(a: Account): HTMLElement {
  const quota = num(a.disk_quota_mb);
  const bandwidth = num(a.bandwidth_used_mb);
  const bwQuota = num(a.bandwidth_quota_mb);
  return h(
    'div',
    { class: 'usage-list' },
    usageBar('Disk', num(a.disk_used_mb) ?? 0, quota || null, formatMb),
    overDiskQuota(a)
      ? h(
          'p',
          { class: 'usage-over', role: 'status' },
          'Over its disk quota: uploads and new files may be refused until it frees space or moves to a larger plan.',
        )
      : null,
    bandwidth !== null
      ? usageBar('Bandwidth this month', bandwidth, bwQuota || null, formatMb)
      : h(
          'p',
          { class: 'hint' },
          `Bandwidth quota: ${bwQuota ? formatMb(bwQuota) : 'no limit'} (traffic is not measured on this server).`,
        ),
    ...processMeters(a),
  );
}

/** Memory of the plan's limit, CPU time and processes, or nothing where they are not measured (edit screen, dashboard). */
export function processMeters(a: Account): HTMLElement[] {
  const res = resources(a);
  if (!res) return [];
  return [
    usageBar('Memory', res.memory, res.limit, formatMb),
    h(
      'p',
      { class: 'hint usage-processes' },
      `CPU time: ${res.cpu === null ? 'not measured on this server' : cpuTime(res.cpu)} · ${processCount(res.processes)} running`,
    ),
  ];
}
