import AsyncHTTPClient
import ExoFormats
import ExoPipeline
import Foundation
import NIOCore
import NIOHTTP1

/// Sends a live run to an ExoScope server, batch after batch, each acknowledged before the next (`chip simulate
/// --post`): what an instrument's driver does.
final class LivePoster {
    /// The live route of the study.
    let url: String
    let token: String
    /// The last answer line of the server.
    private(set) var last = ""

    /// - Parameters:
    ///   - url: the server (`http://host:port`), or the full `…/api/v1/studies/ID/live` URL.
    ///   - token: the bearer token, else `$EXOSCOPE_TOKEN`.
    ///   - study: the study folder, whose id completes a server URL.
    /// - Throws: `OperationError.usage` without a token or an http(s) URL; the study's errors when its id is needed.
    init(url: String, token: String?, study: URL) throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["EXOSCOPE_TOKEN"], !token.isEmpty else {
            throw OperationError.usage("--post needs a bearer token: --token or $EXOSCOPE_TOKEN (exoscope user token)")
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw OperationError.usage("--post needs an http:// or https:// URL, found '\(url)'")
        }
        if url.hasSuffix("/live") {
            self.url = url
        } else {
            let id = try Pipeline.validate(study).definition.id
            let base = url.hasSuffix("/") ? String(url.dropLast()) : url
            self.url = "\(base)/api/v1/studies/\(id)/live"
        }
        self.token = token
    }

    /// Posts one batch and waits for its answers; a refusal is an error with the server's message.
    func send(_ batch: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/x-ndjson")
        request.body = .bytes(ByteBuffer(string: batch))
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
        } catch {
            throw OperationError.notFound("cannot reach the server at \(url): \(error)")
        }
        let body = try await response.body.collect(upTo: 64 << 20)
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        guard response.status == .ok else {
            let message =
                ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any])
                .flatMap { $0["error"] as? [String: Any] }.flatMap { $0["message"] as? String } ?? text
            throw OperationError.invalidData("the server refused a batch (\(response.status.code)): \(message)")
        }
        last = text.split(separator: "\n").last.map(String.init) ?? last
    }
}
