import ExoCore

/// The `--version` text.
enum ExoscopeVersionText {
    static let text = "exoscope \(ExoScopeVersion.current) (miRBase release \(MiRNACatalog.release))"
}
