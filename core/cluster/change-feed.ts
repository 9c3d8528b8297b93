import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../../sdk/logger.js';

const CHANNEL = 'velopanel_changes';
const RECONNECT_MS = 1000;

/** Topics nodes tell each other about. `resync` is local: the feed was down and may have missed some. */
export type ChangeTopic = 'auth' | 'job' | 'job-cancel' | 'throttle' | 'resync';

/**
 * How a node learns what other nodes sharing the store changed: tokens revoked, passwords
 * changed, job progress. Messages go to the other nodes only; the node that made the change has
 * already acted on it in-process.
 */
export interface ChangeFeed {
  /** Whether other nodes hear {@link publish} (at once on PostgreSQL, within a second on MariaDB). */
  readonly live: boolean;
  publish(topic: ChangeTopic, payload: Record<string, unknown>): Promise<void>;
  on(topic: ChangeTopic, handler: (payload: Record<string, any>) => void): void;
  off(topic: ChangeTopic, handler: (payload: Record<string, any>) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** SQLite serves one node: there is nobody to tell. */
export class QuietChangeFeed implements ChangeFeed {
  readonly live = false;
  private readonly events = new EventEmitter();
  async publish(): Promise<void> {}
  on(topic: ChangeTopic, handler: (payload: Record<string, any>) => void): void {
    this.events.on(topic, handler);
  }
  off(topic: ChangeTopic, handler: (payload: Record<string, any>) => void): void {
    this.events.off(topic, handler);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/**
 * PostgreSQL LISTEN/NOTIFY on one dedicated connection (a pooled one could be handed back and
 * stop listening). When that connection drops it is re-opened; as notifications sent meanwhile
 * are lost, subscribers then get `resync` and drop what they cached.
 */
export class PgChangeFeed implements ChangeFeed {
  readonly live = true;
  private readonly events = new EventEmitter();
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly knex: Knex,
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {
    this.events.setMaxListeners(0);
  }

  async publish(topic: ChangeTopic, payload: Record<string, unknown>): Promise<void> {
    await this.knex.raw('select pg_notify(?, ?)', [CHANNEL, JSON.stringify({ n: this.nodeId, t: topic, p: payload })]);
  }

  on(topic: ChangeTopic, handler: (payload: Record<string, any>) => void): void {
    this.events.on(topic, handler);
  }
  off(topic: ChangeTopic, handler: (payload: Record<string, any>) => void): void {
    this.events.off(topic, handler);
  }

  /** A store that refuses the extra connection does not stop the panel: it retries, and says so. */
  async start(): Promise<void> {
    await this.connect().catch((e: Error) => {
      this.logger.warn('change feed: cannot listen yet, retrying', { error: e.message });
      this.reconnectLater();
    });
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => this.deliver(msg.payload));
    client.on('error', (e) => this.logger.warn('change feed connection failed', { error: e.message }));
    client.on('end', () => {
      if (this.client === client) this.client = null;
      this.reconnectLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw e;
    }
    this.client = client;
  }

  private reconnectLater(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().then(
        () => this.events.emit('resync', {}),
        () => this.reconnectLater(),
      );
    }, RECONNECT_MS);
    this.retry.unref();
  }

  private deliver(raw: string | undefined): void {
    let msg: { n?: string; t?: ChangeTopic; p?: Record<string, unknown> };
    try {
      msg = JSON.parse(raw ?? '');
    } catch {
      return;
    }
    if (msg.n === this.nodeId || !msg.t || msg.t === 'resync' || typeof msg.p !== 'object' || !msg.p) return;
    try {
      this.events.emit(msg.t, msg.p);
    } catch (e) {
      this.logger.error('change feed handler failed', { topic: msg.t, error: (e as Error).message });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}
