public import ExoPipeline
import ExoStore
import Foundation
public import Hummingbird
public import HummingbirdAuth

/// The request context of every route: who is asking (a session's or a bearer token's principal) and the session.
public struct ExoContext: AuthRequestContext, SessionRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?
    public let sessions: SessionContext<SessionState>
    /// The largest body a route reads (`maxBodyBytes`).
    var bodyLimit = 1 << 20

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        sessions = .init()
    }

    public var maxUploadSize: Int { bodyLimit }
}

/// What a signed-in browser's session holds: the account and the token its forms and scripts must send back with
/// every change (CSRF protection; a bearer token needs none, since a browser never sends it on its own).
public struct SessionState: Codable, Sendable, Equatable {
    public var account: String
    public var csrf: String
}

/// What a route needs of the principal (docs/access.md).
enum Permission: String, Sendable, CaseIterable {
    /// Anyone, signed in or not.
    case open
    /// Any signed-in account but an instrument; what it lists is limited to its studies.
    case signedIn
    /// Reading the route's `{study}`.
    case read
    /// Changing the route's `{study}`.
    case write
    /// Posting live readings to a run of the route's `{study}`.
    case ingest
    /// Managing accounts.
    case admin
}

extension Permission {
    /// Whether `principal` passes for `study` (the route's `{study}`, when it has one).
    ///
    /// A study the principal is not a
    /// member of is reported as not found, not as forbidden, so its existence does not leak.
    func check(_ principal: Principal?, study: String?, html: Bool) throws {
        guard self != .open else { return }
        guard let principal else {
            throw html
                ? APIError.signInRequired
                : APIError(
                    .unauthorized, code: "unauthenticated", "this route needs a signed-in account or a bearer token",
                    hint: "send 'Authorization: Bearer exo_…' (exoscope user token) or sign in at /login")
        }
        let allowed: Bool
        switch self {
        case .open: allowed = true
        case .signedIn: allowed = principal.role != .instrument
        case .admin: allowed = principal.isAdmin
        case .read, .write, .ingest:
            // Every such route names its study; one that did not would be open to admins only, never to all.
            guard let study else {
                allowed = principal.isAdmin
                break
            }
            guard principal.isMember(of: study) else { throw APIError.notFound("no such study") }
            allowed =
                self == .read
                ? principal.canRead(study: study)
                : self == .write ? principal.canWrite(study: study) : principal.canIngest(study: study)
        }
        guard allowed else {
            throw APIError(
                .forbidden, code: "forbidden", "the \(principal.role.rawValue) role may not \(verb)",
                hint: "docs/access.md lists what each role may do")
        }
    }

    private var verb: String {
        switch self {
        case .open, .signedIn: "use this route"
        case .read: "read this study"
        case .write: "change this study"
        case .ingest: "post live readings"
        case .admin: "manage accounts"
        }
    }
}

extension APIError {
    /// A dashboard page asked for without a session: the browser is sent to the sign-in page.
    static let signInRequired = APIError(.seeOther, code: "sign-in", "sign in to see this page")
}

/// Sets the principal from `Authorization: Bearer exo_…`; a bearer token that is not valid (malformed, unknown,
/// revoked, expired) is refused outright rather than ignored.
struct BearerTokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = ExoContext
    let store: any Store

    func authenticate(request: Request, context: ExoContext) async throws -> Principal? {
        guard let bearer = request.headers.bearer else { return nil }
        guard let principal = try await AccountOperations.principal(token: bearer.token, store: store) else {
            throw APIError(
                .unauthorized, code: "invalid-token", AccountOperations.refusal,
                hint: "a token is refused once revoked or expired; ask an admin for a new one (exoscope user token)")
        }
        return principal
    }
}

/// Failed sign-ins per account name: after ``limit`` failures within ``window`` the name is refused until the oldest
/// failure leaves the window (429 with `Retry-After`), whatever the password.
actor LoginLimiter {
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before `name` may try again, or `nil` when it may try now.
    func retryAfter(_ name: String, now: Date = Date()) -> Int? {
        let recent = (failures[name.lowercased()] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[name.lowercased()] = recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    func recordFailure(_ name: String, now: Date = Date()) {
        failures[name.lowercased(), default: []].append(now)
    }

    func recordSuccess(_ name: String) {
        failures[name.lowercased()] = nil
    }
}

extension Permission {
    /// What `role` (`nil`: no account) gets on a route needing this permission, as docs/access.md writes it:
    /// `yes`; `member` (yes for the studies it is a member of, 404 for others); `403`; `401` (an API route) or
    /// `sign in` (a page, which sends the browser to /login).
    func cell(_ role: AccountRole?, html: Bool) -> String {
        guard self != .open else { return "yes" }
        guard let role else { return html ? "sign in" : "401" }
        switch self {
        case .open: return "yes"
        case .signedIn: return role == .instrument ? "403" : "yes"
        case .admin: return role == .admin ? "yes" : "403"
        case .read: return role == .instrument ? "403" : role == .admin ? "yes" : "member"
        case .write: return role == .admin ? "yes" : role == .analyst ? "member" : "403"
        case .ingest: return role == .clinician ? "403" : role == .admin ? "yes" : "member"
        }
    }
}

extension ExoServer {
    /// The access matrix of `routes` (every route × every role) as the Markdown table docs/access.md holds.
    public static func accessMatrix(_ routes: [RouteKey]) -> String {
        let roles: [AccountRole?] = [nil] + AccountRole.allCases
        var lines = [
            "| route | permission | " + roles.map { $0?.rawValue ?? "no account" }.joined(separator: " | ") + " |",
            "|---|---|" + String(repeating: "---|", count: roles.count),
        ]
        for route in routes.sorted() {
            guard let permission = Permission(rawValue: route.permission) else { continue }
            let cells = roles.map { permission.cell($0, html: route.html) }
            lines.append(
                "| `\(route.method) \(route.path)` | \(permission.rawValue) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
