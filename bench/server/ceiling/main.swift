// The ceiling of the server benchmark: a bare Hummingbird 2 application answering one route with a fixed body, no
// middleware, no store. `bench/server/wrk.sh` runs it beside `exoscope serve` on the same machine.
import Hummingbird

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8090
let body = ByteBuffer(string: #"{"status":"ok"}"#)
let router = Router()
router.get("/") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
