import fs from 'node:fs';
import path from 'node:path';

/**
 * Intents written to disk before a change that a kill could leave half-done (a home swap, an
 * archive not yet verified), removed once the change is whole. At start-up, what is still here
 * names exactly what to finish or undo. Each entry is one small JSON file, written to a temp name,
 * synced and renamed (so an entry is either whole or absent), in a 0700 directory of the data dir.
 */
export class Journal {
  constructor(readonly dir: string) {}

  private file(name: string): string {
    if (!/^[a-z0-9][a-z0-9._-]{0,200}$/.test(name)) throw new Error(`invalid journal entry name '${name}'`);
    return path.join(this.dir, `${name}.json`);
  }

  /** Record an intent durably (replacing one of the same name). */
  async put(name: string, data: object): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(name);
    const temp = `${file}.tmp`;
    const fd = await fs.promises.open(temp, 'w', 0o600);
    try {
      await fd.writeFile(JSON.stringify(data));
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fs.promises.rename(temp, file);
    const dir = await fs.promises.open(this.dir, 'r');
    await dir.sync().finally(() => dir.close());
  }

  async remove(name: string): Promise<void> {
    await fs.promises.rm(this.file(name), { force: true });
  }

  /** Entries whose name starts with `prefix`, with their data (a torn temp file is dropped). */
  async entries<T>(prefix: string): Promise<{ name: string; data: T }[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: { name: string; data: T }[] = [];
    for (const f of names.sort()) {
      if (f.endsWith('.json.tmp')) await fs.promises.rm(path.join(this.dir, f), { force: true });
      if (!f.startsWith(prefix) || !f.endsWith('.json')) continue;
      out.push({
        name: f.slice(0, -'.json'.length),
        data: JSON.parse(await fs.promises.readFile(path.join(this.dir, f), 'utf8')) as T,
      });
    }
    return out;
  }
}
