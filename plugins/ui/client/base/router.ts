// History-API routing: links to panel pages are caught and rendered without a page load. A page
// holding unsaved work registers a leave guard, asked before any route change (links, Back, redirects).

type RouteHandler = (path: string, query: URLSearchParams) => void;
/** Answers whether the current page may be left; false keeps it (and its work) in place. */
export type LeaveGuard = () => boolean | Promise<boolean>;

let handler: RouteHandler = () => undefined;
const guards = new Set<LeaveGuard>();
/** The URL last rendered: where Back returns to while a guard decides. */
let shown = '';

function dispatch(): void {
  shown = location.pathname + location.search;
  handler(location.pathname, new URLSearchParams(location.search));
}

/** Ask each guard in turn; the first that refuses keeps the page. */
async function mayLeave(): Promise<boolean> {
  for (const guard of [...guards]) if (!(await guard())) return false;
  return true;
}

/** Register a guard until the returned function is called. */
export function guardLeaving(guard: LeaveGuard): () => void {
  guards.add(guard);
  return () => void guards.delete(guard);
}

// Back/Forward have already changed the URL: put the shown one back, and move on only if allowed.
function onPopState(): void {
  if (!guards.size) return dispatch();
  const target = location.pathname + location.search;
  history.pushState(null, '', shown);
  void mayLeave().then((ok) => ok && go(target, false));
}

function isPanelPage(url: URL): boolean {
  return url.origin === location.origin && !/^\/(api|ui)(\/|$)/.test(url.pathname);
}

function onClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (!isPanelPage(url)) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
}

/** Start routing: render the current URL now and on every navigation. */
export function startRouter(h: RouteHandler): void {
  handler = h;
  window.addEventListener('popstate', onPopState);
  document.addEventListener('click', onClick);
  dispatch();
}

/** Go to a panel page (`replace` keeps the history entry, for redirects). */
export function navigate(to: string, replace = false): void {
  if (guards.size) void mayLeave().then((ok) => ok && go(to, replace));
  else go(to, replace);
}

function go(to: string, replace: boolean): void {
  if (replace) history.replaceState(null, '', to);
  else if (to !== location.pathname + location.search) history.pushState(null, '', to);
  dispatch();
}

/** Update the query string of the current page without rendering again. */
export function setQuery(params: Record<string, string | number | null>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === '') q.delete(k);
    else q.set(k, String(v));
  }
  const s = q.toString();
  history.replaceState(null, '', location.pathname + (s ? `?${s}` : ''));
  shown = location.pathname + location.search;
}
