import Crypto
import ExoCore
import ExoPipeline
public import ExoStore
import Foundation
import HTTPTypes
public import Hummingbird
import HummingbirdAuth
public import Logging
import Metrics
import Prometheus

/// The ExoScope server (`exoscope serve`): the JSON API under `/api/v1`, the dashboard, `/health` and `/metrics`,
/// over the same store and pipeline as the command line (docs/server.md).
public enum ExoServer {
    /// The request context of every route.
    public typealias Context = ExoContext

    /// One route as the OpenAPI document writes it: method and path with `{parameters}`.
    public struct RouteKey: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var method: String
        public var path: String
        /// What the route needs of the principal (`open`, `signedIn`, `read`, `write`, `ingest`, `admin`).
        public var permission: String
        /// A dashboard page: without an account the browser is sent to /login (an API route answers 401).
        public var html: Bool

        public init(method: String, path: String, permission: String = "", html: Bool = false) {
            self.method = method
            self.path = path
            self.permission = permission
            self.html = html
        }

        public static func == (a: RouteKey, b: RouteKey) -> Bool { a.method == b.method && a.path == b.path }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(method)
            hasher.combine(path)
        }

        public static func < (a: RouteKey, b: RouteKey) -> Bool { (a.path, a.method) < (b.path, b.method) }
        public var description: String { "\(method) \(path)" }
    }

    /// The metrics `/metrics` shows: Hummingbird's request counters and durations (its `MetricsMiddleware`) and
    /// anything else reported through swift-metrics, once ``bootstrapMetrics()`` has run.
    static let metricsRegistry = PrometheusCollectorRegistry()

    private static let bootstrap: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metricsRegistry))
    }()

    /// Makes swift-metrics report to ``metricsRegistry``; the first call does it, later calls do nothing (the
    /// metrics system of a process is set once).
    public static func bootstrapMetrics() { _ = bootstrap }

    /// The router with every route and middleware, and the routes it holds (for the test that holds them to the
    /// OpenAPI document).
    public static func router(store: any Store, configuration: ServerConfiguration) -> (
        router: Router<Context>, routes: [RouteKey]
    ) {
        let router = Router(context: Context.self)
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: MetricsMiddleware())
        router.add(
            middleware: ContentSecurityMiddleware(
                contentSecurityPolicy: [
                    .defaultSrc(.none), .scriptSrc(.self), .styleSrc(.unsafeInline), .imgSrc(.self, .uri("data:")),
                    .connectSrc(.self), .formAction(.self), .frameAncestors(.none), .baseURI(.none),
                ]))
        router.add(middleware: ResponseHeadersMiddleware())
        let index = RouteIndex()
        router.add(middleware: APIErrorMiddleware(index: index))
        router.add(middleware: BodyLimitMiddleware(limit: configuration.maximumBodyBytes))
        router.add(
            middleware: SessionMiddleware(
                storage: MemoryPersistDriver(),
                configuration: .init(
                    sessionCookieParameters: .init(
                        name: "exoscope_session", path: "/", secure: configuration.secureCookies, sameSite: .strict),
                    defaultSessionExpiration: .seconds(12 * 3600))))
        router.add(
            middleware: SessionAuthenticator(context: Context.self) { (state: SessionState, _) in
                try await AccountOperations.principal(name: state.account, store: store)
            })
        router.add(middleware: BearerTokenAuthenticator(store: store))
        var table = RouteTable(router: router, store: store)
        let api = APIRoutes(store: store, configuration: configuration)
        api.register(on: &table)
        Dashboard(store: store).register(on: &table)
        SignIn(store: store).register(on: &table)
        AlertsPage(store: store).register(on: &table)
        LiveRoutes(hub: LiveHub(store: store, configuration: configuration)).register(on: &table)
        table.get("/health", .open) { _, _ in
            let migrations = try await store.appliedMigrations()
            return try JSONResponse(
                Health(status: "ok", version: ExoScopeVersion.current, schema: migrations.last ?? ""))
        }
        table.get("/metrics", .open) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metricsRegistry.emitToBuffer())))
        }
        index.set(table.routes)
        return (router, table.routes)
    }

    /// The application `exoscope serve` runs: the router on `configuration`'s address, its store opened.
    public static func application(configuration: ServerConfiguration, logger: Logger) async throws
        -> some ApplicationProtocol
    {
        bootstrapMetrics()
        let store = try await SQLiteStore(path: configuration.databasePath)
        let built = router(store: store, configuration: configuration)
        return Application(
            router: built.router,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "ExoScope"),
            logger: logger)
    }

    struct Health: Encodable {
        var status: String
        var version: String
        var schema: String
    }
}

/// Registers routes written in the OpenAPI document's form (`/api/v1/studies/{study}`) with what each needs of the
/// principal, and remembers them (for the OpenAPI test and the access-matrix test).
struct RouteTable {
    let router: Router<ExoServer.Context>
    let store: any Store
    private(set) var routes: [ExoServer.RouteKey] = []

    init(router: Router<ExoServer.Context>, store: any Store) {
        self.router = router
        self.store = store
    }

    /// A route reading data: checked against `permission`; `html` pages send a browser without a session to
    /// /login; `audited` reads (patient-level data) go to the audit log under the principal's name.
    mutating func get(
        _ path: String, _ permission: Permission, html: Bool = false, audited: Bool = false,
        use handler: @Sendable @escaping (Request, ExoServer.Context) async throws -> some ResponseGenerator
    ) {
        add(.get, path, permission, html: html, audited: audited, csrf: .none, handler)
    }

    /// Where a change made with a session cookie carries its CSRF token (a bearer token needs none).
    enum CSRF: Sendable {
        /// Not checked (the sign-in form itself).
        case none
        /// The `X-CSRF-Token` header.
        case header
        /// The form's `csrf` field, which the route checks itself.
        case formField
    }

    /// A route changing data.
    mutating func post(
        _ path: String, _ permission: Permission, csrf: CSRF = .header,
        use handler: @Sendable @escaping (Request, ExoServer.Context) async throws -> some ResponseGenerator
    ) {
        add(.post, path, permission, html: false, audited: false, csrf: csrf, handler)
    }

    private mutating func add(
        _ method: HTTPRequest.Method, _ path: String, _ permission: Permission, html: Bool, audited: Bool, csrf: CSRF,
        _ handler: @Sendable @escaping (Request, ExoServer.Context) async throws -> some ResponseGenerator
    ) {
        routes.append(.init(method: method.rawValue, path: path, permission: permission.rawValue, html: html))
        let store = store
        router.on(RouterPath(Self.hummingbirdPath(path)), method: method) { request, context in
            let study = context.parameters.get("study")
            try permission.check(context.identity, study: study, html: html)
            if csrf == .header, request.headers.bearer == nil, let session = context.sessions.session {
                guard let sent = request.headers[.csrfToken], AccountOperations.constantTimeEqual(sent, session.csrf)
                else {
                    throw APIError(
                        .forbidden, code: "csrf", "a change made with a session cookie must carry its CSRF token",
                        hint: "send the X-CSRF-Token header with the token of the page's meta tag exoscope-csrf")
                }
            }
            let response = try await handler(request, context).response(from: request, context: context)
            if audited, let principal = context.identity, response.status == .ok {
                try await store.recordAudit(
                    actor: principal.name, action: "read", entity: "\(study ?? "-"):\(path)", detail: "")
            }
            return response
        }
    }

    /// `{name}` → `:name`.
    static func hummingbirdPath(_ path: String) -> String {
        path.replacing(/\{([A-Za-z0-9_]+)\}/) { ":\($0.1)" }
    }
}

/// Sets the largest body a route reads to `maxBodyBytes`.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = ExoContext
    let limit: Int

    func handle(_ request: Request, context: ExoContext, next: (Request, ExoContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        context.bodyLimit = limit
        return try await next(request, context)
    }
}

/// Adds the request id every response carries (the id the log lines of the request have) and the headers the
/// content-security middleware does not set.
struct ResponseHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var response = try await next(request, context)
        response.headers[.requestID] = context.id
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.crossOriginOpenerPolicy] = "same-origin"
        return response
    }
}

/// A JSON body with a strong ETag (the SHA-256 of its bytes): a request whose `If-None-Match` holds it gets
/// 304 Not Modified and no body.
struct JSONResponse: ResponseGenerator {
    var bytes: [UInt8]
    var status: HTTPResponse.Status = .ok

    init(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws {
        bytes = [UInt8](try APIJSON.encoder.encode(value))
        self.status = status
    }

    /// A body already encoded.
    init(bytes: [UInt8]) { self.bytes = bytes }

    var etag: String {
        "\"" + SHA256.hash(data: bytes).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.cacheControl] = "no-cache"
        let match = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if status == .ok, match.contains(etag) || match.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: the id of the request's log lines.
    static let requestID = Self.named("X-Request-Id")
    /// `Referrer-Policy`.
    static let referrerPolicy = Self.named("Referrer-Policy")
    /// `Cross-Origin-Opener-Policy`.
    static let crossOriginOpenerPolicy = Self.named("Cross-Origin-Opener-Policy")
    /// `X-CSRF-Token`: a session's token, sent back with every change.
    static let csrfToken = Self.named("X-CSRF-Token")

    /// A header name written as a literal here, so always valid.
    private static func named(_ name: String) -> Self {
        guard let field = Self(name) else { preconditionFailure("'\(name)' is not a header name") }
        return field
    }
}
