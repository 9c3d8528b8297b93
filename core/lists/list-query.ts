import Type, { type TObject, type TProperties } from 'typebox';

/**
 * What one list route lets a caller page, sort and search by. Sort fields are the API's names,
 * which are the column names unless `columns` maps them.
 */
export interface ListSpec {
  /** Fields `sort` may name (`sort=username`, `sort=-created_at` for descending). */
  sort: readonly string[];
  /** Column of a sort field whose API name differs from it (e.g. `database` → `db_name`). */
  columns?: Readonly<Record<string, string>>;
  /** Columns `q` searches: a case-insensitive substring match on any of them. */
  search: readonly string[];
  /**
   * The contract's order, used when no `sort` is given; its column also breaks ties after a
   * `sort`, so pages never overlap or skip rows that share a sort value.
   */
  order: { column: string; desc?: boolean };
}

/** The paging, sorting and search a request asked for. */
export interface ListParams {
  limit?: number;
  offset: number;
  sort?: { column: string; desc: boolean };
  q?: string;
}

/** The largest page a caller may ask for (without `limit` the whole filtered list answers). */
export const MAX_LIST_LIMIT = 10_000;
/** Longest `q` accepted. */
export const MAX_LIST_SEARCH = 200;

const LIST_KEYS = ['limit', 'offset', 'sort', 'q'] as const;

/** What a 400 for a bad `sort` says: the fields this list sorts by. */
export function sortProblem(spec: ListSpec): string {
  return `must be one of ${spec.sort.join(', ')} (a leading - sorts descending)`;
}

/**
 * The query schema of a list route: `limit`, `offset`, `sort` and `q` (all optional) beside the
 * route's own query fields (which may redefine one of these). The object stays open unless
 * `open: false`, so a stray parameter is still ignored as the contract's routes always did.
 */
export function listQuerySchema(spec: ListSpec, own: TProperties = {}, opts: { open?: boolean } = {}): TObject {
  return Type.Object(
    {
      limit: Type.Optional(
        Type.Integer({
          minimum: 1,
          maximum: MAX_LIST_LIMIT,
          'x-error': `must be an integer from 1 to ${MAX_LIST_LIMIT}`,
        }),
      ),
      offset: Type.Optional(
        Type.Integer({ minimum: 0, maximum: 2_000_000_000, 'x-error': 'must be an integer of 0 or more' }),
      ),
      sort: Type.Optional(
        Type.String({
          pattern: `^-?(${spec.sort.join('|')})$`,
          'x-error': sortProblem(spec),
        }),
      ),
      // No control characters: PostgreSQL refuses a NUL in text outright (a 500 otherwise), and no
      // listed column holds one.
      q: Type.Optional(
        Type.String({
          maxLength: MAX_LIST_SEARCH,
          pattern: '^[^\\x00-\\x1f\\x7f]*$',
          'x-error': `must be text of at most ${MAX_LIST_SEARCH} characters, without control characters`,
        }),
      ),
      // Last, so a route's own definition of a list field (e.g. a smaller `limit`) wins.
      ...own,
    },
    opts.open === false ? {} : { additionalProperties: true },
  );
}

/**
 * The list parameters of a validated query, or null when none was given — the route then answers
 * exactly as the contract says (the whole list, no `total`).
 */
export function listParams(query: Record<string, unknown> | undefined): ListParams | null {
  if (!query || !LIST_KEYS.some((k) => query[k] !== undefined)) return null;
  const sort = typeof query.sort === 'string' ? query.sort : undefined;
  return {
    ...(typeof query.limit === 'number' ? { limit: query.limit } : {}),
    offset: typeof query.offset === 'number' ? query.offset : 0,
    ...(sort ? { sort: { column: sort.replace(/^-/, ''), desc: sort.startsWith('-') } } : {}),
    ...(typeof query.q === 'string' && query.q !== '' ? { q: query.q } : {}),
  };
}

/** `q` as a LIKE pattern: lower-cased, `!`, `%` and `_` escaped with `!` (the ESCAPE character). */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
