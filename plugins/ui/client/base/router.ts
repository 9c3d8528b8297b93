// History-API routing: links to panel pages are caught and rendered without a page load.

type RouteHandler = (path: string, query: URLSearchParams) => void;

let handler: RouteHandler = () => undefined;

function dispatch(): void {
  handler(location.pathname, new URLSearchParams(location.search));
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
  window.addEventListener('popstate', dispatch);
  document.addEventListener('click', onClick);
  dispatch();
}

/** Go to a panel page (`replace` keeps the history entry, for redirects). */
export function navigate(to: string, replace = false): void {
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
}
