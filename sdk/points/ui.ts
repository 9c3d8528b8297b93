import type { Role } from '../auth.js';
import { createExtensionPoint } from '../extension-points.js';

/** Navigation groups of the web UI, in the order they are shown. */
export type UiNavSection = 'hosting' | 'server' | 'panel';

/**
 * A navigation entry, and optionally a page, that a plugin adds to the web UI. The entry id is
 * the extension entry id (unique within the plugin). All entries of one plugin share one assets
 * directory, served by the `ui` plugin at `/ui/plugins/<pluginId>/`.
 *
 * @example
 * ```ts
 * ctx.extensions.provide(uiNavigation, 'webdav', {
 *   label: 'WebDAV', path: '/webdav', roles: ['admin'], section: 'server',
 *   assetsDir: fileURLToPath(new URL('./ui', import.meta.url)), module: 'page.js',
 * });
 * ```
 */
export interface UiNavigationEntry {
  /** Label shown in the navigation (rendered as text). */
  label: string;
  /** Client path of the page: `/` followed by lowercase letters, digits, `-` and `/`; not under `/api` or `/ui`. */
  path: string;
  /** Roles that see the entry; default all three. The plugin's routes must still check access. */
  roles?: Role[];
  /** Navigation group (default `hosting`). */
  section?: UiNavSection;
  /** Sort key within the section; built-in pages use multiples of 10 up to 200. */
  order?: number;
  /** Absolute directory of static files served at `/ui/plugins/<pluginId>/` (no dot-files). */
  assetsDir?: string;
  /**
   * Page module, relative to `assetsDir`: an ES module whose default export is a
   * {@link UiPageRenderer}. Without it the entry is a plain link to `path`.
   */
  module?: string;
  /** Stylesheet relative to `assetsDir`, loaded while the page is shown. */
  stylesheet?: string;
}

/** Extension point: navigation entries and pages of the web UI, owned by the `ui` plugin. */
export const uiNavigation = createExtensionPoint<UiNavigationEntry>({ id: 'ui-navigation', owner: 'ui' });

/**
 * The container a page renders into: an `HTMLElement` in the browser, declared structurally so
 * server-side code compiles without the DOM library.
 */
export interface UiPageRoot {
  append(...nodes: unknown[]): void;
  replaceChildren(...nodes: unknown[]): void;
}

/** What a page module receives from the UI besides its root element. */
export interface UiPageContext {
  /** The logged-in user. */
  user: { username: string; role: Role };
  /** Query parameters of the page's URL. */
  query: Record<string, string>;
  /**
   * Call the panel API (cookie session, same origin). Resolves with the envelope's `data`;
   * rejects with an Error whose message is the API's human-readable `error`.
   */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /**
   * Make an element. Children strings become text nodes (never parsed as HTML); attributes
   * starting with `on` and given a function become event listeners.
   */
  h(tag: string, attrs?: Record<string, unknown> | null, ...children: unknown[]): UiPageRoot;
  /** Show a short notice to the user. */
  notify(message: string, kind?: 'info' | 'success' | 'error'): void;
  /** Go to another page of the UI. */
  navigate(path: string): void;
}

/**
 * The default export of a page module. It may return a function run when the user leaves the
 * page (stop timers, close streams).
 *
 * @example
 * ```js
 * export default function render(root, { h, api }) {
 *   root.append(h('h1', null, 'WebDAV'));
 *   api('GET', '/api/webdav/status').then((s) => root.append(h('p', null, s.state)));
 * }
 * ```
 */
export type UiPageRenderer = (
  root: UiPageRoot,
  ctx: UiPageContext,
) => void | (() => void) | Promise<void | (() => void)>;
