import path from 'node:path';
import {
  uiNavigation,
  type ExtensionRegistry,
  type Logger,
  type Role,
  type UiNavigationEntry,
  type UiNavSection,
} from '../../sdk/index.js';
import { safeSegments } from './static-files.js';

/** A contributed navigation entry as `GET /api/ui/navigation` answers it. */
export interface NavItem {
  plugin: string;
  id: string;
  label: string;
  path: string;
  section: UiNavSection;
  order: number;
  roles: Role[];
  module_url: string | null;
  stylesheet_url: string | null;
}

const PAGE_PATH = /^\/[a-z0-9][a-z0-9/-]{0,79}$/;
const SECTIONS: UiNavSection[] = ['hosting', 'server', 'panel'];
const ROLES: Role[] = ['admin', 'reseller', 'user'];

function problem(e: UiNavigationEntry): string | null {
  if (typeof e.label !== 'string' || !e.label.trim() || e.label.length > 40) return 'label must be 1–40 characters';
  if (typeof e.path !== 'string' || !PAGE_PATH.test(e.path) || /^\/(api|ui)(\/|$)/.test(e.path))
    return 'path must be /lowercase-words, not under /api or /ui';
  if (e.section !== undefined && !SECTIONS.includes(e.section)) return `section must be one of ${SECTIONS.join(', ')}`;
  if (e.roles !== undefined && (!Array.isArray(e.roles) || e.roles.some((r) => !ROLES.includes(r))))
    return 'roles must be admin, reseller or user';
  if ((e.module || e.stylesheet) && (typeof e.assetsDir !== 'string' || !path.isAbsolute(e.assetsDir)))
    return 'assetsDir must be an absolute directory';
  for (const f of [e.module, e.stylesheet])
    if (f !== undefined && (typeof f !== 'string' || !safeSegments(f)))
      return 'module and stylesheet must be plain relative paths';
  return null;
}

/** Reads the navigation extension point: valid, available entries only; a bad entry is logged once and left out. */
export class NavigationRegistry {
  private readonly warned = new Set<string>();

  constructor(
    private readonly extensions: ExtensionRegistry,
    private readonly logger: Logger,
  ) {}

  private valid() {
    return this.extensions.entries(uiNavigation).filter((e) => {
      if (!e.available) return false;
      const why = problem(e.value);
      const key = `${e.pluginId}/${e.entryId}`;
      if (why && !this.warned.has(key)) {
        this.warned.add(key);
        this.logger.warn('navigation entry ignored', { plugin: e.pluginId, entry: e.entryId, reason: why });
      }
      return !why;
    });
  }

  /** Entries the given role may see, sorted by section and order. */
  forRole(role: Role): NavItem[] {
    const url = (plugin: string, file?: string) => (file ? `/ui/plugins/${plugin}/${file}` : null);
    return this.valid()
      .filter((e) => (e.value.roles ?? ROLES).includes(role))
      .map((e) => ({
        plugin: e.pluginId,
        id: e.entryId,
        label: e.value.label.trim(),
        path: e.value.path,
        section: e.value.section ?? 'hosting',
        order: e.value.order ?? 500,
        roles: e.value.roles ?? ROLES,
        module_url: url(e.pluginId, e.value.module),
        stylesheet_url: url(e.pluginId, e.value.stylesheet),
      }))
      .sort(
        (a, b) =>
          SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section) ||
          a.order - b.order ||
          a.label.localeCompare(b.label),
      );
  }

  /** The assets directory of an active plugin's entries (the first one it declared). */
  assetsDir(pluginId: string): string | null {
    return this.valid().find((e) => e.pluginId === pluginId && e.value.assetsDir)?.value.assetsDir ?? null;
  }
}
