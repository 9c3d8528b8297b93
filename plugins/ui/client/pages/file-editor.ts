// The file manager's text editor: a wide dialog over the listing. Unsaved changes are guarded —
// closing the dialog, leaving the page and reloading the tab all ask before they are lost.
import { describeError } from '../base/api.js';
import { h } from '../base/dom.js';
import { openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { button, loading, notice } from '../components/page.js';
import { notify } from '../components/toast.js';
import { guardUnsaved, type UnsavedGuard } from '../components/unsaved.js';
import type { FilesApi } from './files-api.js';

/** Open a text file in the editor; saving writes it back. */
export async function openEditor(fs: FilesApi, path: string, saved: () => void): Promise<void> {
  const host = h('div', { class: 'editor' }, loading('Opening…'));
  let guard: UnsavedGuard | null = null;
  const close = openDialog(`Edit ${path}`, host, {
    wide: true,
    canClose: () => guard?.mayDiscard() ?? true,
    onClose: () => guard?.release(),
  });
  let content: string;
  try {
    content = await fs.read(path);
  } catch (e) {
    host.replaceChildren(notice('error', describeError(e)), button('Close', { onClick: () => close() }));
    return;
  }
  let area: HTMLTextAreaElement | null = null;
  // Dirty: the text differs from what was last read or saved.
  guard = guardUnsaved(path, () => area !== null && area.value !== content, close);
  const f = form(field({ name: 'content', label: 'Contents', type: 'textarea', value: content, plain: true }), 'Save', async (v) => {
    await fs.write(path, v.content ?? '');
    content = v.content ?? '';
    notify(`${path} was saved.`, 'success');
    close();
    saved();
  }, button('Close', { onClick: () => void guard!.mayDiscard().then((ok) => ok && close()) }));
  f.classList.add('editor-form');
  host.replaceChildren(f);
  area = f.querySelector('textarea') as HTMLTextAreaElement;
  area.focus();
}
