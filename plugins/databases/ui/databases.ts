// Databases of an account: list with engine, size and tables; create; delete.
import * as ui from '../../ui/client/kit.js';

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

function createDialog(account: ui.Account, engines: Engine[], done: () => void): void {
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
  const f = ui.form(
    ui.h(
      'div',
      { class: 'form-grid' },
      ui.field({
        name: 'db_name',
        label: 'Database name',
        required: true,
        autofocus: true,
        pattern: '[A-Za-z0-9_]+',
        hint: `Created as ${account.username}_<name>; the user gets the same name.`,
      }),
      ui.newPasswordField({
        name: 'db_password',
        hint: 'At least 8 characters.',
      }),
      ui.field({
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
      const made = await ui.api<any>('POST', '/api/databases', {
        account_id: account.id,
        db_name: v.db_name,
        db_password: v.db_password,
        engine: v.engine,
      });
      close();
      ui.notify(
        `Database ${made?.database ?? v.db_name} was created (user ${made?.user ?? '—'}, host ${made?.host ?? 'localhost'}).`,
        'success',
      );
      done();
    },
    ui.button('Cancel', { onClick: () => close() }),
  );
  close = ui.openDialog(`New database for ${account.username}`, f, { wide: true });
}

function accountDatabases(account: ui.Account, engines: () => Engine[]): HTMLElement {
  const list = ui.asyncSection(async () => {
    const dbs = ui.listOf<Database>(await ui.api('GET', `/api/databases/${account.id}`), 'databases');
    const drop = (d: Database) =>
      ui.hasRoute('DELETE', '/api/databases/{account_id}/{db_name}')
        ? ui.confirmButton(
            'Delete',
            {
              title: 'Delete database',
              confirmLabel: 'Delete database',
              message: [
                ui.h('p', null, 'Drop ', ui.h('strong', null, dbName(d)), ' and its user?'),
                ui.h('p', null, 'All tables and data in it are lost. This cannot be undone.'),
              ],
            },
            async () => {
              const name = dbName(d);
              await ui.api('DELETE', `/api/databases/${account.id}/${encodeURIComponent(name)}`);
              ui.notify(`${name} was deleted.`, 'success');
              void list.reload();
            },
          )
        : null;
    return ui.dataTable<Database>(
      [
        { label: 'Database', cell: (d) => ui.h('strong', null, dbName(d)) },
        { label: 'User', class: 'hide-md', cell: (d) => ui.h('code', null, d.user ?? '—') },
        { label: 'Engine', cell: (d) => ui.badge(d.engine ?? '—', 'info') },
        { label: 'Size', class: 'num', cell: (d) => ui.formatBytes(d.size_bytes ?? d.size) },
        { label: 'Tables', class: 'num', cell: (d) => d.tables ?? '—' },
        { label: 'Actions', class: 'col-actions', cell: (d) => ui.rowActions(drop(d)) },
      ],
      dbs,
      { empty: `${account.username} has no databases yet.`, label: 'Databases' },
    );
  }, 'databases');
  const create = ui.hasRoute('POST', '/api/databases')
    ? ui.button('New database', {
        kind: 'primary',
        icon: 'plus',
        small: true,
        onClick: () => createDialog(account, engines(), () => void list.reload()),
      })
    : null;
  return ui.card(`Databases of ${account.username}`, list, { actions: create, class: 'card-flush' });
}

export const databasesPage = ui.pluginPage({
  plugin: 'databases',
  title: 'Databases',
  nav: { icon: 'databases', order: 60 },
  async render(ctx) {
    let engines: Engine[] = [];
    const engineList = ui.asyncSection(async () => {
      engines = ui.listOf<Engine>(await ui.api('GET', '/api/databases/engines'), 'engines');
      return ui.h(
        'ul',
        { class: 'engine-list' },
        engines.map((e) =>
          ui.h(
            'li',
            null,
            ui.h('strong', null, e.name ?? e.id),
            ' ',
            e.version ? ui.h('span', { class: 'muted' }, e.version) : null,
            ' ',
            e.available === false ? ui.badge('unavailable', 'danger') : ui.badge('available', 'ok'),
            e.error ? ui.h('p', { class: 'hint' }, e.error) : null,
          ),
        ),
      );
    }, 'databases');
    await ui.perAccountPage(
      ctx,
      'Databases',
      'MySQL, MariaDB and PostgreSQL databases, each with its own user.',
      (account, area) =>
        ui.mount(
          area,
          accountDatabases(account, () => engines),
        ),
      [ui.card('Engines', engineList)],
    );
  },
});
