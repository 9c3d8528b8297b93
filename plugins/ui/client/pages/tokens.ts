// API tokens: your tokens for scripts and integrations — what each may do, until when, from
// where, when it was last used — created here (shown once) and revoked here.
import { viewingAsNotice } from '../shell/viewing-as.js';
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatDate } from '../base/format.js';
import { confirmAction } from '../components/dialog.js';
import { pagedList } from '../components/paged-list.js';
import { badge, button, pageHeader } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { EVERYONE, type PageDef } from '../shell/types.js';
import { createTokenDialog } from './token-form.js';

interface Token {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  allowed_ips: string[] | null;
  expires_at: string | null;
  expired: boolean;
  created_at: string;
  last_used_at: string | null;
}

const PAGE = 50;

const scopeWords = (s: string) =>
  s === '*'
    ? 'everything'
    : s
        .replace(/:\*$/, ': read and change')
        .replace(/:read$/, ': read')
        .replace(/:write$/, ': change');

async function revoke(t: Token, changed: () => void): Promise<void> {
  const ok = await confirmAction({
    title: 'Revoke API token',
    danger: true,
    confirmLabel: 'Revoke token',
    message: [
      h('p', null, 'Revoke ', h('strong', null, t.name), '?'),
      h('p', null, 'Scripts using it are refused from now on. This cannot be undone.'),
    ],
  });
  if (!ok) return;
  try {
    await api('DELETE', `/api/tokens/${t.id}`);
    notify(`The token ${t.name} was revoked.`, 'success');
    changed();
  } catch (e) {
    notify(describeError(e), 'error');
  }
}

function tokensTable(tokens: Token[], changed: () => void): HTMLElement {
  const canRevoke = hasRoute('DELETE', '/api/tokens/{id}');
  return dataTable<Token>(
    [
      {
        label: 'Token',
        cell: (t) =>
          h(
            'div',
            { class: 'cell-main' },
            h('strong', { class: 'wrap-any' }, t.name),
            h('code', { class: 'muted' }, `${t.prefix}…`),
          ),
      },
      {
        label: 'May',
        cell: (t) =>
          h(
            'div',
            { class: 'badges' },
            t.scopes.map((s) => badge(scopeWords(s), s === '*' ? 'warn' : 'info')),
          ),
      },
      {
        label: 'Expires',
        class: 'nowrap',
        cell: (t) => (t.expired ? badge('expired', 'danger') : t.expires_at ? formatDate(t.expires_at) : 'never'),
      },
      {
        label: 'Allowed from',
        class: 'hide-md',
        cell: (t) => (t.allowed_ips?.length ? h('span', { class: 'wrap-any' }, t.allowed_ips.join(', ')) : 'anywhere'),
      },
      { label: 'Last used', class: 'nowrap', cell: (t) => (t.last_used_at ? formatDate(t.last_used_at) : 'never') },
      ...(canRevoke
        ? [
            {
              label: 'Actions',
              class: 'col-actions',
              cell: (t: Token) =>
                rowActions(button('Revoke', { small: true, kind: 'danger', onClick: () => void revoke(t, changed) })),
            },
          ]
        : []),
    ],
    tokens,
    { empty: '', label: 'API tokens' },
  );
}

export const tokensPage: PageDef = {
  path: '/tokens',
  title: 'API tokens',
  roles: EVERYONE,
  nav: { label: 'API tokens', icon: 'link', section: 'panel', order: 17 },
  render(ctx) {
    const { search, count, list } = pagedList<Token>(
      '/api/tokens',
      PAGE,
      { noun: ['token', 'tokens'], none: 'You have no API tokens. Create one for a script or an integration.' },
      tokensTable,
    );
    const viewing = viewingAsNotice(ctx.session, 'API tokens');
    const create =
      hasRoute('POST', '/api/tokens') && !viewing
        ? button('Create token', {
            kind: 'primary',
            icon: 'plus',
            onClick: () => createTokenDialog(ctx.session.role, () => void list.reload()),
          })
        : null;
    ctx.root.append(
      pageHeader(
        'API tokens',
        h('span', null, 'Tokens let scripts use the API as you, with only the rights you give them. ', count),
        search,
        create,
      ),
      ...(viewing ? [viewing] : []),
      list,
    );
  },
};
