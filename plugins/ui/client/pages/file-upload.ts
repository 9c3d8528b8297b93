// Upload with a progress bar: XMLHttpRequest reports upload progress, fetch cannot.
import { readEnvelope } from '../base/api.js';
import { formatBytes } from '../base/format.js';
import { progressBar } from '../components/meter.js';

/** Upload files one after another into the page; resolves when all are done, rejects on the first failure. */
export async function uploadFiles(
  target: { url: string; fields: Record<string, string> },
  files: File[],
  host: HTMLElement,
): Promise<void> {
  for (const file of files) {
    const bar = progressBar(`Uploading ${file.name}`);
    host.append(bar.el);
    try {
      await new Promise<void>((resolve, reject) => {
        const body = new FormData();
        for (const [k, v] of Object.entries(target.fields)) body.append(k, v);
        body.append('file', file, file.name);
        const xhr = new XMLHttpRequest();
        xhr.open('POST', target.url);
        xhr.setRequestHeader('Accept', 'application/json');
        xhr.upload.addEventListener('progress', (e) => {
          if (e.lengthComputable)
            bar.set((e.loaded / e.total) * 100, `${formatBytes(e.loaded)} of ${formatBytes(e.total)}`);
        });
        xhr.addEventListener('load', () => {
          if (xhr.status === 204) return resolve();
          const res = new Response(xhr.responseText || null, { status: xhr.status, statusText: xhr.statusText });
          readEnvelope(res).then(() => resolve(), reject);
        });
        xhr.addEventListener('error', () => reject(new Error('the connection was lost during the upload')));
        xhr.send(body);
      });
      bar.done(true, `${file.name} uploaded.`);
    } catch (e) {
      bar.done(false, `${file.name}: ${e instanceof Error ? e.message : 'upload failed'}`);
      throw e;
    }
  }
}
