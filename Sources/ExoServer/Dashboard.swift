import ExoPipeline
import ExoReport
import ExoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// The dashboard: server-rendered pages made of ExoReport's views, with no external asset and no inline script
/// (the report's table sorting is served as `/assets/sort-tables.js`, which the content-security policy allows).
struct Dashboard: Sendable {
    let store: any Store

    /// The report's inline sorting script, and what the dashboard puts in its place.
    static let inlineScript = "<script id=\"\(ReportPage.sortScriptID)\">\(ReportPage.sortScript)</script>"
    static let scriptTag = "<script src=\"/assets/sort-tables.js\" defer></script>"

    func register(on table: inout RouteTable) {
        table.get("/", .signedIn, html: true) { _, context in
            let principal = try context.requireIdentity()
            let studies = try await store.status().studies.filter { principal.canRead(study: $0.id) }
            var rows = ""
            for study in studies {
                let link = "/studies/\(Self.pathComponent(study.id))"
                rows +=
                    "<tr><td><a href=\"\(HTML.escape(link))\">\(HTML.escape(study.id))</a></td>"
                    + "<td>\(HTML.escape(study.title))</td><td>\(study.patients)</td><td>\(study.samples)</td>"
                    + "<td>\(study.measurements)</td><td>\(HTML.escape(study.lastImport ?? "–"))</td></tr>"
            }
            let body =
                studies.isEmpty
                ? "<p>No study yet: import one with <code>exoscope import DIR</code>.</p>"
                : """
                <table class="sortable"><thead><tr><th>Study</th><th>Title</th><th>Patients</th><th>Samples</th>\
                <th>Values</th><th>Last import</th></tr></thead><tbody>\(rows)</tbody></table>
                """
            let csrf = HTML.escape(context.sessions.session?.csrf ?? "")
            let account =
                "<p>Signed in as <strong>\(HTML.escape(principal.name))</strong> (\(principal.role.rawValue)).</p>"
                + "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">"
                + "<button type=\"submit\">Sign out</button></form>"
            let page = ReportPage(
                title: "ExoScope", subtitle: "\(studies.count) \(studies.count == 1 ? "study" : "studies")",
                sections: [
                    .init(id: "studies", title: "Studies", body: body),
                    .init(id: "account", title: "Account", body: account),
                ])
            return Self.html(page.render())
        }
        table.get("/studies/{study}", .read, html: true, audited: true) { _, context in
            let id = try context.parameters.require("study")
            _ = try await store.study(id: id)
            return Self.html(try await Pipeline.report(studyID: id, from: store))
        }
        table.get("/assets/sort-tables.js", .open) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: ReportPage.sortScript))
            )
        }
    }

    /// An HTML page, its inline script moved out.
    static func html(_ page: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let text = page.replacingOccurrences(of: inlineScript, with: scriptTag)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A study id as one path component.
    static func pathComponent(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? id
    }
}
