// Pages other plugins ship in their own folder (plugins/<id>/ui/pages.ts, compiled with this
// client). The server names the plugins whose pages this build has in index.html; a plugin whose
// folder was deleted has none, so its pages go with it. Pages of a plugin that is present but not
// active still load, so the shell can say why they are not available (as for every page).
import type { PageDef } from './types.js';

let loaded: Promise<PageDef[]> | null = null;

/** Plugin ids from `<meta name="velopanel-plugin-pages">`: lowercase ids only. */
function pagePlugins(): string[] {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="velopanel-plugin-pages"]');
  return (meta?.content ?? '').split(' ').filter((id) => /^[a-z][a-z0-9-]*$/.test(id));
}

/** Every plugin's pages, loaded once; a module that fails to load is reported and left out. */
export function loadPluginPages(): Promise<PageDef[]> {
  loaded ??= Promise.all(
    pagePlugins().map(async (id) => {
      try {
        const mod = await import(new URL(`../../../${id}/ui/pages.js`, import.meta.url).href);
        return Array.isArray(mod.pages) ? (mod.pages as PageDef[]) : [];
      } catch (e) {
        console.error(`the pages of plugin ${id} did not load: ${(e as Error).message}`);
        return [];
      }
    }),
  ).then((lists) => lists.flat());
  return loaded;
}
