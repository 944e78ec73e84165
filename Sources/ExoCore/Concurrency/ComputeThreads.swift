import Foundation
import Synchronization

/// Runs independent CPU-bound jobs on threads the computation owns, one per processor core.
///
/// The calling thread works through the jobs too, with `activeProcessorCount − 1` threads started for the
/// call (none for one job or one core); each takes the next job index from a shared counter until none is
/// left, and the call returns once every job has finished. No GCD and no Swift concurrency is involved, so it
/// may be called from async code: it never parks a thread of the cooperative pool waiting on other tasks, the
/// caller only waits at the end for the jobs still running on its helper threads (at most one job each).
///
/// - Complexity: the jobs' own work, plus starting `min(jobs, cores) − 1` threads.
package enum ComputeThreads {
    /// Calls `body(index)` once for every index in `0 ..< jobs`, in parallel, and returns when all are done.
    ///
    /// - Parameters:
    ///   - jobs: how many jobs there are.
    ///   - threads: the most threads to use, the caller's included; `nil` for one per core.
    ///   - body: runs one job, given its index.
    package static func run(jobs: Int, threads: Int? = nil, _ body: @Sendable (Int) -> Void) {
        guard jobs > 0 else { return }
        let helpers = min(jobs, max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)) - 1
        guard helpers > 0 else {
            for index in 0..<jobs { body(index) }
            return
        }
        // The helpers reach `body` only through `state`, which drops it once they have all finished, so it
        // never outlives the call.
        withoutActuallyEscaping(body) { body in
            let state = State(jobs: jobs, helpers: helpers, body: body)
            for _ in 0..<helpers {
                let thread = Thread {
                    state.work()
                    state.finished.lock()
                    state.running.withLock { $0 -= 1 }
                    state.finished.signal()
                    state.finished.unlock()
                }
                thread.stackSize = 1 << 22
                thread.start()
            }
            state.work()
            state.finished.lock()
            while state.running.withLock({ $0 }) > 0 { state.finished.wait() }
            state.finished.unlock()
            state.body.withLock { $0 = nil }
        }
    }

    /// The next job index, the helpers still running, and the condition the last one signals.
    private final class State: Sendable {
        let next = Atomic<Int>(0)
        let running: Mutex<Int>
        let finished = NSCondition()
        let body: Mutex<(@Sendable (Int) -> Void)?>
        let jobs: Int

        init(jobs: Int, helpers: Int, body: @escaping @Sendable (Int) -> Void) {
            self.jobs = jobs
            running = Mutex(helpers)
            self.body = Mutex(body)
        }

        /// Runs jobs until none is left; the reference to `body` ends with the call.
        func work() {
            guard let body = self.body.withLock({ $0 }) else { return }
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < jobs else { return }
                body(index)
            }
        }
    }
}
