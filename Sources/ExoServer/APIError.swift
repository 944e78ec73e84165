import ExoStore
import Foundation
import HTTPTypes
public import Hummingbird
import Logging
import Synchronization

/// The one error body every failure of the server answers with (docs/server.md).
///
/// Its shape:
///
///     {"error": {"status": 404, "code": "not-found", "message": "…", "hint": "…", "requestId": "…"}}
///
/// Messages name what was asked for and what was expected; they never carry patient data or stored values.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code (`not-found`, `invalid-parameter`, `unknown-parameter`, `internal`, …).
    public var code: String
    public var message: String
    public var hint: String?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, hint: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
    }

    static func notFound(_ message: String, hint: String? = nil) -> APIError {
        APIError(.notFound, code: "not-found", message, hint: hint)
    }

    static func invalidParameter(_ message: String, hint: String? = nil) -> APIError {
        APIError(.badRequest, code: "invalid-parameter", message, hint: hint)
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var status: Int
            var code: String
            var message: String
            var hint: String?
            var requestId: String
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            error: .init(status: status.code, code: code, message: message, hint: hint, requestId: context.id))
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers[.cacheControl] = "no-store"
        return Response(
            status: status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try APIJSON.encoder.encode(body))))
    }
}

/// Turns every error a route or the router throws into an ``APIError`` response: Hummingbird's own (no such route, a
/// body too large), the store's (no such study), and anything else as a 500 whose detail goes to the log only,
/// under the request id the body carries.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The server's routes, to tell a path with other methods (405, with `Allow`) from no such path (404).
    let index: RouteIndex

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(error, request: request, context: context)
            if apiError.code == APIError.signInRequired.code {
                var headers = HTTPFields()
                let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "/"
                headers[.location] = "/login?next=\(next)"
                return Response(status: .seeOther, headers: headers)
            }
            if apiError.status == .notFound, error is HTTPError {
                let allowed = index.methods(matching: request.uri.path)
                if !allowed.isEmpty {
                    var response = try APIError(
                        .methodNotAllowed, code: "method-not-allowed",
                        "\(request.method) is not allowed on \(request.uri.path)",
                        hint: "it takes \(allowed.joined(separator: ", "))"
                    ).response(from: request, context: context)
                    response.headers[.allow] = allowed.joined(separator: ", ")
                    return response
                }
            }
            // Returned, not thrown, so that the middleware outside (logging, metrics, headers) sees the response.
            return try apiError.response(from: request, context: context)
        }
    }

    static func apiError(_ error: any Error, request: Request, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError where error.status == .notFound:
            return .notFound(
                "no such page or API route: \(request.method) \(request.uri.path)",
                hint: "the API's routes are listed in /api/v1/openapi.json")
        case let error as HTTPError where error.status == .methodNotAllowed:
            return APIError(
                .methodNotAllowed, code: "method-not-allowed", "\(request.method) is not allowed on \(request.uri.path)"
            )
        case let error as HTTPError where error.status == .contentTooLarge:
            return APIError(.contentTooLarge, code: "body-too-large", "the request body is too large")
        case let error as HTTPError:
            return APIError(error.status, code: "http-\(error.status.code)", error.body ?? error.status.reasonPhrase)
        case StoreError.notFound(let table, _):
            return .notFound("no such \(table)")
        case StoreError.busy:
            return APIError(.serviceUnavailable, code: "busy", "the database is busy", hint: "try again in a moment")
        default:
            // The type only: an error's text may quote stored values.
            context.logger.error("internal error", metadata: ["type": "\(String(reflecting: type(of: error)))"])
            return APIError(
                .internalServerError, code: "internal",
                "an internal error; the server log has it under this request id")
        }
    }
}

/// JSON as the API writes it: sorted keys, so equal values give equal bytes (and equal ETags).
enum APIJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// The routes of the server as templates, filled once they are registered (the error middleware is added before
/// them, since Hummingbird's middleware wraps only the routes added after it).
final class RouteIndex: Sendable {
    private let routes = Mutex<[ExoServer.RouteKey]>([])

    func set(_ routes: [ExoServer.RouteKey]) { self.routes.withLock { $0 = routes } }

    /// The methods of the routes whose template matches `path` (`{name}` matches one segment), sorted.
    func methods(matching path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return routes.withLock { routes in
            Set(
                routes.filter { route in
                    let template = route.path.split(separator: "/", omittingEmptySubsequences: false)
                    return template.count == segments.count
                        && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
                }.map(\.method)
            ).sorted()
        }
    }
}

/// What a route expects of a request body: its media types and its size.
struct BodyRule {
    /// Accepted `Content-Type`s (prefixes, lower case).
    var types: [String]
    /// The 415 message and hint.
    var message: String
    var hint: String
    /// The 413 message and hint.
    var tooLarge = "the request body is too large"
    var tooLargeHint: String? = nil

    /// The body, once its media type and size are as expected; 415 or 413 with the one error body otherwise.
    func body(of request: Request, limit: Int) async throws -> ByteBuffer {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard types.contains(where: type.hasPrefix) else {
            throw APIError(.unsupportedMediaType, code: "unsupported-media-type", message, hint: hint)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "body-too-large", tooLarge, hint: tooLargeHint)
        }
    }
}
