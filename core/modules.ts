import type { KernelModule } from './kernel.js';

/** Kernel modules every panel runs, in install order. */
export function kernelModules(): KernelModule[] {
  return [];
}
