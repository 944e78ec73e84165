import ExoCore
import ExoFormats
import Foundation

extension FuzzTarget {
    /// A particle size export (NanoSight NTA ExperimentSummary, ZetaView, size-bin table), recognised by its
    /// content: `ParticleSizeExport.read(data:displayPath:)`, and the NTA reader directly on the same bytes.
    static let particleSize = FuzzTarget(name: "particle-size") { data in
        do {
            _ = try ParticleSizeExport.read(data: data, displayPath: "fuzz.csv")
        } catch {
            expectInputError(error)
        }
        do {
            _ = try NTAExperimentSummary(bytes: [UInt8](data), displayPath: "fuzz-ExperimentSummary.csv").sizeExport
        } catch {
            expectInputError(error)
        }
    }

    /// A study's `study.yaml`: `StudyFile.parse(_:)`.
    static let studyYAML = FuzzTarget(name: "study-yaml") { data in
        guard let file = textFile(data, named: "study.yaml") else { return }
        _ = StudyFile.parse(file).errors.map(\.description)
    }

    /// An EV release specification: `ReleaseSpecification.parse(_:)`.
    static let releaseSpecification = FuzzTarget(name: "release-spec") { data in
        guard let file = textFile(data, named: "release-spec.yaml") else { return }
        do {
            _ = try ReleaseSpecification.parse(file)
        } catch {
            expectInputError(error)
        }
    }
}
