import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import polka, { type Request } from 'polka';
import type { Principal } from '../../sdk/auth.js';
import type { Logger } from '../../sdk/logger.js';
import { RAW_RESPONSE, type ApiRequest, type RouteDefinition } from '../../sdk/routes.js';
import { errors, isPanelError } from '../errors.js';
import { noSpaceError } from './no-space.js';
import { compileValidator } from '../validation.js';
import { checkOwnership, checkStaticAccess } from './access.js';
import { readJsonBody } from './body.js';
import { createClientIpResolver } from './client-ip.js';
import { checkSameOrigin } from './csrf.js';
import { sendError, sendOk, type HeaderPairs } from './envelope.js';
import { andThen, isPromise, type Maybe } from './maybe.js';
import { RouteIndex, type CompiledRoute } from './route-index.js';
import { ListenerCertificate } from './tls.js';
import type {
  AuditSink,
  Authentication,
  Authenticator,
  LicenceSource,
  PluginGate,
  ResponseObserver,
  RouteRecord,
} from './types.js';

/** Route label under which requests matching no route (static UI files, 404, 405) are observed. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The patterns Polka's router compiled, in registration order (trouter's `routes` field, untyped). */
function compiledRoutes(app: object): CompiledRoute[] {
  return (app as { routes: CompiledRoute[] }).routes;
}

/** A request id a client may send to correlate logs; anything else gets a fresh one. */
const REQUEST_ID = /^[\w-]{8,64}$/;

/** One request on its way through {@link HttpKernel}'s route path. */
interface Call {
  record: RouteRecord;
  api: RouteRequest;
  res: ServerResponse;
  started: number;
}

/**
 * The handler's view of the request (a class: its prototype getter keeps every instance on one
 * fast shape). `res` is handed out with the request id already set on it; headers set through
 * `setHeader` go out with the enveloped answer.
 */
class RouteRequest implements ApiRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown = undefined;
  principal: Principal | null = null;
  readonly requestId: string;
  readonly headers: IncomingMessage['headers'];
  readonly extraHeaders: HeaderPairs = [];
  auditTarget?: string;

  constructor(
    readonly raw: Request,
    private readonly response: ServerResponse,
    readonly ip: string,
    params: Record<string, unknown>,
    query: Record<string, unknown>,
  ) {
    const given = raw.headers['x-request-id'];
    this.requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    this.params = params;
    this.query = query;
    this.headers = raw.headers;
  }

  get res(): ServerResponse {
    const res = this.response;
    if (!res.headersSent && !res.hasHeader('X-Request-Id')) res.setHeader('X-Request-Id', this.requestId);
    return res;
  }

  setHeader(name: string, value: string | string[]): void {
    this.extraHeaders.push([name, value]);
  }
}

export interface HttpOptions {
  bodyLimit: number;
  trustedProxies: string[];
  logger: Logger;
  licence: LicenceSource;
  /** Where the panel store lives, named to administrators when it is full. */
  store?: string;
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
  /** Polka compiles the route patterns and parses URLs; {@link RouteIndex} picks the route. */
  private readonly app = polka();
  private readonly index = new RouteIndex<RouteRecord>();
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
    if (this.server && !this.tls)
      this.opts.logger.warn(
        'a certificate was installed while the panel listens on plain HTTP: restart the panel to serve HTTPS',
      );
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
    for (const method of def.method === 'GET' ? ['GET', 'HEAD'] : [def.method]) {
      this.app.add(method as 'GET', def.path, () => undefined);
      this.index.add(method, def.path, compiledRoutes(this.app).at(-1)!, record);
    }
  }

  /**
   * Polka's URL parser, the route found through {@link RouteIndex} and run directly: the kernel
   * uses no middleware, so Polka's per-request middleware loop (an async closure per step) is
   * skipped. Handlers get params and query on the ApiRequest; `req.path` is set for the audit, and
   * unmatched requests get `url`, `query`, `params` as Polka would set them for the fallbacks.
   */
  handler = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      this.route(req as Request, res);
    } catch (e) {
      // nothing on this path should throw; if it does, the client gets the envelope, the process lives
      this.fail(res, e, req);
    }
  };

  private route(r: Request, res: ServerResponse): void {
    const info = this.app.parse(r);
    const path = info.pathname;
    r.path = path;
    const found = this.index.find(r.method ?? '', path);
    if (!found) {
      r.url = path + info.search;
      r.query = (info.query ?? {}) as Request['query'];
      r.params = {};
      this.noMatch(r, res).catch((e: unknown) => this.fail(res, e, r));
      return;
    }
    const params = found.params;
    if (path.indexOf('%', 1) !== -1) {
      for (const k in params) {
        try {
          params[k] = decodeURIComponent(params[k]!);
        } catch {
          // a malformed escape stays as sent; the params schema refuses it
        }
      }
    }
    this.dispatch(found.handler, r, res, params, info.query ?? {});
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    this.server = this.certificate.active
      ? https.createServer(this.certificate.options(), this.handler)
      : http.createServer(this.handler);
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

  /**
   * One request through the route's path. Every step runs synchronously until one really waits
   * (a credential not yet cached, a body to read, an ownership lookup, an async handler), so a
   * plain GET answers in the tick that parsed it.
   */
  private dispatch(
    record: RouteRecord,
    raw: Request,
    res: ServerResponse,
    params: Record<string, string>,
    query: Record<string, unknown>,
  ): void {
    const call: Call = {
      record,
      res,
      started: performance.now(),
      api: new RouteRequest(raw, res, this.clientIp(raw), params, query),
    };
    let outcome: Maybe<unknown>;
    try {
      const auth = this.authenticator ? this.authenticator.authenticate(raw, call.api.ip) : null;
      outcome = andThen(auth, (a) => this.authorised(record, call.api, a));
    } catch (e) {
      this.failed(call, e);
      return;
    }
    if (isPromise(outcome))
      outcome.then(
        (data) => this.answer(call, data),
        (e) => this.failed(call, e),
      );
    else this.answer(call, outcome);
  }

  /** Access checks and input validation, then the body (read only when the route takes one). */
  private authorised(record: RouteRecord, api: ApiRequest, auth: Authentication | null): Maybe<unknown> {
    const { def } = record;
    const raw = api.raw;
    api.principal = auth?.principal ?? null;
    if (!def.access.public && !api.principal) throw errors.unauthenticated();
    if (auth?.confinedTo && !def.access.public && !auth.confinedTo.paths.includes(def.path))
      throw errors.forbidden(auth.confinedTo.reason);
    const gate = this.gate(record.pluginId, api.principal);
    if (!gate.ok) throw errors.pluginDisabled(record.pluginId, gate.reason).withAdminDetail(gate.detail ?? '');
    checkStaticAccess(def.access, api.principal, this.opts.licence, def);
    if (auth?.via === 'cookie' && record.mutating) checkSameOrigin(raw);
    api.params = record.params ? record.params.parse(api.params) : api.params;
    api.query = record.query ? record.query.parse({ ...api.query }) : {};
    if (def.rawBody) return this.owned(record, api);
    if (raw.method === 'GET' || raw.method === 'HEAD') return this.withBody(record, api, undefined);
    return readJsonBody(raw, def.bodyLimit ?? this.opts.bodyLimit).then((body) => this.withBody(record, api, body));
  }

  private withBody(record: RouteRecord, api: ApiRequest, body: unknown): Maybe<unknown> {
    if (record.body) api.body = record.body.parse(body === undefined ? {} : body);
    else if (
      body !== undefined &&
      !(typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0)
    )
      throw errors.validation('body: this endpoint takes no body');
    return this.owned(record, api);
  }

  private owned(record: RouteRecord, api: ApiRequest): Maybe<unknown> {
    return andThen(checkOwnership(record.def.access, api), () => record.def.handler(api));
  }

  /** The enveloped answer (unless the handler wrote its own response). */
  private answer(call: Call, data: unknown): void {
    const status = call.record.def.status ?? 200;
    try {
      if (data !== RAW_RESPONSE) sendOk(call.res, data, status, call.api.requestId, call.api.extraHeaders);
    } catch (e) {
      return this.failed(call, e);
    }
    this.finish(call, status);
  }

  private failed(call: Call, e: unknown): void {
    this.finish(
      call,
      this.fail(call.res, e, call.api.raw, call.api.requestId, call.record.pluginId, call.api.principal).status,
    );
  }

  /** Observers and, for mutating routes, the audit record. */
  private finish({ record, api, res, started }: Call, answered: number): void {
    const { def } = record;
    const status = res.statusCode || answered;
    const ms = performance.now() - started;
    for (const o of this.observers) o({ method: def.method, route: def.path, status, ms });
    if (!record.mutating || !this.audit) return;
    const raw = api.raw as Request;
    const p = api.principal;
    this.audit.record({
      time: new Date().toISOString(),
      user_id: p?.userId ?? null,
      username: p?.username ?? null,
      role: p?.role ?? null,
      reseller_id: p?.role === 'reseller' ? p.userId : (p?.resellerId ?? null),
      method: raw.method ?? def.method,
      route: def.path,
      path: raw.path ?? raw.url ?? '',
      target: api.auditTarget ?? raw.path ?? null,
      status,
      ok: status < 400,
      ip: api.ip,
      request_id: api.requestId,
      plugin: record.pluginId,
      impersonator: p?.impersonator?.username ?? null,
    });
  }

  private fail(
    res: ServerResponse,
    e: unknown,
    req: IncomingMessage,
    requestId?: string,
    plugin?: string,
    viewer?: Principal | null,
  ) {
    const full = isPanelError(e)
      ? null
      : noSpaceError(e, viewer?.role === 'admin', this.opts.store ?? 'the panel database');
    const err = sendError(res, full ?? e, requestId, viewer);
    if (err.status >= 500) {
      const real = e as Error;
      this.opts.logger.error('request failed', {
        plugin,
        path: req.url?.split('?')[0],
        request_id: requestId,
        error: real?.message,
        detail: err.adminDetail,
        stack: real?.stack,
      });
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
    const other = [...new Set(this.routes.map((r) => r.def.method))].some(
      (method) => this.index.find(method, path) !== null,
    );
    sendError(
      res,
      other
        ? errors.methodNotAllowed(`Method ${req.method} is not allowed on ${path}`)
        : errors.notFound(`No route for ${req.method} ${path}`),
    );
  }
}
