import path from 'node:path';
import type { KernelModule } from '../kernel-module.js';
import { Tokens } from '../tokens.js';
import { InstalledLicence } from './installed-licence.js';
import { loadLicenceKeys } from './keys.js';
import { licenceRoutes } from './licence-routes.js';

/** Default place of the licence file when `license_key_path` is empty. */
export const DEFAULT_LICENCE_FILE = 'license.key';

/**
 * The licence kernel module: verifies the licence file against the vendor's public keys, makes
 * registers the live licence in force (`kernel.licence()`), follows the file and serves `/api/license`.
 */
export function licenceModule(): KernelModule {
  let installed: InstalledLicence | null = null;
  return {
    name: 'licence',
    migrations: [],
    async install(k) {
      const { keys, problems } = await loadLicenceKeys();
      for (const p of problems) k.logger.warn(p);
      const file = k.config.license_key_path || path.join(k.config.data_dir, DEFAULT_LICENCE_FILE);
      const lic = new InstalledLicence({
        file,
        keys,
        testMode: k.config.test_mode,
        logger: k.logger.child({ module: 'licence' }),
        table: k.tiers,
      });
      installed = lic;
      await lic.load();
      lic.watch();
      k.provide(Tokens.Licence, () => lic.view());
      for (const r of licenceRoutes(k, lic)) k.route(r);
    },
    stop() {
      installed?.stop();
    },
  };
}
