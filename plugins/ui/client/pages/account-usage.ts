// An account's usage against its quotas: the compact meter of the accounts table (with an
// over-quota state a manager sees at a glance) and the full meters of the edit screen. Bandwidth
// shows only when the API reports it (`bandwidth_used_mb`); older panels send only the quota.
import { h } from '../base/dom.js';
import { formatMb, percent } from '../base/format.js';
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
  return h('span', { class: `mini${over ? ' mini-over' : ''}`, title: `${label}: ${text}${over ? ' (over quota)' : ''}` },
    h('span', { class: 'mini-bar', 'aria-hidden': 'true' }, fill), over ? h('strong', null, text) : text);
}

/** The table cell: disk used of quota, and bandwidth when measured. */
export function usageCell(a: Account): HTMLElement {
  const bandwidth = num(a.bandwidth_used_mb);
  return h('span', { class: 'mini-stack' },
    mini('Disk', num(a.disk_used_mb) ?? 0, num(a.disk_quota_mb)),
    bandwidth === null ? null : mini('Bandwidth', bandwidth, num(a.bandwidth_quota_mb)));
}

/** The edit screen's meters and limits, read-only (they follow the plan). */
export function usageMeters(a: Account): HTMLElement {
  const quota = num(a.disk_quota_mb);
  const bandwidth = num(a.bandwidth_used_mb);
  const bwQuota = num(a.bandwidth_quota_mb);
  return h('div', { class: 'usage-list' },
    usageBar('Disk', num(a.disk_used_mb) ?? 0, quota || null, formatMb),
    overDiskQuota(a) ? h('p', { class: 'usage-over', role: 'status' }, 'Over its disk quota: uploads and new files may be refused until it frees space or moves to a larger plan.') : null,
    bandwidth !== null ? usageBar('Bandwidth this month', bandwidth, bwQuota || null, formatMb)
      : h('p', { class: 'hint' }, `Bandwidth quota: ${bwQuota ? formatMb(bwQuota) : 'no limit'} (traffic is not measured on this server).`));
}
