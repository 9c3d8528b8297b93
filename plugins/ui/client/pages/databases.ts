// Databases of an account: list with engine, size and tables; create; delete.
import { api, describeError, listOf } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { formatBytes } from '../base/format.js';
import { perAccountPage, type Account } from '../components/account-picker.js';
import { asyncSection } from '../components/async-section.js';
import { confirmAction, openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { badge, button, card } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { EVERYONE, type PageDef } from '../shell/types.js';

interface Engine {
  id: string;
  name?: string;
  version?: string | null;
  available?: boolean;
  error?: string | null;
}
interface Database {
  database?: string;
  name?: string;
  db_name?: string;
  user?: string;
  engine?: string;
  size?: number;
  size_bytes?: number;
  tables?: number;
}

const dbName = (d: Database) => String(d.database ?? d.name ?? d.db_name ?? '');

function createDialog(account: Account, engines: Engine[], done: () => void): void {
  let close = () => undefined as void;
  // An engine the panel cannot reach is shown, not offered: disabled, with the reason under the list.
  const usable = engines.filter((e) => e.available !== false);
  const down = engines.filter((e) => e.available === false);
  const options: { value: string; label: string; disabled?: boolean }[] = [
    ...(engines.length ? usable : [{ id: 'mysql', name: 'MySQL' } as Engine]).map((e) => ({
      value: e.id,
      label: `${e.name ?? e.id}${e.version ? ` ${e.version}` : ''}`,
    })),
    ...down.map((e) => ({ value: e.id, label: `${e.name ?? e.id} (not available)`, disabled: true })),
  ];
  const why = down
    .map((e) => `${e.name ?? e.id} is not available: ${e.error ?? 'the panel cannot reach it'}.`)
    .join(' ');
  const f = form(
    h(
      'div',
      { class: 'form-grid' },
      field({
        name: 'db_name',
        label: 'Database name',
        required: true,
        autofocus: true,
        pattern: '[A-Za-z0-9_]+',
        hint: `Created as ${account.username}_<name>; the user gets the same name.`,
      }),
      field({
        name: 'db_password',
        label: 'Password',
        type: 'password',
        required: true,
        minlength: 8,
        autocomplete: 'new-password',
        hint: 'At least 8 characters.',
      }),
      field({
        name: 'engine',
        label: 'Engine',
        type: 'select',
        required: true,
        options,
        value: options.find((o) => !o.disabled)?.value,
        hint: why || undefined,
      }),
    ),
    'Create database',
    async (v) => {
      const made = await api<any>('POST', '/api/databases', {
        account_id: account.id,
        db_name: v.db_name,
        db_password: v.db_password,
        engine: v.engine,
      });
      close();
      notify(
        `Database ${made?.database ?? v.db_name} was created (user ${made?.user ?? '—'}, host ${made?.host ?? 'localhost'}).`,
        'success',
      );
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog(`New database for ${account.username}`, f, { wide: true });
}

function accountDatabases(account: Account, engines: () => Engine[]): HTMLElement {
  const list = asyncSection(async () => {
    const dbs = listOf<Database>(await api('GET', `/api/databases/${account.id}`), 'databases');
    const drop = (d: Database) =>
      hasRoute('DELETE', '/api/databases/{account_id}/{db_name}')
        ? button('Delete', {
            small: true,
            kind: 'danger',
            onClick: async () => {
              const name = dbName(d);
              if (
                !(await confirmAction({
                  title: 'Delete database',
                  danger: true,
                  confirmLabel: 'Delete database',
                  message: [
                    h('p', null, 'Drop ', h('strong', null, name), ' and its user?'),
                    h('p', null, 'All tables and data in it are lost. This cannot be undone.'),
                  ],
                }))
              )
                return;
              try {
                await api('DELETE', `/api/databases/${account.id}/${encodeURIComponent(name)}`);
                notify(`${name} was deleted.`, 'success');
                void list.reload();
              } catch (e) {
                notify(describeError(e), 'error');
              }
            },
          })
        : null;
    return dataTable<Database>(
      [
        { label: 'Database', cell: (d) => h('strong', null, dbName(d)) },
        { label: 'User', class: 'hide-md', cell: (d) => h('code', null, d.user ?? '—') },
        { label: 'Engine', cell: (d) => badge(d.engine ?? '—', 'info') },
        { label: 'Size', class: 'num', cell: (d) => formatBytes(d.size_bytes ?? d.size) },
        { label: 'Tables', class: 'num', cell: (d) => d.tables ?? '—' },
        { label: 'Actions', class: 'col-actions', cell: (d) => rowActions(drop(d)) },
      ],
      dbs,
      { empty: `${account.username} has no databases yet.`, label: 'Databases' },
    );
  }, 'databases');
  const create = hasRoute('POST', '/api/databases')
    ? button('New database', {
        kind: 'primary',
        icon: 'plus',
        small: true,
        onClick: () => createDialog(account, engines(), () => void list.reload()),
      })
    : null;
  return card(`Databases of ${account.username}`, list, { actions: create, class: 'card-flush' });
}

export const databasesPage: PageDef = {
  path: '/databases',
  title: 'Databases',
  roles: EVERYONE,
  plugin: 'databases',
  nav: { label: 'Databases', icon: 'databases', section: 'hosting', order: 60 },
  async render(ctx) {
    let engines: Engine[] = [];
    const engineList = asyncSection(async () => {
      engines = listOf<Engine>(await api('GET', '/api/databases/engines'), 'engines');
      return h(
        'ul',
        { class: 'engine-list' },
        engines.map((e) =>
          h(
            'li',
            null,
            h('strong', null, e.name ?? e.id),
            ' ',
            e.version ? h('span', { class: 'muted' }, e.version) : null,
            ' ',
            e.available === false ? badge('unavailable', 'danger') : badge('available', 'ok'),
            e.error ? h('p', { class: 'hint' }, e.error) : null,
          ),
        ),
      );
    }, 'databases');
    await perAccountPage(
      ctx,
      'Databases',
      'MySQL, MariaDB and PostgreSQL databases, each with its own user.',
      (account, area) =>
        mount(
          area,
          accountDatabases(account, () => engines),
        ),
      [card('Engines', engineList)],
    );
  },
};
