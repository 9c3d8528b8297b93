// Hosting accounts: list, create, suspend, unsuspend, delete (and finish a delete that failed part-way).
import {
  type Account,
  api,
  apiPage,
  asyncSection,
  button,
  card,
  describeError,
  emptyState,
  field,
  newPasswordField,
  form,
  h,
  hasRoute,
  listPager,
  loadAccounts,
  notice,
  notify,
  openDialog,
  pluginPage,
  pageHeader,
  plural,
  routeFields,
} from '../../ui/client/kit.js';
import { planOptions } from './plan-options.js';
import { accountsTable } from './accounts-table.js';
import { createBlockedReason } from './accounts-limit.js';
import { importButton } from './account-import.js';

/** Rows of the accounts table a page. */
const PAGE = 100;

async function createDialog(done: () => void): Promise<void> {
  let plans: { value: string; label: string }[];
  try {
    plans = await planOptions();
  } catch (e) {
    notify(describeError(e), 'error');
    return;
  }
  let close = () => undefined as void;
  const f = form(
    [
      h(
        'div',
        { class: 'form-grid' },
        field({
          name: 'username',
          label: 'Username',
          required: true,
          autofocus: true,
          pattern: '[a-z][a-z0-9]{2,15}',
          maxlength: 16,
          hint: '3–16 lowercase letters and digits, starting with a letter. Also the system user.',
        }),
        field({
          name: 'domain',
          label: 'Primary domain',
          required: true,
          placeholder: 'example.com',
          inputmode: 'url',
        }),
        field({
          name: 'email',
          label: 'Contact email',
          type: 'email',
          required: true,
          placeholder: 'owner@example.com',
        }),
        newPasswordField({
          name: 'password',
          hint: 'At least 8 characters. The account logs in with it.',
        }),
        field({
          name: 'plan',
          label: 'Plan',
          type: 'select',
          required: true,
          options: plans,
          value: plans.some((p) => p.value === 'free') ? 'free' : plans[0]?.value,
        }),
      ),
    ],
    'Create account',
    async (v) => {
      const account = await api<any>('POST', '/api/accounts', {
        username: v.username,
        domain: v.domain,
        email: v.email,
        password: v.password,
        plan: v.plan,
      });
      close();
      notify(`Account ${account?.username ?? v.username} was created.`, 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog('Create hosting account', f, { wide: true });
}

export const accountsPage = pluginPage({
  plugin: 'accounts',
  title: 'Accounts',
  nav: { icon: 'accounts', order: 10, userLabel: 'Your account' },
  render(ctx) {
    const manage = ctx.session.role !== 'user';
    const count = h('span');
    // Admins and resellers page through the API (100 a page, searchable); a user has one account.
    const paged = manage && routeFields('GET', '/api/accounts').query.includes('limit');
    const pager = listPager(PAGE, 'accounts', () => void list.reload());
    const load = async (): Promise<Account[]> => {
      if (!paged) return loadAccounts(ctx.session);
      const { items, total: all } = await apiPage<Account>('/api/accounts', pager.params());
      total = all;
      pager.shown(total, items.length);
      count.textContent = plural(
        total,
        pager.params().q ? 'match' : 'account',
        pager.params().q ? 'matches' : 'accounts',
      );
      return items;
    };
    const blocked = h('div');
    let total = 0;
    const list = asyncSection(async () => {
      const accounts = await load();
      if (!paged) count.textContent = plural(accounts.length, 'account');
      void checkLimit(pager.params().q ? null : paged ? total : accounts.length);
      const rows =
        !accounts.length && pager.params().q
          ? emptyState('No account matches this search.')
          : accountsTable(accounts, manage, () => void list.reload(), ctx.session.impersonator !== null);
      return card(null, h('div', null, rows, pager.footer), { class: 'card-flush' });
    }, 'accounts');
    const create =
      manage && hasRoute('POST', '/api/accounts')
        ? button('Create account', {
            kind: 'primary',
            icon: 'plus',
            onClick: () => void createDialog(() => void list.reload()),
          })
        : null;
    const importer = importButton(ctx.session.role, () => void list.reload());
    // At the licence limit or the reseller's cap the buttons are disabled and the page says what to do.
    const checkLimit = async (own: number | null) => {
      if (!create || own === null) return;
      const reason = await createBlockedReason(ctx.session, own);
      for (const b of [create, importer]) if (b) Object.assign(b, { disabled: reason !== null, title: reason ?? '' });
      blocked.replaceChildren(...(reason ? [notice('info', reason, 'No more accounts can be created')] : []));
      if (reason) create.setAttribute('aria-describedby', 'accounts-blocked');
      else create.removeAttribute('aria-describedby');
    };
    blocked.id = 'accounts-blocked';
    ctx.root.append(
      pageHeader(manage ? 'Accounts' : 'Your account', count, paged ? pager.search : null, importer, create),
      blocked,
      list,
    );
  },
});
