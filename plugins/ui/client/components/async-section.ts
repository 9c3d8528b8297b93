// Load part of a page from the API and show it, or say in words why it cannot be shown.
import { ApiError, describeError } from '../base/api.js';
import { h, mount, type Child } from '../base/dom.js';
import { unavailableReason } from '../base/capabilities.js';
import { loading, notice } from './page.js';

/** The message for a failed load: "not available" when the feature's plugin is missing or off. */
export function failureNotice(e: unknown, plugin?: string): HTMLElement {
  if (e instanceof ApiError && e.unavailable) {
    const route = /^No route for (.+)$/.exec(e.message);
    const reason =
      (plugin && unavailableReason(plugin)) ||
      (route ? `Not available: this panel has no API for this yet (${route[1]}).` : `Not available: ${e.message}`);
    return notice('unavailable', reason);
  }
  if (e instanceof ApiError && e.status === 403) return notice('error', e.message, 'Not allowed');
  return notice('error', describeError(e));
}

/** Fill `target` with what `load` builds; shows a spinner meanwhile and a notice on failure. */
export async function loadInto(target: Element, load: () => Promise<Child>, plugin?: string): Promise<boolean> {
  mount(target, loading());
  try {
    const content = await load();
    mount(target, content);
    return true;
  } catch (e) {
    mount(target, failureNotice(e, plugin));
    return false;
  }
}

/** A container that loads itself (see {@link loadInto}); `reload()` runs `load` again. */
export function asyncSection(
  load: () => Promise<Child>,
  plugin?: string,
): HTMLElement & { reload: () => Promise<boolean> } {
  const el = Object.assign(h('div', { class: 'async' }), { reload: () => loadInto(el, load, plugin) });
  void el.reload();
  return el;
}
