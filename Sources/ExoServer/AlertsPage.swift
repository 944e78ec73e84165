import ExoPipeline
import ExoReport
import ExoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// The dashboard's alerts of a study: every alert with its evidence, and for an analyst or admin a form to
/// acknowledge each open one with a note (a plain form with the session's CSRF token; no script).
struct AlertsPage: Sendable {
    let store: any Store

    func register(on table: inout RouteTable) {
        table.get("/studies/{study}/alerts", .read, html: true, audited: true) { _, context in
            let study = try context.parameters.require("study")
            let principal = try context.requireIdentity()
            _ = try await store.study(id: study)
            let alerts = try await store.alerts(study: study)
            return Dashboard.html(
                Self.render(
                    study: study, alerts: alerts, canAcknowledge: principal.canWrite(study: study),
                    csrf: context.sessions.session?.csrf))
        }
        table.post("/studies/{study}/alerts/{alert}/acknowledge", .write, csrf: .formField) { request, context in
            let study = try context.parameters.require("study")
            let principal = try context.requireIdentity()
            guard let alert = context.parameters.get("alert").flatMap(Int64.init) else {
                throw APIError.notFound("no such alert")
            }
            let form = try await SignIn.form(request, context: context)
            if request.headers.bearer == nil {
                guard let session = context.sessions.session, let sent = form["csrf"],
                    AccountOperations.constantTimeEqual(sent, session.csrf)
                else {
                    throw APIError(.forbidden, code: "csrf", "the form's CSRF token is missing or wrong")
                }
            }
            let note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !note.isEmpty else {
                throw APIError(
                    .unprocessableContent, code: "invalid-body", "an acknowledgement needs a note",
                    hint: "say what was decided")
            }
            do {
                _ = try await store.acknowledgeAlert(id: alert, study: study, actor: principal.name, note: note)
            } catch StoreError.notFound {
                throw APIError.notFound("no such alert")
            } catch StoreError.conflict(let message) {
                throw APIError(.conflict, code: "conflict", message)
            }
            var headers = HTTPFields()
            headers[.location] = "/studies/\(Dashboard.pathComponent(study))/alerts#alert-\(alert)"
            return Response(status: .seeOther, headers: headers)
        }
    }

    static func render(study: String, alerts: [AlertRecord], canAcknowledge: Bool, csrf: String?) -> String {
        var body = ""
        if alerts.isEmpty {
            body = "<p>No alert.</p>"
        } else {
            body =
                "<table><thead><tr><th>Alert</th><th>Patient</th><th>Sample</th><th>Kind</th><th>Evidence</th>"
                + "<th>Raised</th><th>State</th></tr></thead><tbody>"
            let action = "/studies/\(Dashboard.pathComponent(study))/alerts/"
            for alert in alerts {
                let id = alert.id.map(String.init) ?? ""
                var state: String
                if let at = alert.acknowledgedAt {
                    state =
                        "<span class=\"ok\">acknowledged by \(HTML.escape(alert.acknowledgedBy ?? "")) at "
                        + "\(HTML.escape(at))</span>: \(HTML.escape(alert.note ?? ""))"
                } else if canAcknowledge, let csrf {
                    state = """
                        <form method="post" action="\(HTML.escape(action + id))/acknowledge">\
                        <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">\
                        <label>Note <input name="note" required maxlength="2000"></label> \
                        <button type="submit">Acknowledge</button></form>
                        """
                } else {
                    state = "<span class=\"warn\">open</span>"
                }
                body +=
                    "<tr id=\"alert-\(HTML.escape(id))\"><td>\(HTML.escape(id))</td>"
                    + "<td>\(HTML.escape(alert.patient))</td><td>\(HTML.escape(alert.sample))</td>"
                    + "<td>\(HTML.escape(alert.kind.rawValue))</td><td>\(HTML.escape(alert.evidence))</td>"
                    + "<td>\(HTML.escape(alert.raisedAt))</td><td>\(state)</td></tr>"
            }
            body += "</tbody></table>"
        }
        let open = alerts.filter { $0.acknowledgedAt == nil }.count
        let page = ReportPage(
            title: "Alerts of \(study)", subtitle: "\(alerts.count) alerts, \(open) open",
            sections: [.init(id: "alerts", title: "Alerts", body: body)])
        return page.render()
    }
}
