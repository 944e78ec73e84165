import ExoCore
import ExoFormats
import Foundation

extension FuzzTarget {
    /// An Excel workbook, every sheet read: `XLSXWorkbook.init(data:displayPath:maximumInflatedBytes:)` and
    /// `rows(sheet:)`.
    static let xlsx = FuzzTarget(name: "xlsx") { data in
        do {
            let workbook = try XLSXWorkbook(
                data: data, displayPath: "fuzz.xlsx", maximumInflatedBytes: maximumInflatedBytes)
            for sheet in workbook.sheetNames {
                do {
                    _ = try workbook.rows(sheet: sheet)
                } catch {
                    expectInputError(error)
                }
            }
        } catch {
            expectInputError(error)
        }
    }

    /// The delimited tables of a study: the input as a sample sheet (`SampleSheet.parse`), then as a measurement
    /// file of qPCR Cq values over the samples it declared (`MeasurementTable.parse`), as a ragged table
    /// (`DelimitedTable`) and as a QC series (`QCSeriesTable.parse`, as `qc trend` reads it).
    static let tables = FuzzTarget(name: "tables") { data in
        guard let file = textFile(data, named: "fuzz.tsv") else { return }
        let sheet = SampleSheet.parse(file, defaultSpecimen: .serum, extraColumns: ["stage"])
        _ = sheet.errors.map(\.description)
        let measurements = MeasurementTable.parse(file, spec: qPCRSpec, samples: sheet.declaredIDs)
        _ = measurements.errors.map(\.description)
        do {
            _ = try DelimitedTable(file, toleratingRaggedRows: true)
        } catch {
            expectInputError(error)
        }
        do {
            _ = try QCSeriesTable.parse(
                file, required: ["run"], optionalLabels: ["date", "material"], unique: ["material", "run"])
        } catch {
            expectInputError(error)
        }
    }

    /// A samples × features matrix as `exoscope stats` reads it from disk, its label the first column after
    /// `sample`: `FeatureMatrix.columnNames(of:displayPath:)` and `FeatureMatrix.init(url:displayPath:…)`.
    static let featureMatrix = FuzzTarget(name: "feature-matrix") { data in
        let url = scratchFile(data, pathExtension: delimitedExtension(data))
        let displayPath = "fuzz.\(url.pathExtension)"
        do {
            let names = try FeatureMatrix.columnNames(of: url, displayPath: displayPath)
            let label = names.first { $0 != "sample" }
            _ = try FeatureMatrix(url: url, displayPath: displayPath, labelColumn: label, detectText: true)
        } catch {
            expectInputError(error)
        }
    }

    /// The measurement file entry the tables target reads its input as: qPCR, unit Cq.
    private static let qPCRSpec: MeasurementFileSpec = {
        let yaml = """
            schema: 1
            id: FUZZ
            title: Fuzz
            specimen: serum
            measurements:
              - file: data/cq.tsv
                assay: qPCR
                unit: Cq
            analytes:
              monitored: [miR-4458]
            """
        guard let file = textFile(Data(yaml.utf8), named: "study.yaml"),
            let spec = StudyFile.parse(file).definition?.measurements.first
        else {
            fatalError("the fuzz target's own study.yaml does not parse")
        }
        return spec
    }()
}
