// Overview: usage against the licence, resources, the licence, the server and its web server.
import { api } from '../base/api.js';
import { h, type Child } from '../base/dom.js';
import { formatDuration, formatMb, percent } from '../base/format.js';
import { asyncSection } from '../components/async-section.js';
import { loadAccounts } from '../components/account-picker.js';
import { badge, card, definitionList, pageHeader } from '../components/page.js';
import { EVERYONE, type PageDef } from '../shell/types.js';
import { accountSummary } from './dashboard-account.js';
import { firstRunChecklist } from './dashboard-first-run.js';
import { resellerSummary } from './dashboard-reseller.js';
import { webServerCard } from './dashboard-webserver.js';

/** A compact figure: label, big value, a line under it and an optional usage bar. */
function tile(label: string, value: string, sub: Child, used?: { used: number; total: number | null }): HTMLElement {
  const p = used && used.total ? percent(used.used, used.total) : 0;
  const fill = h('div', { class: `bar-fill ${p >= 90 ? 'bar-danger' : p >= 75 ? 'bar-warn' : 'bar-ok'}` });
  fill.style.width = `${p}%`;
  return h(
    'section',
    { class: 'card tile', 'aria-label': label },
    h('p', { class: 'tile-label' }, label),
    h('p', { class: 'tile-value' }, value),
    h('div', { class: 'tile-sub' }, sub),
    used
      ? h(
          'div',
          {
            class: 'bar',
            role: 'meter',
            'aria-label': label,
            'aria-valuemin': 0,
            'aria-valuemax': 100,
            'aria-valuenow': Math.round(p),
          },
          fill,
        )
      : null,
  );
}

function statsCards(s: any): HTMLElement {
  const lic = s.license ?? {};
  const limit = (x: any) => (x?.limit === null || x?.limit === undefined ? 'no limit' : `of ${x.limit} allowed`);
  const tier = String(lic.tier ?? 'community');
  const state =
    lic.valid === false
      ? badge(String(lic.state ?? 'not valid'), 'danger')
      : badge(lic.state === 'grace' ? 'grace period' : 'valid', lic.state === 'grace' ? 'warn' : 'ok');
  return h(
    'div',
    { class: 'grid grid-4' },
    tile('Accounts', String(s.accounts?.count ?? 0), limit(s.accounts), {
      used: s.accounts?.count ?? 0,
      total: s.accounts?.limit ?? null,
    }),
    tile('Domains', String(s.domains?.count ?? 0), limit(s.domains), {
      used: s.domains?.count ?? 0,
      total: s.domains?.limit ?? null,
    }),
    tile('Disk', formatMb(s.disk?.used_mb), `of ${formatMb(s.disk?.total_mb)}`, {
      used: s.disk?.used_mb ?? 0,
      total: s.disk?.total_mb ?? null,
    }),
    tile('Memory', formatMb(s.memory?.used_mb), `of ${formatMb(s.memory?.total_mb)}`, {
      used: s.memory?.used_mb ?? 0,
      total: s.memory?.total_mb ?? null,
    }),
    tile('CPU', `${s.cpu?.usage_percent ?? 0}%`, `${s.cpu?.count ?? '?'} cores`, {
      used: s.cpu?.usage_percent ?? 0,
      total: 100,
    }),
    tile(
      'Load',
      (s.load_average ?? [])[0] !== undefined ? String(s.load_average[0]) : '—',
      `5 min ${(s.load_average ?? [])[1] ?? '—'} · 15 min ${(s.load_average ?? [])[2] ?? '—'}`,
    ),
    tile('Uptime', formatDuration(s.uptime_secs), 'since the server started'),
    tile('Licence', tier[0]!.toUpperCase() + tier.slice(1), [state, ' ', h('a', { href: '/licence' }, 'Details')]),
  );
}

function serverCard(i: any): HTMLElement {
  return card(
    'Server',
    definitionList([
      ['Hostname', i.hostname],
      ['Operating system', i.os],
      ['Kernel', i.kernel ?? '—'],
      ['CPU', `${i.cpu_count ?? '?'} × ${i.cpu_model ?? 'CPU'}`],
      ['Panel', `VeloPanel ${i.panel_version ?? ''} (${i.mode ?? '—'} mode)`],
    ]),
  );
}

export const dashboardPage: PageDef = {
  path: '/',
  title: 'Dashboard',
  roles: EVERYONE,
  nav: { label: 'Dashboard', icon: 'dashboard', section: 'overview', order: 0 },
  render(ctx) {
    const { session } = ctx;
    const subtitle = {
      user: 'Your hosting account at a glance.',
      reseller: 'Your accounts and what they use of your caps.',
      admin: 'Accounts, resources and services of this server.',
    }[session.role];
    ctx.root.append(pageHeader('Dashboard', subtitle));
    if (session.role === 'user') {
      ctx.root.append(asyncSection(async () => accountSummary((await loadAccounts(session))[0] ?? null), 'accounts'));
      return;
    }
    if (session.role === 'admin') ctx.root.append(firstRunChecklist());
    // A reseller sees its own caps and usage; the server's totals, load and licence are the admin's.
    if (session.role === 'reseller') {
      ctx.root.append(asyncSection(() => resellerSummary(session), 'accounts'));
      return;
    }
    ctx.root.append(asyncSection(async () => statsCards(await api('GET', '/api/system/stats')), 'system'));
    ctx.root.append(
      h(
        'div',
        { class: 'grid grid-2' },
        asyncSection(async () => serverCard(await api('GET', '/api/system/info')), 'system'),
        session.role === 'admin' ? webServerCard(ctx) : null,
      ),
    );
  },
};
