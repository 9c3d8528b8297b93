import {
  databaseEngines,
  errors,
  type DatabaseEngine,
  type ExtensionEntry,
  type ExtensionRegistry,
} from '../../sdk/index.js';

/** What `GET /api/databases/engines` answers per engine. */
export interface EngineView {
  id: string;
  name: string;
  version: string | null;
  available: boolean;
  error?: string;
}

/** How long a health check may take before the engine counts as unavailable. */
const HEALTH_DEADLINE_MS = 8000;

/** The engines contributed to the `database-engines` point, looked up by id or alias. */
export class EngineCatalogue {
  constructor(private readonly extensions: ExtensionRegistry) {}

  private entries(): ExtensionEntry<DatabaseEngine>[] {
    return this.extensions.entries(databaseEngines);
  }

  private find(idOrAlias: string): ExtensionEntry<DatabaseEngine> | undefined {
    const all = this.entries();
    return all.find((e) => e.entryId === idOrAlias) ?? all.find((e) => e.value.aliases?.includes(idOrAlias));
  }

  /** The engine a create asks for, with its canonical id: 400 when unknown, 503 when its plugin or licence is off. */
  forRequest(idOrAlias: string): { id: string; engine: DatabaseEngine } {
    const entry = this.find(idOrAlias);
    if (!entry) {
      const known = this.entries().flatMap((e) => [e.entryId, ...(e.value.aliases ?? [])]);
      throw errors.validation(
        `engine: unknown engine '${idOrAlias}'${known.length ? ` (available: ${known.join(', ')})` : ' (no database engine is installed)'}`,
      );
    }
    if (!entry.available)
      throw errors.unavailable(
        `Database engine ${entry.value.name} (${entry.entryId}) is not available: ${entry.reason}`,
      );
    return { id: entry.entryId, engine: entry.value };
  }

  /** The engine a stored database lives on (by the id recorded at create); 503 when it is gone. */
  forRecord(id: string): DatabaseEngine {
    const entry = this.find(id);
    if (!entry || !entry.available)
      throw errors.unavailable(
        `Database engine ${id} is not available${entry?.reason ? `: ${entry.reason}` : ' (its plugin is not installed)'}`,
      );
    return entry.value;
  }

  /** Every engine with its health, checked in parallel and each bounded in time; the driver's detail for admins only. */
  async views(admin = false): Promise<EngineView[]> {
    return Promise.all(
      this.entries().map(async (e): Promise<EngineView> => {
        const base = { id: e.entryId, name: e.value.name };
        if (!e.available) return { ...base, version: null, available: false, error: e.reason ?? 'not available' };
        const h = await withDeadline(e.value.health(), HEALTH_DEADLINE_MS, () => ({
          available: false,
          version: null,
          error: `${e.value.name} (${e.entryId}) did not answer within ${HEALTH_DEADLINE_MS / 1000} s`,
        }));
        if (h.available) return { ...base, version: h.version, available: true };
        const error = h.error ?? 'unavailable';
        return { ...base, version: null, available: false, error: admin && h.detail ? `${error}: ${h.detail}` : error };
      }),
    );
  }
}

async function withDeadline<T>(work: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<T>((resolve) => {
        timer = setTimeout(() => resolve(fallback()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
