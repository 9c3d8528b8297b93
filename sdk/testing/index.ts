/**
 * Testing helpers for plugin authors: an in-process panel and the conformance suites of the
 * extension points.
 * @packageDocumentation
 */
export * from './harness.js';
export * from './accounts.js';
export type { TestResponse } from './responses.js';
export type { TestLicenceClaims, TestRole } from './credentials.js';
export { TEST_LOGINS, testLicenceKey } from './credentials.js';
export * from './bare-panel.js';
export * from './plugin-services.js';
export * from './database-engine-conformance.js';
export * from './webserver-engine-conformance.js';
export * from './acme-challenge-conformance.js';
export * from './backup-target-conformance.js';
export * from './database-credential-conformance.js';
export { throughInPieces } from './stream-pieces.js';
export * from './dns-server-conformance.js';
