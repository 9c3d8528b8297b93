import type { ExpansionLimits } from '../archive/inflation.js';
import type { DownloadMeta } from '../sandbox/download.js';
import type { FillLimits } from '../sandbox/fill.js';

// The IPC protocol between the panel and a file agent (a child process running as one account's
// user). An agent may serve several operations, also at once: every message after `ready`
// carries the id the panel gave the operation.

/** The account user an agent runs as. */
export interface AgentUser {
  uid: number;
  gid: number;
}

/** One operation for an agent. */
export interface AgentRequest {
  op: string;
  args: unknown;
  home: string;
  ownerUid: number | null;
  textLimit: number;
  maxEntries: number;
  expansion: ExpansionLimits;
  /** The uid the child must be running as; it refuses to work otherwise. */
  expectUid: number;
  expectGid: number;
}

/** What an operation reports back, tagged with its id. */
export type AgentReport =
  /** A download's headers and the checked fd (with its inode) the panel reopens and sends from. */
  | { t: 'meta'; meta: DownloadMeta; fd: number; dev: number; ino: number }
  /** An upload's temp file, created and checked by the agent, for the panel to write within the limits. */
  | { t: 'fill'; limits: FillLimits; fd: number; dev: number; ino: number }
  | { t: 'progress'; percent: number; message?: string }
  | { t: 'done'; result: unknown }
  | { t: 'fail'; code: string | null; message: string };

/** Messages from the agent to the panel: `ready` once it runs as the account, then reports. */
export type AgentMessage = { t: 'ready' } | (AgentReport & { id: number });

/** The panel's answers about an operation's transfer. */
export type TransferReply =
  /** The panel holds its own fd of the download now. */
  | { t: 'opened' }
  /** The upload's bytes are written (size), or writing failed (error). */
  | { t: 'filled'; size: number; error?: { code: string | null; message: string } };

/** Messages from the panel to the agent. */
export type PanelMessage = { t: 'run'; id: number; req: AgentRequest } | (TransferReply & { id: number });
