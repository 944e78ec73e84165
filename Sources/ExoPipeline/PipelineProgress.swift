/// Receives progress from long pipeline steps; the CLI draws a bar, the server sends events.
public protocol PipelineProgress: Sendable {
    /// A stage begins (`validate`, `import`, `report`).
    func begin(_ stage: String, total: Int?)
    /// `done` of the stage's `total` units are finished.
    func advance(_ stage: String, done: Int)
    /// The stage finished with a one-line outcome.
    func finish(_ stage: String, outcome: String)
}

/// Progress that goes nowhere (tests, `--quiet`).
public struct SilentProgress: PipelineProgress {
    /// Creates a silent progress sink.
    public init() {}
    public func begin(_ stage: String, total: Int?) {}
    public func advance(_ stage: String, done: Int) {}
    public func finish(_ stage: String, outcome: String) {}
}
