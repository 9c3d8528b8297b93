import { loadConfig, type ConfigError } from './config/load.js';
import type { PanelConfig } from './config/schema.js';
import { Kernel, type KernelModule, type KernelOptions } from './kernel.js';
import { kernelModules } from './modules.js';

export type { ConfigError };

/** Build a kernel with the standard kernel modules (auth, licence, audit). */
export function createPanel(config: PanelConfig, opts: Omit<KernelOptions, 'config'> = {}): Kernel {
  const modules: KernelModule[] = [...kernelModules(), ...(opts.modules ?? [])];
  return new Kernel(config, { ...opts, config, modules });
}

export { loadConfig };
