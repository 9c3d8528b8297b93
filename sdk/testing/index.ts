/**
 * Testing helpers for plugin authors: an in-process panel and the conformance suites of the
 * extension points.
 * @packageDocumentation
 */
export * from './harness.js';
export type { TestRole } from './credentials.js';
export * from './conformance.js';
