/// Preallocated result slots that parallel jobs (`ComputeThreads.run`) fill by index, each index written by
/// exactly one job, so no lock is needed; read them once `run` has returned.
public final class ConcurrentSlots<Element: Sendable>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Element?>

    /// Creates `count` empty slots.
    public init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        _ = storage.deinitialize()
        storage.deallocate()
    }

    /// The slot's value, `nil` until written.
    public subscript(index: Int) -> Element? {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// The written values, in index order.
    public var values: [Element] { storage.compactMap { $0 } }
}
