import ExoCore
import ExoPipeline
import ExoServer
import ExoStore
import ExoTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// The server's routes through Hummingbird's router test framework (no socket): the API against its OpenAPI
/// document, pagination, ETags, the one error body, the dashboard and its security headers.
struct ServerTests {
    /// A server over a database file holding the minimal fixture study (MINI, run through the pipeline, with one
    /// alert) and a second study (PLAIN-CQ); an account of each role, every one a member of MINI only, each with a
    /// bearer token (the instrument's limited to MINI).
    struct Setup {
        var app: Application<RouterResponder<ExoContext>>
        var routes: [ExoServer.RouteKey]
        var store: SQLiteStore
        var database: String
        /// Role name → `Authorization` header value.
        var bearer: [String: String]
    }

    static let password = "correct horse battery"

    static func setup() async throws -> Setup {
        let folder = try Fixture.temporaryDirectory()
        let database = folder.appendingPathComponent("server.sqlite").path
        let store = try await SQLiteStore(path: database)
        for fixture in ["good/minimal", "good/plain-cq"] {
            let study = try Fixture.copy(fixture)
            _ = try await Pipeline.run(
                studyDirectory: study, store: store, databasePath: database,
                reportURL: study.appendingPathComponent("report.html"), actor: "test")
        }
        _ = try await store.raiseAlerts(
            [AlertRecord(study: "MINI", patient: "P1", sample: "S1", kind: .progression, evidence: "test")],
            actor: "test")
        var bearer: [String: String] = [:]
        for role in AccountRole.allCases {
            _ = try await AccountOperations.saveAccount(
                .init(
                    databasePath: database, name: role.rawValue, role: role,
                    password: role == .instrument ? nil : password, studies: ["MINI"], actor: "test"))
            let issued = try await AccountOperations.issueToken(
                databasePath: database, account: role.rawValue, study: role == .instrument ? "MINI" : nil, days: 1,
                label: "test", actor: "test")
            bearer[role.rawValue] = "Bearer \(issued.token)"
        }
        let built = ExoServer.router(store: store, configuration: ServerConfiguration(databasePath: database))
        var logger = Logger(label: "exoscope.server.test")
        logger.logLevel = .warning  // the request log lines of hundreds of requests say nothing here
        return Setup(
            app: Application(router: built.router, logger: logger), routes: built.routes, store: store,
            database: database, bearer: bearer)
    }

    /// The admin's `Authorization` header.
    static func admin(_ setup: Setup) -> HTTPFields {
        [.authorization: setup.bearer["admin"] ?? ""]
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// The error body's fields, checked for the one shape every failure has.
    static func error(_ response: TestResponse) throws -> [String: Any] {
        let body = try json(response)
        #expect(body.keys.sorted() == ["error"])
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["status"] as? Int == Int(response.status.code))
        #expect((error["requestId"] as? String)?.isEmpty == false)
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        return error
    }

    /// Every route under /api/v1, /health and /metrics is in the OpenAPI document with its method, and every
    /// operation of the document is a route: the document is the contract.
    @Test func routesAreExactlyTheOpenAPIDocuments() async throws {
        let setup = try await Self.setup()
        let (app, routes) = (setup.app, setup.routes)
        let url = Fixture.repositoryRoot.appendingPathComponent("Sources/ExoServer/Resources/openapi.json")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(
            paths.flatMap { path, operations in
                operations.keys.map { ExoServer.RouteKey(method: $0.uppercased(), path: path) }
            })
        let served = Set(routes.filter { $0.path.hasPrefix("/api/") || ["/health", "/metrics"].contains($0.path) })
        #expect(served.sorted() == documented.sorted())
        // The server serves the same document.
        let file = try Data(contentsOf: url)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Data(response.body.readableBytesView) == file)
            }
        }
    }

    @Test func healthAndMetrics() async throws {
        let setup = try await Self.setup()
        let app = setup.app
        let auth = Self.admin(setup)
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: auth) { response in
                let body = try Self.json(response)
                #expect(body["status"] as? String == "ok")
                #expect(body["schema"] as? String == MigrationPlan.identifiers.last)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: auth) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            }
        }
    }

    @Test func studiesSamplesAndResults() async throws {
        let setup = try await Self.setup()
        let app = setup.app
        let auth = Self.admin(setup)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/studies", method: .get, headers: auth) { response in
                let body = try Self.json(response)
                #expect(body["total"] as? Int == 2 && body["next"] is NSNull)
                let study = try #require((body["items"] as? [[String: Any]])?.first)
                #expect(study["id"] as? String == "MINI" && study["samples"] as? Int == 3)
            }
            try await client.execute(uri: "/api/v1/studies/MINI", method: .get, headers: auth) { response in
                let body = try Self.json(response)
                #expect(body["title"] as? String == "Minimal study" && body["tumour"] as? String == "NSCLC")
            }
            // Two samples a page: the first page links to the second, which is the last.
            let next = try await client.execute(
                uri: "/api/v1/studies/MINI/samples?limit=2", method: .get, headers: auth
            ) {
                response in
                let body = try Self.json(response)
                #expect((body["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["S1", "S2"])
                #expect(body["total"] as? Int == 3)
                return try #require(body["next"] as? String)
            }
            #expect(next == "/api/v1/studies/MINI/samples?limit=2&offset=2")
            try await client.execute(uri: next, method: .get, headers: auth) { response in
                let body = try Self.json(response)
                #expect((body["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["S3"])
                #expect(body["next"] is NSNull)
            }
            try await client.execute(uri: "/api/v1/studies/MINI/samples?group=control", method: .get, headers: auth) {
                response in
                let body = try Self.json(response)
                #expect((body["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["S2"])
            }
            try await client.execute(uri: "/api/v1/studies/MINI/results/normalization", method: .get, headers: auth) {
                response in
                let body = try Self.json(response)
                #expect(body["kind"] as? String == "normalization")
                #expect((body["provenance"] as? [String: Any])?["version"] as? String == ExoScopeVersion.current)
                #expect(body["result"] is [String: Any])
            }
        }
    }

    /// A strong ETag on every JSON body; `If-None-Match` with it gives 304 and no body, a stale one the body.
    @Test func etagsAnswerConditionalRequests() async throws {
        let setup = try await Self.setup()
        let app = setup.app
        let auth = Self.admin(setup)
        try await app.test(.router) { client in
            let etag = try await client.execute(uri: "/api/v1/studies/MINI", method: .get, headers: auth) { response in
                try #require(response.headers[.eTag])
            }
            #expect(etag.hasPrefix("\"") && etag.count == 34)
            try await client.execute(uri: "/api/v1/studies/MINI", method: .get, headers: auth + [.ifNoneMatch: etag]) {
                response in
                #expect(response.status == .notModified && response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == etag)
            }
            try await client.execute(
                uri: "/api/v1/studies/MINI", method: .get, headers: auth + [.ifNoneMatch: "\"0000\""]
            ) { response in
                #expect(response.status == .ok && response.body.readableBytes > 0)
            }
        }
    }

    /// Each failure: its status, its code, a message naming what was wrong, and a hint where one helps.
    @Test func failuresShareOneErrorBody() async throws {
        let setup = try await Self.setup()
        let app = setup.app
        let auth = Self.admin(setup)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/studies/NOPE", method: .get, headers: auth) { response in
                #expect(response.status == .notFound)
                let error = try Self.error(response)
                #expect(error["code"] as? String == "not-found" && error["message"] as? String == "no such study")
            }
            try await client.execute(uri: "/api/v1/nothing", method: .get, headers: auth) { response in
                #expect(response.status == .notFound)
                let error = try Self.error(response)
                #expect(error["hint"] as? String == "the API's routes are listed in /api/v1/openapi.json")
            }
            try await client.execute(uri: "/api/v1/studies?limt=5", method: .get, headers: auth) { response in
                #expect(response.status == .badRequest)
                let error = try Self.error(response)
                #expect(error["code"] as? String == "unknown-parameter")
                #expect(error["hint"] as? String == "did you mean 'limit'?")
            }
            for bad in ["0", "501", "ten", "-1"] {
                try await client.execute(uri: "/api/v1/studies?limit=\(bad)", method: .get, headers: auth) { response in
                    #expect(response.status == .badRequest)
                    let error = try Self.error(response)
                    #expect(error["code"] as? String == "invalid-parameter")
                }
            }
            try await client.execute(uri: "/api/v1/studies/MINI/results/volcano", method: .get, headers: auth) {
                response in
                #expect(response.status == .notFound)
                let error = try Self.error(response)
                #expect((error["hint"] as? String)?.hasPrefix("the kinds are normalization") == true)
            }
            try await client.execute(uri: "/api/v1/studies/MINI/alerts?state=closed", method: .get, headers: auth) {
                response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/studies", method: .delete, headers: auth) { response in
                #expect([.notFound, .methodNotAllowed].contains(response.status))
                _ = try Self.error(response)
            }
            // Path traversal and markup in a path parameter are just an unknown study.
            try await client.execute(uri: "/api/v1/studies/..%2F..%2Fetc%2Fpasswd", method: .get, headers: auth) {
                response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/studies/%3Cscript%3E", method: .get, headers: auth) { response in
                #expect(response.status == .notFound)
                let text = String(buffer: response.body)
                #expect(!text.contains("<script>"))
            }
        }
    }

    /// The dashboard: pages with data, no inline script (the report's sorting comes from /assets), and the
    /// security headers on every response.
    @Test func dashboardPagesAndSecurityHeaders() async throws {
        let setup = try await Self.setup()
        let app = setup.app
        let auth = Self.admin(setup)
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get, headers: auth) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("<a href=\"/studies/MINI\">MINI</a>"))
                #expect(page.contains("<script src=\"/assets/sort-tables.js\" defer></script>"))
                #expect(!page.contains("<script id="))
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"))
                #expect(!policy.contains("script-src 'self' 'unsafe-inline'"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
            }
            try await client.execute(uri: "/studies/MINI", method: .get, headers: auth) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("<h1>Minimal study</h1>") || page.contains("Minimal study"))
                #expect(!page.contains("<script id="))
            }
            try await client.execute(uri: "/assets/sort-tables.js", method: .get, headers: auth) { response in
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(String(buffer: response.body).contains("table.sortable"))
            }
        }
    }

    /// Flags over the environment over the file; an unknown key names the nearest one.
    @Test func configurationSourcesAndProblems() throws {
        var configuration = ServerConfiguration(databasePath: "default.sqlite")
        let file = try ServerConfiguration.fileValues(
            "# ExoScope server\nhost: 0.0.0.0\nport: 9000\ndatabase: 'site.sqlite'\n", path: "serve.yaml")
        try configuration.apply(file, source: "serve.yaml", relativeTo: URL(fileURLWithPath: "/srv/exoscope"))
        try configuration.apply(
            ServerConfiguration.environmentValues(["EXOSCOPE_PORT": "9100", "EXOSCOPE_MAX_BODY_BYTES": "2048"]),
            source: "environment")
        try configuration.apply(["port": "9200"], source: "flags")
        #expect(configuration.host == "0.0.0.0" && configuration.port == 9200)
        #expect(configuration.databasePath == "/srv/exoscope/site.sqlite" && configuration.maximumBodyBytes == 2048)
        #expect(throws: ServerConfiguration.Problem.self) { try configuration.apply(["prot": "1"], source: "flags") }
        do {
            try configuration.apply(["prot": "1"], source: "serve.yaml")
        } catch {
            #expect(error.hint?.hasPrefix("did you mean 'port'?") == true)
        }
        #expect(throws: ServerConfiguration.Problem.self) { try configuration.apply(["port": "70000"], source: "x") }
        #expect(throws: ServerConfiguration.Problem.self) {
            _ = try ServerConfiguration.fileValues("host 0.0.0.0\n", path: "serve.yaml")
        }
    }
}

extension HTTPFields {
    /// The fields of both.
    static func + (a: HTTPFields, b: HTTPFields) -> HTTPFields {
        var fields = a
        fields.append(contentsOf: b)
        return fields
    }
}
