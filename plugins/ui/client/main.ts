// Entry point: decide between setup, login and the panel, then show the page for the URL.
import { sessionEnded } from './base/api.js';
import { loadPlugins, loadRoutes, unavailableReason } from './base/capabilities.js';
import { h, mount } from './base/dom.js';
import { navigate, startRouter } from './base/router.js';
import { forgetSession, loadSession, logout, setupState, type Session } from './base/session.js';
import { failureNotice } from './components/async-section.js';
import { notice, pageHeader } from './components/page.js';
import { notify } from './components/toast.js';
import { loadContributed, renderContributed, type ContributedEntry } from './shell/extension-page.js';
import { builtInLinks, mountShell, type Shell } from './shell/layout.js';
import { BUILT_IN_PAGES } from './pages/index.js';
import { renderLogin } from './pages/login.js';
import { renderSetup } from './pages/setup.js';

const app = document.getElementById('app')!;
let shell: Shell | null = null;
let contributed: ContributedEntry[] = [];
let leaving: (() => void)[] = [];
let seq = 0;

function leave(): void {
  for (const fn of leaving.splice(0)) {
    try {
      fn();
    } catch {
      /* a page's cleanup must not stop the next page */
    }
  }
}

async function openShell(session: Session): Promise<Shell> {
  await Promise.all([loadPlugins(true), loadRoutes(true)]);
  contributed = await loadContributed();
  const links = [
    ...builtInLinks(BUILT_IN_PAGES, session, unavailableReason),
    ...contributed.map((c) => ({
      path: c.path,
      label: c.label,
      icon: 'plugins',
      section: c.section,
      order: 1000 + c.order,
    })),
  ];
  return mountShell(app, session, links, async () => {
    await logout().catch(() => undefined);
    shell = null;
    navigate('/login?bye=1');
  });
}

async function show(path: string, query: URLSearchParams): Promise<void> {
  const mine = ++seq;
  leave();
  if (path === '/login' || path === '/setup') {
    shell = null;
    app.className = 'auth-shell';
    await (path === '/login' ? renderLogin(app, query) : renderSetup(app));
    return;
  }
  const session = await loadSession().catch(() => undefined);
  if (mine !== seq) return;
  if (session === undefined) {
    mount(app, notice('error', 'Cannot reach the panel. Check the connection and reload the page.', 'VeloPanel'));
    return;
  }
  if (!session) {
    const setup = await setupState();
    const next = path !== '/' ? `?next=${encodeURIComponent(path + location.search)}` : '';
    navigate(setup?.required ? '/setup' : `/login${next}`, true);
    return;
  }
  const firstShow = !shell;
  shell ??= await openShell(session);
  if (!firstShow) await loadPlugins(true);
  if (mine !== seq) return;
  const page = BUILT_IN_PAGES.find((p) => p.path === path);
  const extra = page ? undefined : contributed.find((c) => c.path === path);
  const title = page?.title ?? extra?.label ?? 'Page not found';
  shell.setActive(path, title);
  document.title = `${title} · VeloPanel`;
  const root = shell.main;
  root.replaceChildren();
  if (!firstShow) root.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  const ctx = {
    root,
    session,
    query,
    navigate,
    onLeave: (fn: () => void) => leaving.push(fn),
    rerender: () => navigate(location.pathname + location.search, true),
  };
  try {
    if (extra) await renderContributed(extra, ctx);
    else if (!page)
      mount(
        root,
        pageHeader('Page not found', null),
        notice('info', 'There is no page at this address.'),
        h('a', { href: '/', class: 'btn btn-secondary' }, 'Go to the dashboard'),
      );
    else if (!page.roles.includes(session.role))
      mount(
        root,
        pageHeader(page.title, null),
        notice('error', 'Your login does not give access to this page.', 'Not allowed'),
      );
    else if (page.plugin && unavailableReason(page.plugin))
      mount(root, pageHeader(page.title, null), notice('unavailable', unavailableReason(page.plugin)!));
    else await page.render(ctx);
  } catch (e) {
    if (mine === seq) root.append(failureNotice(e, page?.plugin));
  }
}

sessionEnded.addEventListener('ended', () => {
  if (!shell) return;
  shell = null;
  forgetSession();
  notify('Your session has ended. Please log in again.', 'info');
  navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
});

startRouter((path, query) => void show(path, query));
