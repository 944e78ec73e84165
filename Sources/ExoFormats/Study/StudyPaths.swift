public import ExoCore
public import Foundation

/// Where a study may read files from: its own folder and the shared data folders its study.yaml lists
/// (`dataFolders:`), each after resolving symbolic links and `..`.
///
/// A path in study.yaml, the sample sheet's companions or a characterisation table that leads anywhere else —
/// `../../etc/passwd`, an absolute path, a symbolic link out of the folder — is refused before the file is
/// opened, so a study received from elsewhere cannot make ExoScope read (or, for `runs:`, write) outside it.
public struct StudyPaths: Sendable {
    /// The study folder, resolved.
    public let root: URL
    /// The shared data folders the study may also read from, resolved.
    public let sharedFolders: [URL]

    /// The places a study reads from.
    ///
    /// - Parameters:
    ///   - directory: the study folder.
    ///   - dataFolders: `dataFolders:` of study.yaml, relative to the study folder or absolute.
    public init(directory: URL, dataFolders: [String] = []) {
        root = Self.resolved(directory)
        sharedFolders = dataFolders.map { folder in
            Self.resolved(
                folder.hasPrefix("/") ? URL(fileURLWithPath: folder) : directory.appendingPathComponent(folder))
        }
    }

    /// The file a study path names, or the error when it leads outside the study and its shared data folders.
    ///
    /// - Parameters:
    ///   - relative: the path as written (relative to `base`, or absolute).
    ///   - base: the folder relative paths start from (the study folder, unless a table names files).
    ///   - location: where the path is written, for the error.
    ///   - writable: the path is written to, so only the study folder itself is allowed.
    /// - Returns: the URL to open.
    /// - Throws: `InputError` of kind `outsideStudyFolder`.
    public func url(
        _ relative: String, from base: URL? = nil, namedAt location: InputLocation, writable: Bool = false
    ) throws(InputError) -> URL {
        let start = base ?? root
        let candidate =
            relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : start.appendingPathComponent(relative)
        let resolved = Self.resolved(candidate)
        let allowed = writable ? [root] : [root] + sharedFolders
        guard allowed.contains(where: { Self.isInside(resolved, $0) }) else {
            throw InputError(
                .outsideStudyFolder, at: location,
                "path \(InputError.quoted(relative)) leads outside the study folder",
                hint: writable
                    ? "a folder ExoScope writes to must be inside the study folder"
                    : "keep data files inside the study folder, or list a shared data folder under 'dataFolders:' in "
                        + "study.yaml (docs/study-format.md)")
        }
        return candidate
    }

    /// The path with symbolic links and `.`/`..` resolved (as far as the path exists).
    static func resolved(_ url: URL) -> URL { url.standardizedFileURL.resolvingSymlinksInPath().standardizedFileURL }

    /// Whether `url` is `folder` or inside it.
    static func isInside(_ url: URL, _ folder: URL) -> Bool {
        let path = url.path
        let base = folder.path.hasSuffix("/") ? String(folder.path.dropLast()) : folder.path
        return path == base || path.hasPrefix(base + "/")
    }
}
