// The file manager's selection: a checkbox per entry, and a bar acting on every checked entry at
// once — copy or move into another folder, compress into one archive, delete. Extract works on
// one archive from its row.
import { ApiError, describeError } from '../base/api.js';
import { h } from '../base/dom.js';
import { confirmAction, openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { button } from '../components/page.js';
import { notify } from '../components/toast.js';
import type { FileJobs } from './file-jobs.js';
import { joinPath, type FilesApi } from './files-api.js';

/** The checked names of the folder on screen. */
export interface Selection {
  bar: HTMLElement;
  /** The checkbox of one entry. */
  checkbox(name: string): HTMLInputElement;
  /** Forget the checks (a new folder, or the listing reloaded after a change). */
  reset(): void;
}

/** A folder path as typed: leading "/", no trailing "/", "." and ".." refused. */
function folderPath(raw: string): string {
  const parts = raw.trim().split('/').filter(Boolean);
  if (parts.some((p) => p === '.' || p === '..'))
    throw new ApiError('The folder must be a path from the home, like /public_html/old, without "." or "..".', 400);
  return `/${parts.join('/')}`;
}

/** Ask for a destination folder, then run `each` for every selected entry. */
function toFolder(
  verb: 'Copy' | 'Move',
  dir: string,
  names: string[],
  each: (name: string, dest: string) => Promise<unknown>,
  done: () => void,
): void {
  let close = () => undefined as void;
  const what = names.length === 1 ? names[0]! : `${names.length} items`;
  const f = form(
    field({
      name: 'dest',
      label: 'Destination folder',
      required: true,
      autofocus: true,
      value: dir,
      hint: 'A folder in the home, like /public_html/old. It must exist.',
    }),
    verb,
    async (v) => {
      const dest = folderPath(v.dest ?? '');
      if (dest === dir) throw new ApiError(`Choose another folder: the items are already in ${dir}.`, 400);
      for (const name of names) await each(name, dest);
      close();
      notify(`${verb === 'Copy' ? 'Copied' : 'Moved'} ${what} to ${dest}.`, 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog(`${verb} ${what}`, f);
}

function compressDialog(fs: FilesApi, dir: string, names: string[], jobs: FileJobs): void {
  let close = () => undefined as void;
  const suggested = names.length === 1 ? `${names[0]}.tar.gz` : 'archive.tar.gz';
  const f = form(
    field({
      name: 'name',
      label: 'Archive name',
      required: true,
      autofocus: true,
      value: suggested,
      hint: `A .tar.gz created in ${dir}`,
    }),
    'Compress',
    async (v) => {
      const name = (v.name ?? '').trim();
      if (!name || name.includes('/')) throw new ApiError('A name cannot be empty or contain "/".', 400);
      const archive = /\.(tar\.gz|tgz)$/i.test(name) ? name : `${name}.tar.gz`;
      const work = await fs.compress!(
        names.map((n) => joinPath(dir, n)),
        joinPath(dir, archive),
      );
      close();
      void jobs.follow(work, `Compressing into ${archive}`);
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog('Compress', f);
}

/** Extract one archive into a folder (created when missing); large archives are followed as jobs. */
export function extractDialog(fs: FilesApi, dir: string, name: string, jobs: FileJobs): void {
  let close = () => undefined as void;
  const f = form(
    field({
      name: 'dest',
      label: 'Extract into folder',
      required: true,
      autofocus: true,
      value: dir,
      hint: 'A folder in the home; files already there with the same names are not replaced.',
    }),
    'Extract',
    async (v) => {
      const work = await fs.extract!(joinPath(dir, name), folderPath(v.dest ?? ''));
      close();
      void jobs.follow(work, `Extracting ${name}`);
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog(`Extract ${name}`, f);
}

/** The selection of one folder's listing; `dir()` is the folder shown, `done` reloads it. */
export function fileSelection(fs: FilesApi, dir: () => string, done: () => void, jobs: FileJobs): Selection {
  const checked = new Set<string>();
  const boxes = new Map<string, HTMLInputElement>();
  const count = h('span', { class: 'selection-count', role: 'status' });
  const all = h('input', { type: 'checkbox', 'aria-label': 'Select all' });
  const names = () => [...checked].sort();
  const acts = h(
    'div',
    { class: 'actions' },
    fs.copy
      ? button('Copy to…', {
          icon: 'copy',
          small: true,
          onClick: () => toFolder('Copy', dir(), names(), (n, d) => fs.copy!(joinPath(dir(), n), joinPath(d, n)), done),
        })
      : null,
    fs.canRename
      ? button('Move to…', {
          icon: 'files',
          small: true,
          onClick: () =>
            toFolder('Move', dir(), names(), (n, d) => fs.rename(joinPath(dir(), n), joinPath(d, n)), done),
        })
      : null,
    fs.compress
      ? button('Compress', { icon: 'archive', small: true, onClick: () => compressDialog(fs, dir(), names(), jobs) })
      : null,
    button('Delete', { icon: 'trash', small: true, kind: 'danger', onClick: () => void removeAll() }),
  );
  const bar = h(
    'div',
    { class: 'selection-bar' },
    h('label', { class: 'check' }, all, h('span', null, 'All')),
    count,
    acts,
  );
  const update = () => {
    const n = checked.size;
    count.textContent = n ? `${n} selected` : 'Nothing selected';
    all.checked = n > 0 && n === boxes.size;
    all.indeterminate = n > 0 && n < boxes.size;
    acts.hidden = n === 0;
  };
  async function removeAll(): Promise<void> {
    const list = names();
    const ok = await confirmAction({
      title: 'Delete',
      danger: true,
      confirmLabel: 'Delete',
      message: [
        h(
          'p',
          null,
          `Delete ${list.length === 1 ? list[0] : `these ${list.length} items`} from `,
          h('strong', { class: 'wrap-any' }, dir()),
          '?',
        ),
        h('p', null, 'Folders are deleted with everything inside.'),
      ],
    });
    if (!ok) return;
    try {
      for (const name of list) await fs.remove(joinPath(dir(), name));
      notify(`Deleted ${list.length === 1 ? list[0] : `${list.length} items`}.`, 'success');
    } catch (e) {
      notify(describeError(e), 'error');
    }
    done();
  }
  all.addEventListener('change', () => {
    for (const [name, box] of boxes) {
      box.checked = all.checked;
      if (all.checked) checked.add(name);
      else checked.delete(name);
    }
    update();
  });
  update();
  return {
    bar,
    checkbox(name) {
      const box = h('input', { type: 'checkbox', 'aria-label': `Select ${name}`, class: 'row-check' });
      box.checked = checked.has(name);
      box.addEventListener('change', () => {
        if (box.checked) checked.add(name);
        else checked.delete(name);
        update();
      });
      boxes.set(name, box);
      return box;
    },
    reset() {
      checked.clear();
      boxes.clear();
      update();
    },
  };
}
