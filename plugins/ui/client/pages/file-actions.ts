// The file manager's dialogs: new folder or file, rename, permissions, delete.
import { ApiError, describeError } from '../base/api.js';
import { h } from '../base/dom.js';
import { confirmAction, openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { button } from '../components/page.js';
import { notify } from '../components/toast.js';
import { joinPath, parentPath, type FileEntry, type FilesApi } from './files-api.js';

/** rwx text of an octal mode: "644" → "rw-r--r--". */
export function modeText(mode: string): string {
  return /^[0-7]{3}$/.test(mode)
    ? [...mode]
        .map((d) => {
          const n = Number(d);
          return `${n & 4 ? 'r' : '-'}${n & 2 ? 'w' : '-'}${n & 1 ? 'x' : '-'}`;
        })
        .join('')
    : mode;
}

/** Octal mode of an entry, whichever way the API wrote it. */
export function entryMode(e: FileEntry): string {
  const raw = e.permissions ?? e.mode;
  if (typeof raw === 'number') return (raw & 0o777).toString(8).padStart(3, '0');
  if (typeof raw === 'string' && /^0?[0-7]{3,4}$/.test(raw)) return raw.slice(-3);
  if (typeof raw === 'string' && /^[-d]?[rwx-]{9}$/.test(raw)) {
    const bits = raw.slice(-9);
    return [0, 3, 6]
      .map((i) => [...bits.slice(i, i + 3)].reduce((n, c, j) => n + (c !== '-' ? [4, 2, 1][j]! : 0), 0))
      .join('');
  }
  return '';
}

/**
 * Ask for a name and create a folder or an empty file in `dir`. A new file never replaces one:
 * the API creates it only if the name is free, and a taken name asks "Replace?" first.
 */
export function createDialog(fs: FilesApi, dir: string, kind: 'folder' | 'file', done: () => void): void {
  let close = () => undefined as void;
  const f = form(
    field({
      name: 'name',
      label: kind === 'folder' ? 'Folder name' : 'File name',
      required: true,
      autofocus: true,
      pattern: '[^\\/]+',
      hint: `Created in ${dir}`,
    }),
    kind === 'folder' ? 'Create folder' : 'Create file',
    async (v) => {
      const name = (v.name ?? '').trim();
      if (!name || name.includes('/')) throw new ApiError('A name cannot be empty or contain "/".', 400);
      const target = joinPath(dir, name);
      if (kind === 'folder') await fs.mkdir(target);
      const outcome = kind === 'folder' ? 'created' : await createFile(fs, target, name);
      if (!outcome) return;
      close();
      notify(`${name} was ${outcome}.`, 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog(kind === 'folder' ? 'New folder' : 'New file', f);
}

/** Create an empty file; when the name is taken, replace it only if the person says so (null: kept). */
async function createFile(fs: FilesApi, path: string, name: string): Promise<'created' | 'replaced' | null> {
  try {
    await fs.write(path, '', { overwrite: false });
    return 'created';
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 409 || !/already exists/.test(e.message)) throw e;
  }
  const replace = await confirmAction({
    title: 'Replace?',
    danger: true,
    confirmLabel: 'Replace',
    message: [
      h('p', null, h('strong', { class: 'wrap-any' }, name), ' already exists in this folder.'),
      h('p', null, 'Replace it with an empty file? Its current content is lost.'),
    ],
  });
  if (!replace) return null;
  await fs.write(path, '', { overwrite: true });
  return 'replaced';
}

/** Rename (move within the same folder) an entry. */
export function renameDialog(fs: FilesApi, path: string, done: () => void): void {
  let close = () => undefined as void;
  const current = path.slice(path.lastIndexOf('/') + 1);
  const f = form(
    field({ name: 'name', label: 'New name', required: true, autofocus: true, value: current }),
    'Rename',
    async (v) => {
      const name = (v.name ?? '').trim();
      if (!name || name.includes('/')) throw new ApiError('A name cannot be empty or contain "/".', 400);
      await fs.rename(path, joinPath(parentPath(path), name));
      close();
      notify(`Renamed to ${name}.`, 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog(`Rename ${current}`, f);
}

/** Change permissions with an octal mode (0–777). */
export function permissionsDialog(fs: FilesApi, path: string, mode: string, done: () => void): void {
  let close = () => undefined as void;
  const preview = h('p', { class: 'hint mono' }, modeText(mode));
  const f = form(
    [
      field({
        name: 'mode',
        label: 'Mode (octal)',
        required: true,
        autofocus: true,
        value: mode,
        pattern: '[0-7]{3}',
        maxlength: 3,
        inputmode: 'numeric',
        hint: 'Three digits for owner, group and others: 644 for files, 755 for folders.',
      }),
      preview,
    ],
    'Set permissions',
    async (v) => {
      if (!/^[0-7]{3}$/.test(v.mode ?? ''))
        throw new ApiError('The mode must be three digits from 0 to 7, like 644.', 400);
      await fs.chmod(path, v.mode!);
      close();
      notify(`Permissions of ${path} set to ${v.mode}.`, 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  f.addEventListener(
    'input',
    () => (preview.textContent = modeText((f.querySelector('input[name=mode]') as HTMLInputElement).value)),
  );
  close = openDialog('Permissions', f);
}

/** Delete an entry (folders with everything inside) after confirmation. */
export async function deleteEntry(fs: FilesApi, path: string, folder: boolean, done: () => void): Promise<void> {
  const ok = await confirmAction({
    title: folder ? 'Delete folder' : 'Delete file',
    danger: true,
    confirmLabel: 'Delete',
    message: [
      h('p', null, 'Delete ', h('strong', { class: 'wrap-any' }, path), '?'),
      folder ? h('p', null, 'Everything inside the folder is deleted too.') : null,
    ],
  });
  if (!ok) return;
  try {
    await fs.remove(path);
    notify(`${path} was deleted.`, 'success');
    done();
  } catch (e) {
    notify(describeError(e), 'error');
  }
}
