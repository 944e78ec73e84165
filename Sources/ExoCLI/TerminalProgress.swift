import ExoPipeline
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Progress on standard error: a redrawn bar on a terminal, one line per finished stage otherwise.
struct TerminalProgress: PipelineProgress {
    let enabled: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let totals = Totals()

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Totals per stage, shared between calls (the sink is a value type passed into the pipeline).
    private final class Totals: Sendable {
        private let values = Mutex<[String: Int]>([:])
        subscript(stage: String) -> Int? {
            get { values.withLock { $0[stage] } }
            set { values.withLock { $0[stage] = newValue } }
        }
    }

    func begin(_ stage: String, total: Int?) {
        totals[stage] = total
        guard enabled, isTerminal else { return }
        write("\r\u{1B}[2K\(stage) …")
    }

    func advance(_ stage: String, done: Int) {
        guard enabled, isTerminal, let total = totals[stage], total > 0 else { return }
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        write("\r\u{1B}[2K\(stage) \(bar) \(done)/\(total)")
    }

    func finish(_ stage: String, outcome: String) {
        guard enabled else { return }
        write((isTerminal ? "\r\u{1B}[2K" : "") + "\(stage): \(outcome)\n")
    }

    private func write(_ text: String) {
        Console.current.error(text)
    }
}
