import type { Session, Role } from '../base/session.js';

/** What a page gets when it is shown. */
export interface PageContext {
  /** The page's content area. */
  root: HTMLElement;
  session: Session;
  query: URLSearchParams;
  navigate(path: string): void;
  /** Run when the user leaves the page (stop timers, close streams). */
  onLeave(fn: () => void): void;
  /** Show the page again (after a change). */
  rerender(): void;
}

/** Navigation groups, in order. */
export type NavSection = 'overview' | 'hosting' | 'server' | 'panel';

/** A built-in page of the UI. */
export interface PageDef {
  path: string;
  title: string;
  roles: Role[];
  /** The plugin serving the page's API: when it is not active the page says why. */
  plugin?: string;
  nav?: { label: string; icon: string; section: NavSection; order: number; userLabel?: string };
  render(ctx: PageContext): void | Promise<void>;
}

/** All roles, for pages everyone sees. */
export const EVERYONE: Role[] = ['admin', 'reseller', 'user'];
/** Admins and resellers: pages about many accounts. */
export const MANAGERS: Role[] = ['admin', 'reseller'];

/** What {@link pluginPage} is given: a {@link PageDef} whose usual parts may be left out. */
export type PluginPageDef = Omit<PageDef, 'path' | 'roles' | 'nav' | 'plugin'> & {
  plugin: string;
  /** Default `/<plugin>`. */
  path?: string;
  /** Default {@link EVERYONE}. */
  roles?: Role[];
  /** Listed in the menu: `label` defaults to the title, `section` to hosting. */
  nav: Omit<NonNullable<PageDef['nav']>, 'label' | 'section'> & { label?: string; section?: NavSection };
};

/**
 * A plugin's page as most are: at `/<plugin>`, for every role, listed in the menu's hosting
 * section under its title; `def` says what differs.
 */
export function pluginPage(def: PluginPageDef): PageDef {
  const { plugin, path = `/${plugin}`, roles = EVERYONE, nav, ...page } = def;
  return {
    ...page,
    path,
    roles,
    plugin,
    nav: { ...nav, label: nav.label ?? page.title, section: nav.section ?? 'hosting' },
  };
}
