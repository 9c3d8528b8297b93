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
export * from './exec.js';
export * from './logger.js';
export * from './database.js';
export * from './licence.js';
export * from './auth.js';
export * from './errors.js';
export * from './schema.js';
export * from './points/usage.js';
export * from './points/accounts.js';
export * from './points/webserver.js';
