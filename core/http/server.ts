import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import polka, { type Request } from 'polka';
import type { Logger } from '../../sdk/logger.js';
import { RAW_RESPONSE, type ApiRequest, type RouteDefinition } from '../../sdk/routes.js';
import { errors } from '../errors.js';
import { compileValidator } from '../validation.js';
import { checkOwnership, checkStaticAccess } from './access.js';
import { readJsonBody } from './body.js';
import { createClientIpResolver } from './client-ip.js';
import { checkSameOrigin } from './csrf.js';
import { sendError, sendOk } from './envelope.js';
import { ListenerCertificate } from './tls.js';
import type { AuditSink, Authenticator, LicenceSource, PluginGate, ResponseObserver, RouteRecord } from './types.js';

/** Route label under which requests matching no route (static UI files, 404, 405) are observed. */
export const UNMATCHED_ROUTE = '(unmatched)';

export interface HttpOptions {
  bodyLimit: number;
  trustedProxies: string[];
  logger: Logger;
  licence: LicenceSource;
}

/**
 * The HTTP kernel: a Polka router whose every route runs the same path — authenticate, gate the
 * plugin, check role/scope/licence, CSRF, read and validate input, check ownership, run the
 * handler, wrap the answer in the envelope, audit and observe.
 */
export class HttpKernel {
  readonly routes: RouteRecord[] = [];
  authenticator: Authenticator | null = null;
  audit: AuditSink | null = null;
  gate: PluginGate = () => ({ ok: true });
  readonly observers: ResponseObserver[] = [];
  /** Handlers for paths outside the route table (static UI); return true when handled. */
  readonly fallbacks: ((req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>)[] = [];
  private readonly app = polka({ onNoMatch: (req, res) => this.noMatch(req, res), onError: (err, req, res) => void this.fail(res, err, req) });
  private readonly clientIp: (req: IncomingMessage) => string;
  private server: http.Server | https.Server | null = null;
  /** The pair served when the listener is HTTPS (configured files or a plugin's certificate). */
  readonly certificate: ListenerCertificate;

  constructor(private readonly opts: HttpOptions) {
    this.clientIp = createClientIpResolver(opts.trustedProxies);
    this.certificate = new ListenerCertificate(opts.logger);
  }

  /** True when the listener serves HTTPS. */
  get tls(): boolean {
    return this.server instanceof https.Server;
  }

  /** Install a new certificate pair; a running HTTPS listener uses it for new connections at once. */
  setCertificate(cert: string, key: string): void {
    this.certificate.set(cert, key);
    if (this.server && !this.tls) this.opts.logger.warn('a certificate was installed while the panel listens on plain HTTP: restart the panel to serve HTTPS');
  }

  /** Register a route for a plugin; throws on a duplicate method + path. */
  add(pluginId: string, def: RouteDefinition): void {
    if (this.routes.some((r) => r.def.method === def.method && r.def.path === def.path))
      throw new Error(`route ${def.method} ${def.path} is already registered`);
    const record: RouteRecord = {
      pluginId,
      def,
      params: def.schema?.params ? compileValidator(def.schema.params, { convert: true, where: 'params' }) : undefined,
      query: def.schema?.query ? compileValidator(def.schema.query, { convert: true, where: 'query' }) : undefined,
      body: def.schema?.body ? compileValidator(def.schema.body, { where: 'body' }) : undefined,
      mutating: def.access.mutating ?? def.method !== 'GET',
    };
    this.routes.push(record);
    const handler = (req: Request, res: ServerResponse) => this.dispatch(record, req, res);
    this.app.add(def.method, def.path, handler);
    if (def.method === 'GET') this.app.add('HEAD', def.path, handler);
  }

  handler = (req: IncomingMessage, res: ServerResponse): void => {
    void this.app.handler(req as Request, res, undefined as never);
  };

  async listen(port: number, host: string): Promise<AddressInfo> {
    this.server = this.certificate.active ? https.createServer(this.certificate.options(), this.handler) : http.createServer(this.handler);
    if (this.server instanceof https.Server) this.certificate.attach(this.server);
    this.server.keepAliveTimeout = 5000;
    this.server.headersTimeout = 15000;
    this.server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    this.certificate.close();
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections();
      setTimeout(() => s.closeAllConnections(), 2000).unref();
    });
  }

  private async dispatch(record: RouteRecord, raw: Request, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = String(raw.headers['x-request-id'] ?? '').match(/^[\w-]{8,64}$/)?.[0] ?? randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const ip = this.clientIp(raw);
    const { def } = record;
    const extraHeaders: [string, string | string[]][] = [];
    const api: ApiRequest = {
      params: raw.params ?? {},
      query: raw.query ?? {},
      body: undefined,
      principal: null,
      ip,
      requestId,
      headers: raw.headers,
      raw,
      res,
      setHeader: (name, value) => extraHeaders.push([name, value]),
    };
    let status = 200;
    try {
      const auth = this.authenticator ? await this.authenticator.authenticate(raw, ip) : null;
      api.principal = auth?.principal ?? null;
      if (!def.access.public && !api.principal) throw errors.unauthenticated();
      const gate = this.gate(record.pluginId, api.principal);
      if (!gate.ok) throw errors.pluginDisabled(record.pluginId, gate.reason);
      checkStaticAccess(def.access, api.principal, this.opts.licence(), `${def.method} ${def.path}`);
      if (auth?.via === 'cookie' && record.mutating) checkSameOrigin(raw);
      api.params = record.params ? record.params.parse(api.params) : api.params;
      api.query = record.query ? record.query.parse({ ...api.query }) : {};
      if (!def.rawBody) {
        const body = raw.method === 'GET' || raw.method === 'HEAD' ? undefined : await readJsonBody(raw, def.bodyLimit ?? this.opts.bodyLimit);
        if (record.body) api.body = record.body.parse(body === undefined ? {} : body);
        else if (body !== undefined && !(typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0))
          throw errors.validation('body: this endpoint takes no body');
      }
      await checkOwnership(def.access, api);
      const data = await def.handler(api);
      if (data === RAW_RESPONSE) return;
      for (const [k, v] of extraHeaders) res.setHeader(k, v);
      status = def.status ?? 200;
      sendOk(res, data, status);
    } catch (e) {
      status = this.fail(res, e, raw, requestId, record.pluginId).status;
    } finally {
      const ms = performance.now() - started;
      for (const o of this.observers) o({ method: def.method, route: def.path, status: res.statusCode || status, ms });
      if (record.mutating && this.audit) {
        this.audit.record({
          time: new Date().toISOString(),
          user_id: api.principal?.userId ?? null,
          username: api.principal?.username ?? null,
          role: api.principal?.role ?? null,
          reseller_id: api.principal?.role === 'reseller' ? api.principal.userId : (api.principal?.resellerId ?? null),
          method: raw.method ?? def.method,
          route: def.path,
          path: (raw as Request).path ?? raw.url ?? '',
          target: api.auditTarget ?? ((raw as Request).path ?? null),
          status: res.statusCode || status,
          ok: (res.statusCode || status) < 400,
          ip,
          request_id: requestId,
          plugin: record.pluginId,
        });
      }
    }
  }

  private fail(res: ServerResponse, e: unknown, req: IncomingMessage, requestId?: string, plugin?: string) {
    const err = sendError(res, e, requestId);
    if (err.status >= 500) {
      const real = e as Error;
      this.opts.logger.error('request failed', { plugin, path: req.url?.split('?')[0], request_id: requestId, error: real?.message, stack: real?.stack });
    }
    return err;
  }

  /** Observed under the one route label {@link UNMATCHED_ROUTE}: a raw path label would let clients mint series. */
  private async noMatch(req: Request, res: ServerResponse): Promise<void> {
    const started = performance.now();
    try {
      await this.answerUnmatched(req, res);
    } finally {
      const method = http.METHODS.includes(req.method ?? '') ? req.method! : 'OTHER';
      const ms = performance.now() - started;
      for (const o of this.observers) o({ method, route: UNMATCHED_ROUTE, status: res.statusCode, ms });
    }
  }

  private async answerUnmatched(req: Request, res: ServerResponse): Promise<void> {
    try {
      for (const fb of this.fallbacks) if (await fb(req, res)) return;
    } catch (e) {
      this.fail(res, e, req);
      return;
    }
    const path = req.path ?? req.url ?? '';
    const other = this.routes.some((r) => this.app.find(r.def.method, path).handlers.length > 0);
    sendError(res, other ? errors.methodNotAllowed(`Method ${req.method} is not allowed on ${path}`) : errors.notFound(`No route for ${req.method} ${path}`));
  }
}
