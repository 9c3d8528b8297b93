// File manager: breadcrumbs, folders, code editor, upload with progress (the picker or files dropped
// on the listing), download, new folder, rename, permissions, delete, extract, and a selection bar
// for copy/move/compress/delete of many entries — inside one account's home.
import { h, mount } from '../base/dom.js';
import { formatBytes, formatDate } from '../base/format.js';
import { setQuery } from '../base/router.js';
import { perAccountPage, type Account } from '../components/account-picker.js';
import { loadInto } from '../components/async-section.js';
import { icon } from '../components/icons.js';
import { button, card, iconButton, linkButton } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { describeError } from '../base/api.js';
import { EVERYONE, type PageContext, type PageDef } from '../shell/types.js';
import { createDialog, deleteEntry, entryMode, modeText, permissionsDialog, renameDialog } from './file-actions.js';
import { openEditor } from './file-editor.js';
import { fileJobs } from './file-jobs.js';
import { extractDialog, fileSelection } from './file-selection.js';
import { filesApi, isArchive, isDir, joinPath, type FileEntry } from './files-api.js';
import { uploadFiles } from './file-upload.js';

function crumbs(path: string, home: string, go: (p: string) => void): HTMLElement {
  const parts = path.split('/').filter(Boolean);
  const items = [
    { label: home, path: '/' },
    ...parts.map((p, i) => ({ label: p, path: `/${parts.slice(0, i + 1).join('/')}` })),
  ];
  return h(
    'nav',
    { class: 'crumbs', 'aria-label': 'Folder' },
    h(
      'ol',
      null,
      items.map((c, i) =>
        h(
          'li',
          null,
          i === items.length - 1
            ? h('span', { 'aria-current': 'location' }, c.label)
            : h('button', { type: 'button', class: 'link', onclick: () => go(c.path) }, c.label),
        ),
      ),
    ),
  );
}

function browser(ctx: PageContext, account: Account, start: string): HTMLElement {
  const fs = filesApi(account.id);
  let path = start;
  const bar = h('div', { class: 'toolbar' });
  const uploads = h('div', { class: 'uploads' });
  const listing = h('div', {
    class: 'file-listing',
    role: 'region',
    'aria-label': 'Folder contents (drop files here to upload)',
  });
  const go = (p: string) => {
    path = p;
    // Finished uploads belong to the folder they went to: leaving it clears their bars (failed ones stay).
    for (const done of uploads.querySelectorAll('.progress-done')) done.remove();
    setQuery({ path: p === '/' ? null : p });
    void render();
  };
  const picker = h('input', {
    type: 'file',
    multiple: true,
    class: 'visually-hidden',
    'aria-label': 'Files to upload',
    tabindex: '-1',
  });
  const uploadHere = async (files: File[]) => {
    if (!files.length || !fs.upload) return;
    uploads.replaceChildren();
    try {
      await uploadFiles(fs.upload(path), files, uploads);
      notify(
        files.length === 1 ? `${files[0]!.name} was uploaded.` : `${files.length} files were uploaded.`,
        'success',
      );
    } catch (e) {
      notify(describeError(e), 'error');
    }
    void render();
  };
  picker.addEventListener('change', () => {
    const files = [...(picker.files ?? [])];
    picker.value = '';
    void uploadHere(files);
  });
  // Files dropped from the desktop onto the listing go into the folder shown.
  listing.addEventListener('dragover', (e) => {
    if (!fs.upload || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    listing.classList.add('drop-target');
  });
  listing.addEventListener('dragleave', (e) => {
    if (!listing.contains(e.relatedTarget as Node | null)) listing.classList.remove('drop-target');
  });
  listing.addEventListener('drop', (e) => {
    listing.classList.remove('drop-target');
    if (!fs.upload || !e.dataTransfer?.files.length) return;
    e.preventDefault();
    void uploadHere([...e.dataTransfer.files]);
  });
  const stop = new AbortController();
  ctx.onLeave(() => stop.abort());
  const jobs = fileJobs(account.id, () => void render(), stop.signal);
  const selection = fileSelection(
    fs,
    () => path,
    () => void render(),
    jobs,
  );
  const entryName = (e: FileEntry) => {
    const target = joinPath(path, e.name);
    const label = [icon(isDir(e) ? 'files' : e.type === 'symlink' ? 'link' : 'file', 16), h('span', null, e.name)];
    return isDir(e)
      ? h('button', { type: 'button', class: 'link file-name', onclick: () => go(target) }, label)
      : h(
          'button',
          {
            type: 'button',
            class: 'link file-name',
            title: 'Edit',
            onclick: () => void openEditor(fs, target, () => void render()),
          },
          label,
        );
  };
  const actions = (e: FileEntry) => {
    const target = joinPath(path, e.name);
    return rowActions(
      !isDir(e) && fs.downloadUrl
        ? linkButton('Download', fs.downloadUrl(target), {
            download: e.name,
            small: true,
            icon: 'download',
            iconOnly: true,
          })
        : null,
      fs.canRename ? iconButton('Rename', 'edit', () => renameDialog(fs, target, () => void render())) : null,
      isArchive(e.name) && !isDir(e) && fs.extract
        ? iconButton('Extract', 'archive', () => extractDialog(fs, path, e.name, jobs))
        : null,
      iconButton('Permissions', 'shield', () =>
        permissionsDialog(fs, target, entryMode(e) || (isDir(e) ? '755' : '644'), () => void render()),
      ),
      iconButton('Delete', 'trash', () => void deleteEntry(fs, target, isDir(e), () => void render()), 'danger'),
    );
  };
  const render = () => {
    mount(
      bar,
      crumbs(path, account.username, go),
      h(
        'div',
        { class: 'actions' },
        button('New folder', {
          icon: 'plus',
          small: true,
          onClick: () => createDialog(fs, path, 'folder', () => void render()),
        }),
        button('New file', {
          icon: 'file',
          small: true,
          onClick: () => createDialog(fs, path, 'file', () => void render()),
        }),
        fs.upload
          ? button('Upload', { icon: 'upload', small: true, kind: 'primary', onClick: () => picker.click() })
          : null,
        button('Refresh', { icon: 'refresh', small: true, kind: 'ghost', onClick: () => void render() }),
      ),
    );
    selection.reset();
    return loadInto(
      listing,
      async () => {
        const entries = (await fs.list(path)).sort(
          (a, b) => Number(isDir(b)) - Number(isDir(a)) || a.name.localeCompare(b.name),
        );
        return dataTable<FileEntry>(
          [
            { label: 'Select', class: 'col-check', cell: (e) => selection.checkbox(e.name) },
            { label: 'Name', cell: entryName },
            { label: 'Size', class: 'num', cell: (e) => (isDir(e) ? '—' : formatBytes(e.size)) },
            {
              label: 'Permissions',
              cell: (e) => {
                const m = entryMode(e);
                return m ? h('code', { title: modeText(m) }, m) : '—';
              },
            },
            { label: 'Modified', class: 'nowrap', cell: (e) => formatDate(e.modified ?? e.mtime) },
            { label: 'Actions', class: 'col-actions', cell: actions },
          ],
          entries,
          { empty: 'This folder is empty.', label: `Contents of ${path}` },
        );
      },
      'files',
    );
  };
  void render();
  return card(null, h('div', null, bar, selection.bar, picker, uploads, jobs.el, listing), { class: 'card-flush' });
}

export const filesPage: PageDef = {
  path: '/files',
  title: 'Files',
  roles: EVERYONE,
  plugin: 'files',
  nav: { label: 'Files', icon: 'files', section: 'hosting', order: 50 },
  render(ctx) {
    let first = true;
    return perAccountPage(ctx, 'Files', 'The home directory of an account; / is the home.', (account, area) => {
      const start = first ? (ctx.query.get('path') ?? '/') : '/';
      if (!first) setQuery({ path: null });
      first = false;
      mount(area, browser(ctx, account, /^\//.test(start) ? start : '/'));
    });
  },
};
