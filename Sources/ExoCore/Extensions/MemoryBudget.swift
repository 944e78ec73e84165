import Foundation

/// How much memory a reader may still allocate, to refuse an input that cannot fit with a clear message rather
/// than be killed part-way with none.
public enum MemoryBudget {
    /// The bytes this process can still allocate, `nil` when they cannot be read.
    ///
    /// On Linux, the smaller of the memory the kernel reports available (`MemAvailable` in /proc/meminfo) and what is left under the control group's limit
    /// (`memory.max`, which is what a container's out-of-memory killer enforces); elsewhere the physical memory.
    public static func available() -> UInt64? {
        #if os(Linux)
            var budget: UInt64?
            if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
                let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
                let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ UInt64($0) })
            {
                budget = kibibytes * 1024
            }
            if let limit = number(atPath: "/sys/fs/cgroup/memory.max"),
                let used = number(atPath: "/sys/fs/cgroup/memory.current")
            {
                let left = limit > used ? limit - used : 0
                budget = min(budget ?? left, left)
            }
            return budget
        #else
            return ProcessInfo.processInfo.physicalMemory
        #endif
    }

    /// A file's one number (`max` and unreadable files give `nil`).
    private static func number(atPath path: String) -> UInt64? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A byte count for messages: "3.2 GiB", "512 MiB".
    public static func describe(_ bytes: UInt64) -> String {
        let gibibytes = Double(bytes) / 1_073_741_824
        if gibibytes >= 1 { return String(format: "%.1f GiB", gibibytes) }
        return "\(Int((Double(bytes) / 1_048_576).rounded(.up))) MiB"
    }
}
