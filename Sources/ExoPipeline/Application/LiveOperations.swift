import ExoCore
import ExoFormats
import ExoStore
public import Foundation

/// The operations of live chip runs and instrument folders: `live ingest`, `chip simulate` and `watch`.
public enum LiveOperations {}

// MARK: - live ingest

extension LiveOperations {
    /// `live ingest`: a live run's readings taken into a study.
    public struct IngestRequest: Sendable, Equatable {
        public var study: URL
        public var databasePath: String
        public var reportURL: URL
        public var actor: String

        public init(study: URL, databasePath: String, reportURL: URL, actor: String) {
            self.study = study
            self.databasePath = databasePath
            self.reportURL = reportURL
            self.actor = actor
        }
    }

    /// Opens the study's database and the ingest, with the runs it resumes; the caller feeds it the stream
    /// (``LiveIngest/consume(_:)``) and answers the instrument with what it returns.
    public static func openIngest(_ request: IngestRequest) async throws -> LiveIngest {
        let store = try await SQLiteStore(path: request.databasePath)
        return try await LiveIngest(
            settings: LiveIngest.Settings(
                studyDirectory: request.study, databasePath: request.databasePath, reportURL: request.reportURL,
                actor: request.actor),
            store: store)
    }
}

// MARK: - chip simulate

extension LiveOperations {
    /// `chip simulate`: a simulated chip run of a study's monitored patients.
    public struct ChipRequest: Sendable, Equatable {
        public var study: URL
        public var databasePath: String
        public var format: ChipSimulator.Format
        public var cycles: Int
        public var noise: Double
        public var seed: UInt64
        /// The run id (default `CHIP-<seed>`).
        public var runID: String?
        /// The failing well, or `nil` for none.
        public var failingWell: String?

        public init(
            study: URL, databasePath: String, format: ChipSimulator.Format = .plate96, cycles: Int = 45,
            noise: Double = 0.002, seed: UInt64 = 20_260_707, runID: String? = nil, failingWell: String? = "B1"
        ) {
            self.study = study
            self.databasePath = databasePath
            self.format = format
            self.cycles = cycles
            self.noise = noise
            self.seed = seed
            self.runID = runID
            self.failingWell = failingWell
        }
    }

    /// The simulator of the run: each sample at the mean Cq the study's database holds for it (a seeded draw
    /// when it holds none).
    public static func simulateChip(_ request: ChipRequest) async throws -> ChipSimulator {
        let loaded = try Pipeline.validate(request.study)
        var measurements: [SampleMeasurement] = []
        if FileManager.default.fileExists(atPath: request.databasePath) {
            let store = try await SQLiteStore(path: request.databasePath)
            if (try? await store.study(id: loaded.definition.id)) != nil {
                measurements = try await store.measurements(study: loaded.definition.id)
            }
        }
        return try ChipSimulator.of(
            loaded, measurements: measurements, run: request.runID ?? "CHIP-\(request.seed)", format: request.format,
            cycles: request.cycles, seed: request.seed, failingWell: request.failingWell
        )
        .withNoise(request.noise)
    }

    /// Writes the finished run as an RDML file.
    public static func writeRDML(_ simulator: ChipSimulator, to url: URL) throws {
        try RDMLWriter.archive(simulator.rdmlDocument(path: url.lastPathComponent)).write(to: url, options: .atomic)
    }
}

// MARK: - watch

extension LiveOperations {
    /// `watch`: a folder an instrument exports into, followed for a study.
    public struct WatchRequest: Sendable, Equatable {
        /// The folder as the user named it (messages quote it).
        public var folder: String
        public var study: URL
        public var databasePath: String
        /// Seconds a file must stay unchanged to count as finished.
        public var settle: Double
        public var actor: String

        public init(folder: String, study: URL, databasePath: String, settle: Double = 2, actor: String) {
            self.folder = folder
            self.study = study
            self.databasePath = databasePath
            self.settle = settle
            self.actor = actor
        }
    }

    /// A watched folder: each ``scan()`` looks at it once, and ``analyse(_:progress:)`` runs the pipeline when a
    /// scan imported files.
    public struct WatchSession {
        let request: WatchRequest
        var watch: FolderWatch
        let store: SQLiteStore
        /// Files copied in before an interruption, never analysed: analysed after the first scan.
        var pending: [String]

        /// Scans the folder once; the files copied into the study's runs are `imported`.
        public mutating func scan() throws -> FolderWatch.Scan {
            var scan = try watch.scan()
            scan.imported = pending + scan.imported
            pending = []
            return scan
        }

        /// Runs the whole pipeline when the scan imported a file; `nil` when it imported none.
        public func analyse(_ scan: FolderWatch.Scan, progress: any PipelineProgress = SilentProgress()) async throws
            -> Pipeline.RunSummary?
        {
            guard !scan.imported.isEmpty else { return nil }
            return try await Pipeline.run(
                studyDirectory: request.study, store: store, databasePath: request.databasePath,
                reportURL: request.study.appendingPathComponent("report.html"), actor: request.actor,
                progress: progress)
        }
    }

    /// Starts watching.
    public static func watch(_ request: WatchRequest) async throws -> WatchSession {
        let folderURL = URL(fileURLWithPath: request.folder, isDirectory: true).standardizedFileURL
        guard FileManager.default.fileExists(atPath: folderURL.path) else {
            throw OperationError.notFound("no folder \(request.folder)")
        }
        // One validation serves the watch, the study's id and the files not yet imported.
        let study = try Pipeline.validate(request.study)
        let watch = try FolderWatch(folder: folderURL, study: study, settleSeconds: request.settle)
        let store = try await SQLiteStore(path: request.databasePath)
        let id = study.definition.id
        let stored = (try? await store.study(id: id)) != nil ? try await store.inputFiles(study: id) : []
        return WatchSession(
            request: request, watch: watch, store: store, pending: FolderWatch.unimported(study, stored: stored))
    }
}
