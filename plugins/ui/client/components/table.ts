// Tables that stay readable on a phone: each cell carries its column name for the stacked layout.
import { h, type Child } from '../base/dom.js';
import { emptyState } from './page.js';

/** A column: its header and how to show a row's cell. */
export interface Column<T> {
  label: string;
  cell: (row: T) => Child;
  /**
   * Extra class for the cells: `num` right-aligns numbers, `col-actions` holds row buttons,
   * `hide-md` hides the column on tablets, `hide-sm` on phones (tables kept as tables there).
   */
  class?: string;
}

/** A data table, or the empty message when there are no rows. */
export function dataTable<T>(
  columns: Column<T>[],
  rows: T[],
  opts: { empty: string; emptyAction?: Child; label?: string; rowClass?: (row: T) => string; keepTable?: boolean },
): HTMLElement {
  if (!rows.length) return emptyState(opts.empty, opts.emptyAction);
  const head = h(
    'thead',
    null,
    h(
      'tr',
      null,
      columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)),
    ),
  );
  const body = h(
    'tbody',
    null,
    rows.map((row) =>
      h(
        'tr',
        { class: opts.rowClass?.(row) },
        columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, c.cell(row))),
      ),
    ),
  );
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: `data-table${opts.keepTable ? ' keep-table' : ''}`, 'aria-label': opts.label }, head, body),
  );
}

/** The action buttons of a row; nothing when the row has none (the cell stays empty). */
export function rowActions(...buttons: Child[]): HTMLElement | null {
  const present = buttons.filter((b) => b !== null && b !== undefined && b !== false);
  return present.length ? h('div', { class: 'row-actions' }, ...present) : null;
}
