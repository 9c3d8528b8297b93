// The dashboard of a hosting account's own login.
import { pluginActive } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatDate } from '../base/format.js';
import type { Account } from '../components/account-picker.js';
import { card, definitionList, emptyState } from '../components/page.js';
import { usageBar } from '../components/meter.js';
import { processMeters } from './account-usage.js';
import { statusBadge } from './accounts-table.js';

const SHORTCUTS: [string, string, string, string][] = [
  ['/files', 'Files', 'Edit and upload your website', 'files'],
  ['/domains', 'Domains', 'Addon domains and subdomains', 'domains'],
  ['/databases', 'Databases', 'MySQL and PostgreSQL', 'databases'],
  ['/backups', 'Backups', 'Save and restore everything', 'backups'],
];

/** The account's details, disk use and shortcuts. */
export function accountSummary(a: Account | null): HTMLElement {
  if (!a) return emptyState('Your login is not linked to a hosting account.');
  return h(
    'div',
    { class: 'grid grid-2' },
    card(
      'Your account',
      definitionList([
        ['Username', a.username],
        ['Primary domain', a.primary_domain ?? '—'],
        ['Email', a.email ?? '—'],
        ['Plan', a.plan ?? '—'],
        ['Status', statusBadge(a.status)],
        ['Created', formatDate(a.created_at)],
      ]),
    ),
    card(
      'Usage',
      h(
        'div',
        { class: 'stack' },
        usageBar('Disk', a.disk_used_mb ?? 0, a.disk_quota_mb ?? null, (n) => `${n} MB`),
        // Only where the panel measures it (null: the web server writes no access logs to count from).
        typeof a.bandwidth_used_mb === 'number'
          ? usageBar('Bandwidth this month', a.bandwidth_used_mb, a.bandwidth_quota_mb ?? null, (n) => `${n} MB`)
          : null,
        ...processMeters(a),
        h(
          'ul',
          { class: 'shortcuts' },
          SHORTCUTS.filter(([, , , plugin]) => pluginActive(plugin)).map(([href, label, text]) =>
            h('li', null, h('a', { href }, h('strong', null, label), h('span', null, text))),
          ),
        ),
      ),
    ),
  );
}
