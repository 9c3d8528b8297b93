/**
 * The VeloPanel plugin SDK: the only import surface for plugins.
 * @packageDocumentation
 */
export * from './plugin.js';
export * from './routes.js';
export * from './hooks.js';
export * from './extension-points.js';
export * from './services.js';
export * from './jobs.js';
export * from './leases.js';
export * from './exec.js';
export * from './logger.js';
export * from './database.js';
export * from './licence.js';
export * from './auth.js';
export * from './errors.js';
export * from './failpoint.js';
export * from './keyed-lock.js';
export * from './schema.js';
export * from './points/usage.js';
export * from './points/reseller-caps.js';
export * from './points/accounts.js';
export * from './points/account-operations.js';
export * from './points/home-copies.js';
export * from './points/webserver.js';
export * from './points/webserver-engines.js';
export * from './points/vhost-fragments.js';
export * from './points/text-templates.js';
export * from './points/database-engines.js';
export * from './points/database-admin.js';
export * from './points/ui.js';
export * from './validation.js';
export * from './lists.js';
export * from './file-modes.js';
export * from './points/backup-targets.js';
export * from './points/account-databases.js';
export * from './points/account-settings.js';
export * from './points/acme-challenges.js';
export * from './points/server-process.js';
export * from './points/certificate-expiries.js';
export * from './points/database-credentials.js';
export * from './points/managed-services.js';
export * from './home-paths.js';
export * from './points/dns-servers.js';
export * from './points/account-fields.js';
export * from './points/metrics.js';
export * from './points/bandwidth.js';
