// The file manager's dialogs: editor, new folder or file, rename, permissions, delete.
import { ApiError, describeError } from '../base/api.js';
import { h } from '../base/dom.js';
import { confirmAction, openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { button, loading, notice } from '../components/page.js';
import { notify } from '../components/toast.js';
import { joinPath, parentPath, type FileEntry, type FilesApi } from './files-api.js';

/** rwx text of an octal mode: "644" → "rw-r--r--". */
export function modeText(mode: string): string {
  return /^[0-7]{3}$/.test(mode) ? [...mode].map((d) => { const n = Number(d); return `${n & 4 ? 'r' : '-'}${n & 2 ? 'w' : '-'}${n & 1 ? 'x' : '-'}`; }).join('') : mode;
}

/** Octal mode of an entry, whichever way the API wrote it. */
export function entryMode(e: FileEntry): string {
  const raw = e.permissions ?? e.mode;
  if (typeof raw === 'number') return (raw & 0o777).toString(8).padStart(3, '0');
  if (typeof raw === 'string' && /^0?[0-7]{3,4}$/.test(raw)) return raw.slice(-3);
  if (typeof raw === 'string' && /^[-d]?[rwx-]{9}$/.test(raw)) {
    const bits = raw.slice(-9);
    return [0, 3, 6].map((i) => [...bits.slice(i, i + 3)].reduce((n, c, j) => n + (c !== '-' ? [4, 2, 1][j]! : 0), 0)).join('');
  }
  return '';
}

/** Open a text file in the editor; saving writes it back. */
export async function openEditor(fs: FilesApi, path: string, saved: () => void): Promise<void> {
  const host = h('div', { class: 'editor' }, loading('Opening…'));
  let close = () => undefined as void;
  close = openDialog(`Edit ${path}`, host, { wide: true });
  let content: string;
  try {
    content = await fs.read(path);
  } catch (e) {
    host.replaceChildren(notice('error', describeError(e)), button('Close', { onClick: () => close() }));
    return;
  }
  const f = form(field({ name: 'content', label: 'Contents', type: 'textarea', value: content, plain: true }), 'Save', async (v) => {
    await fs.write(path, v.content ?? '');
    notify(`${path} was saved.`, 'success');
    close();
    saved();
  }, button('Close', { onClick: () => close() }));
  f.classList.add('editor-form');
  host.replaceChildren(f);
  (f.querySelector('textarea') as HTMLTextAreaElement).focus();
}

/** Ask for a name and create a folder or an empty file in `dir`. */
export function createDialog(fs: FilesApi, dir: string, kind: 'folder' | 'file', done: () => void): void {
  let close = () => undefined as void;
  const f = form(field({ name: 'name', label: kind === 'folder' ? 'Folder name' : 'File name', required: true, autofocus: true, pattern: '[^\\/]+', hint: `Created in ${dir}` }), kind === 'folder' ? 'Create folder' : 'Create file', async (v) => {
    const name = (v.name ?? '').trim();
    if (!name || name.includes('/')) throw new ApiError('A name cannot be empty or contain "/".', 400);
    await (kind === 'folder' ? fs.mkdir(joinPath(dir, name)) : fs.write(joinPath(dir, name), ''));
    close();
    notify(`${name} was created.`, 'success');
    done();
  }, button('Cancel', { onClick: () => close() }));
  close = openDialog(kind === 'folder' ? 'New folder' : 'New file', f);
}

/** Rename (move within the same folder) an entry. */
export function renameDialog(fs: FilesApi, path: string, done: () => void): void {
  let close = () => undefined as void;
  const current = path.slice(path.lastIndexOf('/') + 1);
  const f = form(field({ name: 'name', label: 'New name', required: true, autofocus: true, value: current }), 'Rename', async (v) => {
    const name = (v.name ?? '').trim();
    if (!name || name.includes('/')) throw new ApiError('A name cannot be empty or contain "/".', 400);
    await fs.rename(path, joinPath(parentPath(path), name));
    close();
    notify(`Renamed to ${name}.`, 'success');
    done();
  }, button('Cancel', { onClick: () => close() }));
  close = openDialog(`Rename ${current}`, f);
}

/** Change permissions with an octal mode (0–777). */
export function permissionsDialog(fs: FilesApi, path: string, mode: string, done: () => void): void {
  let close = () => undefined as void;
  const preview = h('p', { class: 'hint mono' }, modeText(mode));
  const f = form([field({ name: 'mode', label: 'Mode (octal)', required: true, autofocus: true, value: mode, pattern: '[0-7]{3}', maxlength: 3, inputmode: 'numeric', hint: 'Three digits for owner, group and others: 644 for files, 755 for folders.' }), preview], 'Set permissions', async (v) => {
    if (!/^[0-7]{3}$/.test(v.mode ?? '')) throw new ApiError('The mode must be three digits from 0 to 7, like 644.', 400);
    await fs.chmod(path, v.mode!);
    close();
    notify(`Permissions of ${path} set to ${v.mode}.`, 'success');
    done();
  }, button('Cancel', { onClick: () => close() }));
  f.addEventListener('input', () => (preview.textContent = modeText((f.querySelector('input[name=mode]') as HTMLInputElement).value)));
  close = openDialog('Permissions', f);
}

/** Delete an entry (folders with everything inside) after confirmation. */
export async function deleteEntry(fs: FilesApi, path: string, folder: boolean, done: () => void): Promise<void> {
  const ok = await confirmAction({ title: folder ? 'Delete folder' : 'Delete file', danger: true, confirmLabel: 'Delete',
    message: [h('p', null, 'Delete ', h('strong', { class: 'wrap-any' }, path), '?'), folder ? h('p', null, 'Everything inside the folder is deleted too.') : null] });
  if (!ok) return;
  try {
    await fs.remove(path);
    notify(`${path} was deleted.`, 'success');
    done();
  } catch (e) {
    notify(describeError(e), 'error');
  }
}
