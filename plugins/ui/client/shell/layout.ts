// The frame around every page: sidebar navigation (a drawer on small screens), top bar with
// the user and log-out, and the main area pages render into.
import { h, type Child } from '../base/dom.js';
import type { Session } from '../base/session.js';
import { icon } from '../components/icons.js';
import type { NavSection, PageDef } from './types.js';
import { viewingAsBanner } from './viewing-as.js';

/** A navigation link, built-in or contributed by a plugin. */
export interface NavLink {
  path: string;
  label: string;
  icon: string;
  section: NavSection;
  order: number;
  /** Shown dimmed with this hint when the page's plugin is not active. */
  off?: string | null;
}

const SECTION_TITLES: Record<NavSection, string | null> = {
  overview: null,
  hosting: 'Hosting',
  server: 'Server',
  panel: 'Panel',
};
const ROLE_NAMES = { admin: 'Administrator', reseller: 'Reseller', user: 'Account user' } as const;

/** The mounted frame. */
export interface Shell {
  main: HTMLElement;
  setActive(path: string, title: string): void;
}

function navList(links: NavLink[]): Child {
  return (Object.keys(SECTION_TITLES) as NavSection[]).map((section) => {
    const items = links.filter((l) => l.section === section).sort((a, b) => a.order - b.order);
    if (!items.length) return null;
    const title = SECTION_TITLES[section];
    return h(
      'div',
      { class: 'nav-group' },
      title ? h('p', { class: 'nav-section' }, title) : null,
      h(
        'ul',
        null,
        items.map((l) =>
          h(
            'li',
            null,
            h(
              'a',
              {
                href: l.path,
                class: `nav-link${l.off ? ' nav-off' : ''}`,
                'data-path': l.path,
                title: l.off ?? undefined,
              },
              icon(l.icon),
              h('span', null, l.label),
            ),
          ),
        ),
      ),
    );
  });
}

/** Navigation links a role sees from the built-in pages. */
export function builtInLinks(
  pages: PageDef[],
  session: Session,
  offReason: (plugin: string) => string | null,
): NavLink[] {
  return pages
    .filter((p) => p.nav && p.roles.includes(session.role))
    .map((p) => ({
      path: p.path,
      label: (session.role === 'user' && p.nav!.userLabel) || p.nav!.label,
      icon: p.nav!.icon,
      section: p.nav!.section,
      order: p.nav!.order,
      off: p.plugin ? offReason(p.plugin) : null,
    }))
    .filter((l) => session.role === 'admin' || !l.off);
}

/** Mount the frame into `app`. */
export function mountShell(app: HTMLElement, session: Session, links: NavLink[], onLogout: () => void): Shell {
  const sidebar = h('aside', { class: 'sidebar', id: 'sidebar' });
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'icon-btn menu-toggle',
      'aria-label': 'Menu',
      'aria-controls': 'sidebar',
      'aria-expanded': 'false',
    },
    icon('menu', 22),
  );
  const scrim = h('div', { class: 'scrim', hidden: true });
  const setOpen = (open: boolean) => {
    app.classList.toggle('nav-open', open);
    toggle.setAttribute('aria-expanded', String(open));
    scrim.hidden = !open;
  };
  toggle.addEventListener('click', () => setOpen(!app.classList.contains('nav-open')));
  scrim.addEventListener('click', () => setOpen(false));
  sidebar.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && app.classList.contains('nav-open')) {
      setOpen(false);
      toggle.focus();
    }
  });
  sidebar.append(
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('logo', 18)), h('span', null, 'VeloPanel')),
    h('nav', { 'aria-label': 'Main' }, navList(links)),
  );
  sidebar.addEventListener('click', (e) => {
    if ((e.target as Element).closest('a')) setOpen(false);
  });
  const crumb = h('p', { class: 'topbar-title' });
  const user = h(
    'div',
    { class: 'user-box' },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, (session.username[0] ?? '?').toUpperCase()),
    h(
      'span',
      { class: 'user-text' },
      h('span', { class: 'user-name' }, session.username),
      h('span', { class: 'user-role' }, ROLE_NAMES[session.role]),
    ),
    h(
      'button',
      { type: 'button', class: 'btn btn-ghost btn-small', onclick: onLogout },
      icon('logout', 16),
      h('span', null, 'Log out'),
    ),
  );
  const main = h('main', { id: 'main', tabindex: '-1' });
  app.className = 'app-shell';
  app.replaceChildren(
    h(
      'a',
      {
        href: '#main',
        class: 'skip-link',
        onclick: (e: Event) => {
          e.preventDefault();
          main.focus();
        },
      },
      'Skip to content',
    ),
    sidebar,
    scrim,
    h(
      'div',
      { class: 'main-col' },
      h('header', { class: 'topbar' }, toggle, crumb, user),
      viewingAsBanner(session),
      main,
    ),
  );
  return {
    main,
    setActive(path, title) {
      crumb.textContent = title;
      for (const a of sidebar.querySelectorAll<HTMLAnchorElement>('a.nav-link')) {
        const on = a.dataset.path === path || (a.dataset.path !== '/' && path.startsWith(`${a.dataset.path}/`));
        if (on) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    },
  };
}
