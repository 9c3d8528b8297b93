import { auditModule } from './audit/module.js';
import { authModule } from './auth/module.js';
import type { KernelModule } from './kernel-module.js';
import { licenceModule } from './licence/module.js';
import { metricsModule } from './metrics/module.js';

/** Kernel modules every panel runs, in install order. */
export function kernelModules(): KernelModule[] {
  return [licenceModule(), authModule(), auditModule(), metricsModule()];
}
