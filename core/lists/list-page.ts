import type { Knex } from 'knex';
import { errors } from '../errors.js';
import { likePattern, sortProblem, type ListParams, type ListSpec } from './list-query.js';

/**
 * One page of a list and how many rows the whole (scoped, searched) list has. Returned from a
 * handler, the kernel answers `{ok:true, data:[…items], total}`: `data` keeps the contract's type
 * (an array) and `total` is added beside it, as `GET /api/files/list` adds `total` to its answer.
 */
export class ListPage<T = unknown> {
  constructor(
    readonly items: T[],
    readonly total: number,
  ) {}

  /** The same page with each item turned into what the API shows. */
  map<U>(fn: (item: T) => U): ListPage<U> {
    return new ListPage(this.items.map(fn), this.total);
  }

  /** The same total with other items (e.g. the page's rows enriched by an async lookup). */
  withItems<U>(items: U[]): ListPage<U> {
    return new ListPage(items, this.total);
  }
}

/**
 * Narrow `query` to the rows whose `spec.search` columns contain `q`, case-insensitively on every
 * database (LOWER on both sides; `%`, `_` and `!` in `q` match themselves).
 */
export function applySearch(query: Knex.QueryBuilder, spec: ListSpec, q: string | undefined): Knex.QueryBuilder {
  if (q === undefined || spec.search.length === 0) return query;
  const pattern = likePattern(q);
  return query.where((w) => {
    for (const column of spec.search) w.orWhereRaw('LOWER(??) LIKE ? ESCAPE ?', [column, pattern, '!']);
  });
}

/**
 * Run a list query in SQL: search, count, sort (with the contract's order, then `id`, as tie-breakers), page.
 * `scoped` must already hold the ownership filter, so `total` counts only what the caller may see.
 */
export async function pageOf<T>(scoped: Knex.QueryBuilder, spec: ListSpec, p: ListParams): Promise<ListPage<T>> {
  // The schema already refused it; checked again because `sort` becomes an identifier in the SQL.
  if (p.sort && !spec.sort.includes(p.sort.column)) throw errors.validation(`sort: ${sortProblem(spec)}`);
  const filtered = applySearch(scoped, spec, p.q);
  const counted = await filtered.clone().clearSelect().clearOrder().count({ n: '*' }).first();
  const rows = filtered.clone().clearOrder();
  if (p.sort) rows.orderBy(spec.columns?.[p.sort.column] ?? p.sort.column, p.sort.desc ? 'desc' : 'asc');
  const direction = spec.order.desc ? 'desc' : 'asc';
  if (!p.sort || p.sort.column !== spec.order.column) rows.orderBy(spec.order.column, direction);
  // Every listed table has a unique `id`: the last tie-breaker when the order column may repeat (a time).
  if (spec.order.column !== 'id' && p.sort?.column !== 'id') rows.orderBy('id', direction);
  if (p.limit !== undefined) rows.limit(p.limit);
  if (p.offset > 0) rows.offset(p.offset);
  return new ListPage<T>(await rows, Number((counted as { n?: unknown } | undefined)?.n ?? 0));
}
