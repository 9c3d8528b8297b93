/** A route as Polka's router (trouter) compiled it: its pattern and parameter names. */
export interface CompiledRoute {
  keys: string[] | false;
  pattern: RegExp;
}

interface Entry<H> extends CompiledRoute {
  /** Registration order: the first registered route that matches wins, as in Polka. */
  order: number;
  handler: H;
}

interface MethodTable<H> {
  /** Routes whose first two path segments are literal, by those segments (`/api/accounts`). */
  buckets: Map<string, Entry<H>[]>;
  /** Routes with a parameter or wildcard in their first two segments: tried for every path. */
  loose: Entry<H>[];
}

/** The literal head of a route (`/api/accounts/:id` → `/api/accounts`), or null when it has a parameter. */
function routeHead(path: string): string | null {
  const head = requestHead(path);
  return /[:*]/.test(head) ? null : head;
}

/** The first two segments of a request path (a trailing slash dropped), the key of its bucket. */
function requestHead(path: string): string {
  const first = path.indexOf('/', 1);
  const second = first === -1 ? -1 : path.indexOf('/', first + 1);
  const head = second === -1 ? path : path.slice(0, second);
  return head.length > 1 && head.endsWith('/') ? head.slice(0, -1) : head;
}

/**
 * Finds the route of a request without trying every pattern: routes are bucketed by method and
 * their literal first two segments, so a lookup tests a handful of patterns however many plugins
 * registered routes. Matching is Polka's own (the patterns trouter compiled); the first route
 * registered wins.
 */
export class RouteIndex<H> {
  private readonly methods = new Map<string, MethodTable<H>>();
  private count = 0;

  add(method: string, path: string, route: CompiledRoute, handler: H): void {
    let table = this.methods.get(method);
    if (!table) this.methods.set(method, (table = { buckets: new Map(), loose: [] }));
    const entry: Entry<H> = { keys: route.keys, pattern: route.pattern, order: this.count++, handler };
    const head = routeHead(path);
    if (head === null) return void table.loose.push(entry);
    const bucket = table.buckets.get(head);
    if (bucket) bucket.push(entry);
    else table.buckets.set(head, [entry]);
  }

  /** The matching route's handler and its raw (undecoded) parameters, or null. */
  find(method: string, path: string): { handler: H; params: Record<string, string> } | null {
    const table = this.methods.get(method);
    if (!table) return null;
    const inBucket = firstMatch(table.buckets.get(requestHead(path)), path, Infinity);
    const loose = firstMatch(table.loose, path, inBucket?.entry.order ?? Infinity);
    const found = loose ?? inBucket;
    if (!found) return null;
    const { entry, match } = found;
    const params: Record<string, string> = {};
    if (entry.keys) for (let j = 0; j < entry.keys.length; j++) params[entry.keys[j]!] = match[j + 1]!;
    else if (match.groups) Object.assign(params, match.groups);
    return { handler: entry.handler, params };
  }
}

/** The first entry of `list` registered before `before` whose pattern matches `path`. */
function firstMatch<H>(
  list: Entry<H>[] | undefined,
  path: string,
  before: number,
): { entry: Entry<H>; match: RegExpExecArray } | null {
  if (!list) return null;
  for (const entry of list) {
    if (entry.order > before) return null;
    const match = entry.pattern.exec(path);
    if (match) return { entry, match };
  }
  return null;
}
