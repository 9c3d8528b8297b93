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
