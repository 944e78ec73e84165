import ExoPipeline
import ExoReport
import ExoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import NIOCore

/// Signing in and out of the dashboard: a form (no script), bcrypt verification through the application layer, a
/// session cookie (`HttpOnly`, `SameSite=Strict`, `Secure` when configured) and a per-account limit on failures.
struct SignIn: Sendable {
    let store: any Store
    let limiter = LoginLimiter()

    func register(on table: inout RouteTable) {
        table.get("/login", .open) { request, _ in
            let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
            return Self.page(message: nil, next: next, status: .ok)
        }
        table.post("/login", .open, csrf: .none) { request, context in
            let form = try await Self.form(request, context: context)
            let name = form["name"] ?? ""
            let next = Self.safeNext(form["next"])
            if let wait = await limiter.retryAfter(name) {
                var response = Self.page(
                    message: "Too many failed sign-ins for this account; try again in \(wait) s.", next: next,
                    status: .tooManyRequests)
                response.headers[.retryAfter] = String(wait)
                return response
            }
            guard
                let principal = try await AccountOperations.principal(
                    name: name, password: form["password"] ?? "", store: store),
                principal.role != .instrument
            else {
                await limiter.recordFailure(name)
                return Self.page(
                    message: AccountOperations.refusal.capitalizedFirst + ".", next: next, status: .unauthorized)
            }
            await limiter.recordSuccess(name)
            context.sessions.createSession(
                SessionState(account: principal.name, csrf: AccountOperations.randomHex(bytes: 32)))
            try await store.recordAudit(actor: principal.name, action: "sign-in", entity: "session", detail: "")
            var headers = HTTPFields()
            headers[.location] = next
            return Response(status: .seeOther, headers: headers)
        }
        table.post("/logout", .signedIn, csrf: .formField) { request, context in
            var headers = HTTPFields()
            headers[.location] = "/login"
            // A bearer token has no session to end.
            guard let session = context.sessions.session else { return Response(status: .seeOther, headers: headers) }
            let form = try await Self.form(request, context: context)
            guard let sent = form["csrf"],
                AccountOperations.constantTimeEqual(sent, session.csrf)
            else {
                throw APIError(.forbidden, code: "csrf", "the sign-out form's CSRF token is missing or wrong")
            }
            context.sessions.clearSession()
            return Response(status: .seeOther, headers: headers)
        }
    }

    /// The form fields of an `application/x-www-form-urlencoded` body.
    static func form(_ request: Request, context: ExoContext) async throws -> [String: String] {
        let buffer = try await BodyRule(
            types: ["application/x-www-form-urlencoded"], message: "the body must be a form",
            hint: "send 'Content-Type: application/x-www-form-urlencoded'", tooLarge: "the form is too large"
        ).body(of: request, limit: min(context.maxUploadSize, 16 << 10))
        var components = URLComponents()
        components.percentEncodedQuery = String(decoding: buffer.readableBytesView, as: UTF8.self)
            .replacingOccurrences(of: "+", with: "%20")
        var fields: [String: String] = [:]
        for item in components.queryItems ?? [] where fields[item.name] == nil {
            fields[item.name] = item.value ?? ""
        }
        return fields
    }

    /// Where to go after signing in: a path on this server only (`/…`, never `//host` or a URL), else `/`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.contains(where: { $0.isNewline })
        else { return "/" }
        return next
    }

    static func page(message: String?, next: String, status: HTTPResponse.Status) -> Response {
        let body = """
            \(message.map { "<p class=\"warn\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
            <form method="post" action="/login">
            <input type="hidden" name="next" value="\(HTML.escape(next))">
            <p><label>Account <input name="name" autocomplete="username" required autofocus></label></p>
            <p><label>Password <input name="password" type="password" autocomplete="current-password" required>\
            </label></p>
            <p><button type="submit">Sign in</button></p>
            </form>
            """
        let page = ReportPage(
            title: "ExoScope", subtitle: "Sign in", sections: [.init(id: "sign-in", title: "Sign in", body: body)])
        var response = Dashboard.html(page.render())
        response.status = status
        return response
    }
}

extension String {
    /// The string with its first character upper-cased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
