// Domains of the accounts this login may manage: list with SSL state, add, delete.
import { api, apiPage, listOf } from '../base/api.js';
import { hasRoute, pluginActive, routeFields } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { plural } from '../base/format.js';
import { setQuery } from '../base/router.js';
import { loadAccounts, type Account } from '../components/account-picker.js';
import { asyncSection } from '../components/async-section.js';
import { confirmAction } from '../components/dialog.js';
import { listPager } from '../components/list-pager.js';
import { badge, button, card, emptyState, iconButton, pageHeader } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { describeError } from '../base/api.js';
import { EVERYONE, type PageDef } from '../shell/types.js';
import { addDomainDialog } from './domain-form.js';
import { certBadge, certificatesByDomain } from './ssl-state.js';

/** A domain as the domains API returns it. */
export interface Domain {
  id: number;
  account_id: number;
  domain_name: string;
  domain_type: string;
  document_root?: string;
  created_at?: string;
}

/** Rows of the domains table a page. */
const PAGE = 100;

const TYPE_TONE: Record<string, 'info' | 'muted' | 'ok'> = {
  primary: 'info',
  addon: 'ok',
  subdomain: 'muted',
  alias: 'muted',
};

export const domainsPage: PageDef = {
  path: '/domains',
  title: 'Domains',
  roles: EVERYONE,
  plugin: 'domains',
  nav: { label: 'Domains', icon: 'domains', section: 'hosting', order: 20 },
  render(ctx) {
    const count = h('span');
    let accounts: Account[] = [];
    const filter = h('select', { class: 'picker-select', 'aria-label': 'Show domains of' });
    // Pages of 100 through the API, searchable by name, where the API takes the list parameters.
    const paged = routeFields('GET', '/api/domains').query.includes('limit');
    const pager = listPager(PAGE, 'domains', () => void list.reload());
    const list = asyncSection(async () => {
      const wanted = filter.value || ctx.query.get('account') || '';
      const path = wanted ? `/api/domains/account/${encodeURIComponent(wanted)}` : '/api/domains';
      const [page, certs] = await Promise.all([
        paged
          ? apiPage<Domain>(path, pager.params())
          : api('GET', path).then((d) => ({ items: listOf<Domain>(d, 'domains'), total: null })),
        certificatesByDomain(),
      ]);
      const domains = page.items;
      if (page.total !== null) pager.shown(page.total, domains.length);
      count.textContent = plural(page.total ?? domains.length, 'domain');
      const owner = (id: number) => accounts.find((a) => a.id === id)?.username ?? `#${id}`;
      const root = (d: Domain) => {
        const home = accounts.find((a) => a.id === d.account_id)?.home_dir;
        const full = d.document_root ?? '—';
        return h(
          'code',
          { class: 'wrap-any', title: full },
          home && full.startsWith(`${home}/`) ? `~${full.slice(home.length)}` : full,
        );
      };
      const del = (d: Domain) =>
        d.domain_type === 'primary' || !hasRoute('DELETE', '/api/domains/{id}')
          ? null
          : iconButton(
              'Delete',
              'trash',
              async () => {
                if (
                  !(await confirmAction({
                    title: 'Delete domain',
                    danger: true,
                    confirmLabel: 'Delete domain',
                    message: [
                      h('p', null, 'Delete ', h('strong', null, d.domain_name), '?'),
                      h('p', null, 'Its web-server configuration is removed; files in its document root stay.'),
                    ],
                  }))
                )
                  return;
                try {
                  await api('DELETE', `/api/domains/${d.id}`);
                  notify(`${d.domain_name} was deleted.`, 'success');
                  void list.reload();
                } catch (e) {
                  notify(describeError(e), 'error');
                }
              },
              'danger',
            );
      // A primary or addon domain has a zone of its own: its records are one click away.
      const dns = (d: Domain) =>
        pluginActive('dns') && (d.domain_type === 'primary' || d.domain_type === 'addon')
          ? iconButton('DNS records', 'edit', () => ctx.navigate(`/dns?zone=${encodeURIComponent(d.domain_name)}`))
          : null;
      if (!domains.length && pager.params().q)
        return card(null, h('div', null, emptyState('No domain matches this search.'), pager.footer), {
          class: 'card-flush',
        });
      return card(
        null,
        h(
          'div',
          null,
          dataTable<Domain>(
            [
              { label: 'Domain', cell: (d) => h('strong', { class: 'break' }, d.domain_name) },
              { label: 'Type', cell: (d) => badge(d.domain_type, TYPE_TONE[d.domain_type] ?? 'muted') },
              { label: 'Account', class: 'nowrap', cell: (d) => owner(d.account_id) },
              { label: 'Document root', cell: root },
              { label: 'SSL', cell: (d) => certBadge(certs.get(d.domain_name)) },
              { label: 'Actions', class: 'col-actions', cell: (d) => rowActions(dns(d), del(d)) },
            ],
            domains,
            { empty: 'No domains here yet.', label: 'Domains' },
          ),
          pager.footer,
        ),
        { class: 'card-flush' },
      );
    }, 'domains');
    const add = hasRoute('POST', '/api/domains')
      ? button('Add domain', {
          kind: 'primary',
          icon: 'plus',
          onClick: () => addDomainDialog(accounts, Number(filter.value) || null, () => void list.reload()),
        })
      : null;
    filter.addEventListener('change', () => {
      setQuery({ account: filter.value || null });
      pager.reset();
      void list.reload();
    });
    ctx.root.append(pageHeader('Domains', count, filter, paged ? pager.search : null, add), list);
    void loadAccounts(ctx.session)
      .then((all) => {
        accounts = all;
        const current = ctx.query.get('account') ?? '';
        filter.replaceChildren(
          ...(ctx.session.role === 'user' ? [] : [h('option', { value: '' }, 'All accounts')]),
          ...all.map((a) => h('option', { value: String(a.id) }, a.username)),
        );
        filter.value = all.some((a) => String(a.id) === current)
          ? current
          : ctx.session.role === 'user' && all[0]
            ? String(all[0].id)
            : '';
        filter.hidden = all.length < 2 && ctx.session.role === 'user';
        void list.reload();
      })
      .catch(() => {
        filter.hidden = true;
      });
  },
};
