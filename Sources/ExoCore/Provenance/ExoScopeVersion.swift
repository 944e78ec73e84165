/// ExoScope's version, recorded in every audit entry and provenance record.
public enum ExoScopeVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
