// The file manager's code editor (CodeMirror: line numbers, highlighting by file type, search) in a
// wide dialog over the listing. Unsaved changes are guarded — closing the dialog, leaving the page and reloading the tab all ask before they are lost.
import { describeError } from '../base/api.js';
import { h } from '../base/dom.js';
import { openDialog } from '../components/dialog.js';
import { form } from '../components/form.js';
import { button, loading, notice } from '../components/page.js';
import { notify } from '../components/toast.js';
import { guardUnsaved, type UnsavedGuard } from '../components/unsaved.js';
import type { FilesApi } from './files-api.js';
import type { CodeEditor } from '../vendor/editor.js';

/** CodeMirror is a separate bundle, fetched the first time a file is opened (the shell stays small). */
const loadEditor = () => import('../vendor/editor.js');

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
  let editor: CodeEditor | null = null;
  // Dirty: the text differs from what was last read or saved.
  guard = guardUnsaved(path, () => editor !== null && editor.text() !== content, close);
  const surface = h('div', { class: 'code-editor' });
  const f = form(
    [h('p', { class: 'field-label', 'aria-hidden': 'true' }, 'Contents'), surface],
    'Save',
    async () => {
      const text = editor!.text();
      await fs.write(path, text);
      content = text;
      notify(`${path} was saved.`, 'success');
      close();
      saved();
    },
    [
      button('Search', { icon: 'search', kind: 'ghost', onClick: () => editor?.openSearch() }),
      button('Close', { onClick: () => void guard!.mayDiscard().then((ok) => ok && close()) }),
    ],
  );
  f.classList.add('editor-form');
  try {
    const { createEditor } = await loadEditor();
    host.replaceChildren(f);
    editor = createEditor(surface, path.slice(path.lastIndexOf('/') + 1), content, 'Contents');
  } catch (e) {
    host.replaceChildren(
      notice('error', `The editor could not be loaded: ${describeError(e)}`),
      button('Close', { onClick: () => close() }),
    );
    return;
  }
  editor.focus();
}
