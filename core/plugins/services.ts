import type { ServiceRef, ServiceRegistry } from '../../sdk/services.js';
import { errors } from '../errors.js';

/** Services plugins provide to each other, resolved only while the provider is active. */
export class ServiceStore {
  private readonly impls = new Map<string, { pluginId: string; impl: unknown }>();

  constructor(private readonly isActive: (pluginId: string) => boolean) {}

  forPlugin(pluginId: string): ServiceRegistry {
    return {
      provide: (ref, impl) => {
        const existing = this.impls.get(ref.id);
        if (existing && existing.pluginId !== pluginId)
          throw new Error(`service '${ref.id}' is already provided by '${existing.pluginId}'`);
        this.impls.set(ref.id, { pluginId, impl });
      },
      get: (ref) => {
        const found = this.find(ref);
        if (found === undefined)
          throw errors.unavailable(`Service '${ref.id}' is not available (its plugin is not active)`);
        return found;
      },
      find: (ref) => this.find(ref),
    };
  }

  find<T>(ref: ServiceRef<T>): T | undefined {
    const entry = this.impls.get(ref.id);
    return entry && this.isActive(entry.pluginId) ? (entry.impl as T) : undefined;
  }

  /** Ids of the services a plugin provided. */
  providedBy(pluginId: string): string[] {
    return [...this.impls].filter(([, v]) => v.pluginId === pluginId).map(([k]) => k);
  }

  removePlugin(pluginId: string): void {
    for (const [k, v] of this.impls) if (v.pluginId === pluginId) this.impls.delete(k);
  }
}
