import ExoCore
import ExoPipeline
import ExoServer
import ExoStore
import ExoTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Accounts, roles, tokens, sessions and CSRF: the access matrix walked route by route and role by role, and every
/// refusal the issue lists, each leaving the store as it was.
struct AccessTests {
    /// A route's URI with its parameters filled for study `study`.
    static func uri(_ path: String, study: String) -> String {
        path.replacingOccurrences(of: "{study}", with: study).replacingOccurrences(of: "{kind}", with: "normalization")
            .replacingOccurrences(of: "{alert}", with: "1")
    }

    /// A request the route accepts when access is granted (a form for /login and /logout, a JSON note for the
    /// acknowledgement).
    static func request(_ route: ExoServer.RouteKey, study: String, headers: HTTPFields) -> (
        String, HTTPRequest.Method, HTTPFields, ByteBuffer?
    ) {
        var headers = headers
        var body: ByteBuffer?
        if route.method == "POST" {
            if route.path.hasPrefix("/api/") {
                headers[.contentType] = "application/json"
                body = ByteBuffer(string: #"{"note": "reviewed"}"#)
            } else {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = ByteBuffer(string: "name=admin&password=correct+horse+battery")
            }
        }
        return (uri(route.path, study: study), route.method == "POST" ? .post : .get, headers, body)
    }

    /// docs/access.md's matrix is the routes' (regenerate it from `ExoServer.accessMatrix` after changing a route).
    @Test func theDocumentedMatrixIsTheServers() async throws {
        let setup = try await ServerTests.setup()
        let text = try String(
            contentsOf: Fixture.repositoryRoot.appendingPathComponent("docs/access.md"), encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- matrix:begin -->\n"))
        let end = try #require(text.range(of: "<!-- matrix:end -->"))
        let matrix = ExoServer.accessMatrix(setup.routes)
        if ProcessInfo.processInfo.environment["EXOSCOPE_RECORD_ACCESS_MATRIX"] == "1" {
            try text.replacingCharacters(in: begin.upperBound..<end.lowerBound, with: matrix).write(
                to: Fixture.repositoryRoot.appendingPathComponent("docs/access.md"), atomically: true, encoding: .utf8)
        }
        #expect(String(text[begin.upperBound..<end.lowerBound]) == matrix)
    }

    /// Every route × every role (and no account) gets what the matrix says: granted routes answer with anything
    /// but 401, 403 or a redirect to /login; `member` routes answer 404 for a study the account is not a member of.
    @Test func everyRouteAndRoleGetsWhatTheMatrixSays() async throws {
        let setup = try await ServerTests.setup()
        let matrix = ExoServer.accessMatrix(setup.routes).split(separator: "\n").dropFirst(2)
        let roles: [String?] = [nil] + AccountRole.allCases.map(\.rawValue)
        let checked = try await setup.app.test(.router) { client in
            var checked = 0
            for (route, line) in zip(setup.routes.sorted(), matrix) {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.suffix(
                    roles.count)
                for (role, cell) in zip(roles, cells) {
                    let headers: HTTPFields = role.map { [.authorization: setup.bearer[$0] ?? ""] } ?? [:]
                    let (uri, method, fields, body) = Self.request(route, study: "MINI", headers: headers)
                    let status = try await client.execute(uri: uri, method: method, headers: fields, body: body) {
                        ($0.status, $0.headers[.location])
                    }
                    let label = "\(route) as \(role ?? "no account")"
                    switch cell {
                    case "401": #expect(status.0 == .unauthorized, "\(label)")
                    case "403": #expect(status.0 == .forbidden, "\(label)")
                    case "sign in":
                        #expect(status.0 == .seeOther && status.1?.hasPrefix("/login?next=") == true, "\(label)")
                    default:
                        #expect(![.unauthorized, .forbidden].contains(status.0), "\(label): \(status.0)")
                        #expect(status.1?.hasPrefix("/login") != true || route.path.hasPrefix("/log"), "\(label)")
                    }
                    if cell == "member", route.path.contains("{study}") {
                        let (other, method, fields, body) = Self.request(route, study: "PLAIN-CQ", headers: headers)
                        let status = try await client.execute(uri: other, method: method, headers: fields, body: body) {
                            $0.status
                        }
                        #expect(status == .notFound, "\(label) on a study it is not a member of")
                    }
                    checked += 1
                }
            }
            return checked
        }
        #expect(checked == setup.routes.count * roles.count)
    }

    /// Revoked, expired and malformed tokens are refused with one message; an instrument token may not read.
    @Test func tokensThatAreNotValidAreRefused() async throws {
        let setup = try await ServerTests.setup()
        let revoked = try await AccountOperations.issueToken(
            databasePath: setup.database, account: "analyst", study: nil, days: nil, label: "gone", actor: "test")
        try await AccountOperations.revokeToken(databasePath: setup.database, id: revoked.id, actor: "test")
        let expired = try await AccountOperations.issueToken(
            databasePath: setup.database, account: "analyst", study: nil, days: 1, label: "old", actor: "test",
            now: Date(timeIntervalSinceNow: -2 * 86_400))
        try await setup.app.test(.router) { client in
            for token in [
                revoked.token, expired.token, "exo_123", "exo_0123456789ab_" + String(repeating: "0", count: 64),
            ] {
                try await client.execute(
                    uri: "/api/v1/studies/MINI", method: .get, headers: [.authorization: "Bearer \(token)"]
                ) { response in
                    #expect(response.status == .unauthorized)
                    let error = try ServerTests.error(response)
                    #expect(error["code"] as? String == "invalid-token")
                    #expect(error["message"] as? String == AccountOperations.refusal)
                }
            }
            try await client.execute(
                uri: "/api/v1/studies/MINI/samples", method: .get,
                headers: [.authorization: setup.bearer["instrument"] ?? ""]
            ) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    /// Sign-in with the form: a wrong password is refused, five failures lock the name for a while (429 with
    /// Retry-After), the right one gives an HttpOnly, SameSite=Strict cookie; a change made with the cookie needs
    /// the session's CSRF token; sign-out ends the session.
    @Test func sessionsCSRFAndTheLoginLimit() async throws {
        let setup = try await ServerTests.setup()
        let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        try await setup.app.test(.router) { client in
            try await client.execute(
                uri: "/login", method: .post, headers: form,
                body: ByteBuffer(string: "name=analyst&password=wrong+password")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("Unknown account or wrong password or token."))
            }
            let cookie = try await client.execute(
                uri: "/login", method: .post, headers: form,
                body: ByteBuffer(string: "name=analyst&password=correct+horse+battery&next=%2Fstudies%2FMINI")
            ) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/studies/MINI")
                let setCookie = try #require(response.headers[.setCookie])
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
                return try #require(setCookie.split(separator: ";").first.map(String.init))
            }
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .ok)
                return String(buffer: $0.body)
            }
            let csrf = try #require(
                page.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/).map { String($0.1) })
            let ack = "/api/v1/studies/MINI/alerts/1/acknowledge"
            let json: HTTPFields = [.cookie: cookie, .contentType: "application/json"]
            try await client.execute(
                uri: ack, method: .post, headers: json, body: ByteBuffer(string: #"{"note": "seen"}"#)
            ) { response in
                #expect(response.status == .forbidden)
                let error = try ServerTests.error(response)
                #expect(error["code"] as? String == "csrf")
            }
            #expect(try await setup.store.alerts(study: "MINI").first?.acknowledgedAt == nil)
            try await client.execute(
                uri: ack, method: .post, headers: json + [HTTPField.Name("X-CSRF-Token")!: csrf],
                body: ByteBuffer(string: #"{"note": "seen"}"#)
            ) { response in
                #expect(response.status == .ok)
            }
            #expect(try await setup.store.alerts(study: "MINI").first?.acknowledgedBy == "analyst")
            try await client.execute(
                uri: "/logout", method: .post, headers: form + [.cookie: cookie],
                body: ByteBuffer(string: "csrf=\(csrf)")
            ) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/login")
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .seeOther)
            }
            // Five failures lock the name, even for the right password.
            for _ in 1...5 {
                try await client.execute(
                    uri: "/login", method: .post, headers: form, body: ByteBuffer(string: "name=clinician&password=x")
                ) { #expect($0.status == .unauthorized) }
            }
            try await client.execute(
                uri: "/login", method: .post, headers: form,
                body: ByteBuffer(string: "name=clinician&password=correct+horse+battery")
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
            }
        }
        // Every acknowledgement and sign-in is audited, and the chain still holds.
        let log = try await setup.store.auditLog()
        #expect(log.contains { $0.action == "sign-in" && $0.actor == "analyst" })
        #expect(try await setup.store.verifyAuditLog(head: nil).isIntact)
    }

    /// The dashboard's alerts page: an analyst acknowledges with the page's form (its CSRF token required), a
    /// clinician sees the alert without a form.
    @Test func anAlertIsAcknowledgedFromTheDashboard() async throws {
        let setup = try await ServerTests.setup()
        let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        try await setup.app.test(.router) { client in
            let clinician = try await client.execute(
                uri: "/studies/MINI/alerts", method: .get, headers: [.authorization: setup.bearer["clinician"] ?? ""]
            ) { String(buffer: $0.body) }
            #expect(clinician.contains("<span class=\"warn\">open</span>") && !clinician.contains("<form"))
            let cookie = try await client.execute(
                uri: "/login", method: .post, headers: form,
                body: ByteBuffer(string: "name=analyst&password=correct+horse+battery")
            ) { try #require($0.headers[.setCookie]?.split(separator: ";").first.map(String.init)) }
            let page = try await client.execute(uri: "/studies/MINI/alerts", method: .get, headers: [.cookie: cookie]) {
                String(buffer: $0.body)
            }
            #expect(page.contains("<form method=\"post\" action=\"/studies/MINI/alerts/1/acknowledge\">"))
            let csrf = try #require(page.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/).map { String($0.1) })
            try await client.execute(
                uri: "/studies/MINI/alerts/1/acknowledge", method: .post, headers: form + [.cookie: cookie],
                body: ByteBuffer(string: "note=seen")
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/studies/MINI/alerts/1/acknowledge", method: .post, headers: form + [.cookie: cookie],
                body: ByteBuffer(string: "csrf=\(csrf)&note=imaging+booked")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/studies/MINI/alerts#alert-1")
            }
            let after = try await client.execute(
                uri: "/studies/MINI/alerts", method: .get, headers: [.cookie: cookie]
            ) { String(buffer: $0.body) }
            #expect(after.contains("acknowledged by analyst") && after.contains("imaging booked"))
        }
        #expect(try await setup.store.alerts(study: "MINI").first?.note == "imaging booked")
    }

    /// Each bad request to the write route: its status and error code, and the alert unchanged after all of them.
    @Test func badWritesAreRefusedAndChangeNothing() async throws {
        let setup = try await ServerTests.setup()
        let analyst: HTTPFields = [.authorization: setup.bearer["analyst"] ?? ""]
        let ack = "/api/v1/studies/MINI/alerts/1/acknowledge"
        let cases: [(String, HTTPFields, String, HTTPResponse.Status, String)] = [
            (
                "wrong content type", analyst + [.contentType: "text/plain"], #"{"note": "x"}"#,
                .unsupportedMediaType, "unsupported-media-type"
            ),
            (
                "malformed JSON", analyst + [.contentType: "application/json"], #"{"note": "#, .badRequest,
                "malformed-json"
            ),
            (
                "not an object", analyst + [.contentType: "application/json"], #"["note"]"#, .badRequest,
                "invalid-body"
            ),
            (
                "unknown field", analyst + [.contentType: "application/json"], #"{"note": "x", "admin": "yes"}"#,
                .badRequest, "unknown-field"
            ),
            ("no note", analyst + [.contentType: "application/json"], #"{}"#, .unprocessableContent, "invalid-body"),
            (
                "oversized", analyst + [.contentType: "application/json"],
                #"{"note": ""# + String(repeating: "a", count: 2 << 20) + #""}"#, .contentTooLarge, "body-too-large"
            ),
            (
                "clinician", [.authorization: setup.bearer["clinician"] ?? "", .contentType: "application/json"],
                #"{"note": "x"}"#, .forbidden, "forbidden"
            ),
            (
                "instrument", [.authorization: setup.bearer["instrument"] ?? "", .contentType: "application/json"],
                #"{"note": "x"}"#, .forbidden, "forbidden"
            ),
            (
                "another study's alert", analyst + [.contentType: "application/json"], #"{"note": "x"}"#, .notFound,
                "not-found"
            ),
            (
                "markup and SQL in the note are text", analyst + [.contentType: "application/json"],
                #"{"note": "<script>alert(1)</script>'; DROP TABLE alert; --"}"#, .ok, ""
            ),
        ]
        let audit = "SELECT actor, action, entity, version FROM audit"
        let before = try await setup.store.contentDump().components(separatedBy: audit)[0]
        try await setup.app.test(.router) { client in
            for (label, headers, body, status, code) in cases {
                let uri = label == "another study's alert" ? "/api/v1/studies/PLAIN-CQ/alerts/1/acknowledge" : ack
                try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) {
                    response in
                    #expect(response.status == status, "\(label)")
                    if status != .ok {
                        let error = try ServerTests.error(response)
                        #expect(error["code"] as? String == code, "\(label)")
                    }
                }
                if status != .ok {
                    #expect(try await setup.store.alerts(study: "MINI").first?.acknowledgedAt == nil, "\(label)")
                }
            }
        }
        // The last case acknowledged the alert with its note stored as written; nothing else changed.
        let alert = try #require(try await setup.store.alerts(study: "MINI").first)
        #expect(alert.note == "<script>alert(1)</script>'; DROP TABLE alert; --")
        #expect(try await setup.store.contentDump().components(separatedBy: audit)[0] == before)
    }
}
