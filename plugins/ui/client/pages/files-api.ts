// The file manager's API: the contract's routes, plus upload, download and rename where the files
// plugin offers them (found in the API description, with its field names), copy, compress and extract.
import { api, listOf, withQuery } from '../base/api.js';
import { findRoute, hasRoute, routeFields } from '../base/capabilities.js';

/** A directory entry. */
export interface FileEntry {
  name: string;
  type: string;
  size?: number;
  permissions?: string | number;
  mode?: string | number;
  modified?: string;
  mtime?: string;
}

/** What compress and extract answer: `job_id` is set when the work continues as a job. */
export interface ArchiveWork {
  job_id: string | number | null;
}

/** True for the archives the panel can extract. */
export function isArchive(name: string): boolean {
  return /\.(zip|tar\.gz|tgz)$/i.test(name);
}

/** `/a/b` + `c` → `/a/b/c`. */
export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** Parent of a path (`/` stays `/`). */
export function parentPath(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** True for directories (the API may say `directory` or `dir`). */
export function isDir(e: FileEntry): boolean {
  return e.type === 'directory' || e.type === 'dir';
}

/** A file manager bound to one account. */
export function filesApi(accountId: number) {
  const renameRoute = findRoute('POST', /^\/api\/files\/(rename|move)$/);
  const uploadRoute = findRoute('POST', /^\/api\/files\/upload$/);
  const downloadRoute = findRoute('GET', /^\/api\/files\/download$/);
  return {
    list: async (path: string) =>
      listOf<FileEntry>(
        await api('GET', withQuery('/api/files/list', { account_id: accountId, path })),
        'entries',
        'files',
      ),
    read: async (path: string): Promise<string> => {
      const d = await api<any>('GET', withQuery('/api/files/read', { account_id: accountId, path }));
      return typeof d === 'string' ? d : typeof d?.content === 'string' ? d.content : '';
    },
    /** Write a text file; `overwrite: false` only creates it (409 when the name is taken). */
    write: (path: string, content: string, opts: { overwrite?: boolean } = {}) =>
      api('POST', '/api/files/write', { account_id: accountId, path, content, ...opts }),
    mkdir: (path: string) => api('POST', '/api/files/mkdir', { account_id: accountId, path }),
    chmod: (path: string, mode: string) => api('POST', '/api/files/chmod', { account_id: accountId, path, mode }),
    remove: (path: string) => api('DELETE', '/api/files/delete', { account_id: accountId, path }),
    canRename: renameRoute !== null,
    rename: (from: string, to: string) => {
      const fields = routeFields('POST', renameRoute!).body;
      const src = ['from', 'source', 'old_path', 'path'].find((f) => fields.includes(f)) ?? 'from';
      const dst = ['to', 'destination', 'new_path', 'target', 'new_name'].find((f) => fields.includes(f)) ?? 'to';
      return api('POST', renameRoute!, {
        account_id: accountId,
        [src]: from,
        [dst]: dst === 'new_name' ? to.slice(to.lastIndexOf('/') + 1) : to,
      });
    },
    /** Where to POST an upload into `dir`, and which values go as form fields. */
    upload: uploadRoute
      ? (dir: string): { url: string; fields: Record<string, string> } => {
          const q = routeFields('POST', uploadRoute).query;
          const target = ['path', 'dir', 'directory'].find((f) => q.includes(f)) ?? 'path';
          const url = q.includes('account_id')
            ? withQuery(uploadRoute, { account_id: accountId, [target]: dir })
            : uploadRoute;
          return { url, fields: q.includes('account_id') ? {} : { account_id: String(accountId), path: dir } };
        }
      : null,
    /** Copy, compress and extract (the files plugin's routes); large work answers with a `job_id`. */
    copy: hasRoute('POST', '/api/files/copy')
      ? (from: string, to: string) => api('POST', '/api/files/copy', { account_id: accountId, from, to })
      : null,
    compress: hasRoute('POST', '/api/files/compress')
      ? (paths: string[], destination: string) =>
          api<ArchiveWork>('POST', '/api/files/compress', { account_id: accountId, paths, destination })
      : null,
    extract: hasRoute('POST', '/api/files/extract')
      ? (path: string, destination: string) =>
          api<ArchiveWork>('POST', '/api/files/extract', { account_id: accountId, path, destination })
      : null,
    downloadUrl: downloadRoute ? (path: string) => withQuery(downloadRoute, { account_id: accountId, path }) : null,
  };
}

/** The file manager of one account. */
export type FilesApi = ReturnType<typeof filesApi>;
