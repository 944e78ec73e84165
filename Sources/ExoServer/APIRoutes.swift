import ExoCore
import ExoPipeline
import ExoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import NIOCore

/// The JSON API under `/api/v1` (the contract is `Resources/openapi.json`, served at `/api/v1/openapi.json`).
struct APIRoutes: Sendable {
    let store: any Store
    let configuration: ServerConfiguration

    /// The kinds of stored results the API serves (the pipeline's stages).
    static let resultKinds = [
        "normalization", "count-normalization", "biomarkers", "ev-qc", "sequencing-qc", "monitoring",
    ]

    func register(on table: inout RouteTable) {
        table.get("/api/v1/openapi.json", .open) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
        table.get("/api/v1/studies", .signedIn) { request, context in
            let query = try Query(request, allowed: Page.parameters)
            let page = try Page(query)
            let principal = try context.requireIdentity()
            let studies = try await store.status().studies.filter { principal.canRead(study: $0.id) }
            return try JSONResponse(page.slice(studies, path: "/api/v1/studies", query: query))
        }
        table.get("/api/v1/studies/{study}", .read) { _, context in
            let id = try context.parameters.require("study")
            let study = try await store.study(id: id)
            let counts = try await store.status().studies.first { $0.id == id }
            return try JSONResponse(
                StudyBody(
                    id: study.id, title: study.title, description: study.description, tumour: study.tumour,
                    patients: counts?.patients ?? 0, samples: counts?.samples ?? 0,
                    measurements: counts?.measurements ?? 0, files: counts?.files ?? 0,
                    lastImport: counts?.lastImport))
        }
        table.get("/api/v1/studies/{study}/samples", .read, audited: true) { request, context in
            let id = try context.parameters.require("study")
            let query = try Query(request, allowed: Page.parameters + ["group", "patient"])
            let page = try Page(query)
            _ = try await store.study(id: id)
            var samples = try await store.samples(study: id)
            if let group = query.values["group"] {
                guard SampleGroup(rawValue: group) != nil else {
                    throw APIError.invalidParameter(
                        "group '\(group)' is not a sample group",
                        hint: "one of \(SampleGroup.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                samples = samples.filter { $0.group.rawValue == group }
            }
            if let patient = query.values["patient"] {
                samples = samples.filter { $0.patient.rawValue == patient }
            }
            return try JSONResponse(
                page.slice(samples.map(SampleBody.init), path: "/api/v1/studies/\(id)/samples", query: query))
        }
        table.get("/api/v1/studies/{study}/results/{kind}", .read, audited: true) { _, context in
            let id = try context.parameters.require("study")
            let kind = try context.parameters.require("kind")
            guard Self.resultKinds.contains(kind) else {
                throw APIError.notFound(
                    "no kind of result '\(kind)'", hint: "the kinds are \(Self.resultKinds.joined(separator: ", "))")
            }
            _ = try await store.study(id: id)
            guard let stored = try await store.result(study: id, kind: kind) else {
                throw APIError.notFound(
                    "study '\(id)' has no \(kind) result", hint: "run the pipeline ('exoscope run') to compute it")
            }
            return JSONResponse(bytes: try ResultBody(stored: stored).bytes)
        }
        table.get("/api/v1/studies/{study}/alerts", .read, audited: true) { request, context in
            let id = try context.parameters.require("study")
            let query = try Query(request, allowed: Page.parameters + ["state"])
            let page = try Page(query)
            _ = try await store.study(id: id)
            var alerts = try await store.alerts(study: id)
            switch query.values["state"] {
            case nil, "all": break
            case "open": alerts = alerts.filter { $0.acknowledgedAt == nil }
            case "acknowledged": alerts = alerts.filter { $0.acknowledgedAt != nil }
            case let other?:
                throw APIError.invalidParameter(
                    "state '\(other)' is not an alert state", hint: "open, acknowledged or all")
            }
            return try JSONResponse(page.slice(alerts, path: "/api/v1/studies/\(id)/alerts", query: query))
        }
        table.post("/api/v1/studies/{study}/alerts/{alert}/acknowledge", .write) { request, context in
            let id = try context.parameters.require("study")
            guard let alert = context.parameters.get("alert").flatMap(Int64.init) else {
                throw APIError.notFound("no such alert")
            }
            let body = try await JSONBody(request, context: context, allowed: ["note"])
            guard let note = body.strings["note"], !note.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError(
                    .unprocessableContent, code: "invalid-body", "an acknowledgement needs a 'note'",
                    hint: "say what was decided, e.g. {\"note\": \"imaging booked\"}")
            }
            let principal = try context.requireIdentity()
            do {
                let acknowledged = try await store.acknowledgeAlert(
                    id: alert, study: id, actor: principal.name, note: note)
                return try JSONResponse(acknowledged)
            } catch StoreError.notFound {
                throw APIError.notFound("no such alert")
            } catch StoreError.conflict(let message) {
                throw APIError(.conflict, code: "conflict", message)
            }
        }
        table.get("/api/v1/accounts", .admin) { _, _ in
            let accounts = try await store.accounts().map {
                AccountBody(name: $0.name, role: $0.role.rawValue, studies: $0.studies, createdAt: $0.createdAt)
            }
            return try JSONResponse(accounts)
        }
    }
}

/// A study as `GET /api/v1/studies/{study}` returns it.
struct StudyBody: Encodable {
    var id: String
    var title: String
    var description: String?
    var tumour: String?
    var patients: Int
    var samples: Int
    var measurements: Int
    var files: Int
    var lastImport: String?
}

/// An account as the API returns it: never its password hash.
struct AccountBody: Encodable {
    var name: String
    var role: String
    var studies: [String]
    var createdAt: String
}

/// A JSON object body of string fields, checked strictly: the content type, the size, the syntax, that it is an
/// object of strings, and that every key is one the route takes.
struct JSONBody {
    var strings: [String: String]

    init(_ request: Request, context: ExoContext, allowed: [String]) async throws {
        let buffer = try await BodyRule(
            types: ["application/json"], message: "the body must be JSON", hint: "send 'Content-Type: application/json'"
        ).body(of: request, limit: context.maxUploadSize)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        } catch {
            throw APIError(.badRequest, code: "malformed-json", "the body is not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw APIError(.badRequest, code: "invalid-body", "the body must be a JSON object")
        }
        var strings: [String: String] = [:]
        for (key, value) in fields {
            guard allowed.contains(key) else {
                throw APIError(
                    .badRequest, code: "unknown-field", "unknown field '\(key)'",
                    hint: "this route takes \(allowed.joined(separator: ", "))")
            }
            guard let text = value as? String else {
                throw APIError(.badRequest, code: "invalid-body", "field '\(key)' must be a string")
            }
            strings[key] = text
        }
        self.strings = strings
    }
}

/// A sample as the API returns it: the sheet's ids as plain strings, the rest as ExoCore encodes it.
struct SampleBody: Encodable {
    var id: String
    var patient: String
    var group: SampleGroup
    var specimen: Specimen
    var timepoint: Timepoint
    var clinical: ClinicalAttributes
    var preparation: EVPreparation
    var extra: [String: String]

    init(_ sample: Sample) {
        id = sample.id.rawValue
        patient = sample.patient.rawValue
        group = sample.group
        specimen = sample.specimen
        timepoint = sample.timepoint
        clinical = sample.clinical
        preparation = sample.preparation
        extra = sample.extra
    }
}

/// A stored result: the stage's own JSON as stored, byte for byte, with its provenance.
struct ResultBody {
    var stored: StoredResult

    var bytes: [UInt8] {
        get throws {
            func encoded(_ value: some Encodable) throws -> String {
                String(decoding: try APIJSON.encoder.encode(value), as: UTF8.self)
            }
            // Keys in sorted order, as the encoder writes every other body.
            let text =
                "{\"inputDigest\":\(try encoded(stored.inputDigest)),\"kind\":\(try encoded(stored.kind)),"
                + "\"provenance\":\(try encoded(stored.provenance)),\"result\":\(stored.json),"
                + "\"study\":\(try encoded(stored.study))}"
            return Array(text.utf8)
        }
    }
}

/// A request's query parameters, checked against the names a route takes.
struct Query {
    var values: [String: String] = [:]

    /// - Throws: ``APIError`` `unknown-parameter` for a name the route does not take (with the nearest one), and
    ///   `invalid-parameter` for a name given twice.
    init(_ request: Request, allowed: [String]) throws {
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            guard allowed.contains(name) else {
                let nearest = EditDistance.nearest(to: name, in: allowed, limit: 1, maximumDistance: 3).first
                throw APIError(
                    .badRequest, code: "unknown-parameter", "unknown query parameter '\(name)'",
                    hint: nearest.map { "did you mean '\($0)'?" }
                        ?? "this route takes \(allowed.isEmpty ? "none" : allowed.joined(separator: ", "))")
            }
            guard values[name] == nil else {
                throw APIError.invalidParameter("query parameter '\(name)' is given twice")
            }
            values[name] = String(value)
        }
    }
}

/// Offset pagination: `limit` (1–500, default 50) and `offset` (default 0).
struct Page {
    static let parameters = ["limit", "offset"]
    static let maximumLimit = 500
    static let maximumOffset = Int(Int32.max)
    var limit = 50
    var offset = 0

    init(_ query: Query) throws {
        if let text = query.values["limit"] {
            guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
                throw APIError.invalidParameter(
                    "limit '\(text)' is not a page size", hint: "a whole number from 1 to \(Self.maximumLimit)")
            }
            limit = value
        }
        if let text = query.values["offset"] {
            guard let value = Int(text), (0...Self.maximumOffset).contains(value) else {
                throw APIError.invalidParameter(
                    "offset '\(text)' is not an offset", hint: "a whole number from 0 to \(Self.maximumOffset)")
            }
            offset = value
        }
    }

    struct Body<Item: Encodable>: Encodable {
        var items: [Item]
        var total: Int
        var limit: Int
        var offset: Int
        /// The next page's path and query, or `null` on the last page.
        var next: String?

        private enum CodingKeys: String, CodingKey { case items, total, limit, offset, next }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(total, forKey: .total)
            try container.encode(limit, forKey: .limit)
            try container.encode(offset, forKey: .offset)
            try container.encode(next, forKey: .next)  // null on the last page, not left out
        }
    }

    func slice<Item: Encodable>(_ all: [Item], path: String, query: Query) -> Body<Item> {
        let start = min(offset, all.count)
        let end = min(start + limit, all.count)
        var next: String?
        if end < all.count {
            var values = query.values
            values["limit"] = String(limit)
            values["offset"] = String(end)
            let encoded = values.sorted { $0.key < $1.key }.map { name, value in
                "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? value)"
            }
            next = path + "?" + encoded.joined(separator: "&")
        }
        return Body(items: Array(all[start..<end]), total: all.count, limit: limit, offset: offset, next: next)
    }
}

extension CharacterSet {
    /// Characters a query value keeps unescaped.
    static let urlQueryValueAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
}

/// The OpenAPI 3.1 document, as shipped in the module's resources.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url)
        else {
            fatalError("ExoServer's resources lack openapi.json")
        }
        return [UInt8](data)
    }()
}
