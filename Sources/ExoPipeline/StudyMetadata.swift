import ExoCore
import ExoFormats
import Foundation

/// What the store keeps of `study.yaml` (as the study's definition JSON), so a report can be made
/// from the database alone.
struct StudyMetadata: Codable, Sendable {
    struct MeasurementFile: Codable, Sendable {
        var path: String
        var assay: String
        var unit: String?
    }
    var schema: Int
    var title: String
    var description: String?
    var tumour: String?
    var specimen: String?
    var monitored: [String]
    var spikeIns: [String]
    var references: [String]
    var measurementFiles: [MeasurementFile]
    var treatmentEvent: String
    /// The study's normalisation choice (`spike-in`, `references`, `global-mean`, `none`).
    var normalization: NormalizationChoice?
    /// The global mean's Cq cut-off (absent in studies stored before it was configurable, which used 35).
    var globalMeanMaximumCq: Double?
    /// How each non-canonical miRNA name was read.
    var nameResolutions: [String]
    /// The monitoring settings (absent in studies stored before they existed).
    var monitoring: MonitoringSettings?
    /// The locked model of `monitoring.panel`, as its file's JSON (validated when the study was read).
    var panelModel: String?

    init(_ study: LoadedStudy) {
        let definition = study.definition
        schema = definition.schema
        title = definition.title
        description = definition.description
        tumour = definition.tumour
        specimen = definition.specimen?.rawValue
        monitored = definition.monitored.map(\.name)
        spikeIns = definition.spikeIns.map(\.name)
        references = definition.references.map(\.name)
        measurementFiles = definition.measurements.map {
            MeasurementFile(path: $0.path, assay: $0.assay.rawValue, unit: $0.unit?.rawValue)
        }
        treatmentEvent = definition.treatmentEvent
        monitoring = definition.monitoring
        panelModel = definition.monitoring.panel.flatMap {
            try? String(contentsOf: study.directory.appendingPathComponent($0), encoding: .utf8)
        }
        normalization = definition.normalization
        globalMeanMaximumCq = definition.globalMeanMaximumCq
        nameResolutions = study.nameResolutions.map(\.explanation)
    }
}
