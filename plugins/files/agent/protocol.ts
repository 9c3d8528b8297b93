import type { DownloadMeta } from '../sandbox/download.js';

/** The request the panel sends to an agent child (one operation per child). */
export interface AgentRequest {
  op: string;
  args: unknown;
  home: string;
  ownerUid: number | null;
  textLimit: number;
  maxEntries: number;
  /** The uid the child must be running as; it refuses to work otherwise. */
  expectUid: number;
  expectGid: number;
}

/** Messages from the agent child to the panel. */
export type AgentMessage =
  | { t: 'ready' }
  | { t: 'meta'; meta: DownloadMeta }
  | { t: 'progress'; percent: number; message?: string }
  | { t: 'done'; result: unknown }
  | { t: 'fail'; code: string | null; message: string };

/** Messages from the panel to the agent child after the request. */
export type PanelMessage = { t: 'body'; send: boolean };
