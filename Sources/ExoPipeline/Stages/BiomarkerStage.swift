import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoKnowledge
import ExoQuant
import ExoReport
import ExoStats
import ExoStore
import Foundation

/// The biomarker stage: differential expression, ROC, the cross-validated panel and the stage association of
/// the study's case–control arm, computed from the stored, normalised values and stored with provenance.
enum BiomarkerStage {
    /// The kind under which the result is stored.
    static let kind = "biomarkers"
    /// The seed of every resample (folds, bootstrap), recorded with the result.
    static let seed: UInt64 = 20_260_707

    /// What the analysis reads: expression (−ΔCq, higher = more) of each patient's first sample, cases and
    /// controls only, one column per normalised miRNA.
    struct Input {
        var matrix: FeatureMatrix
        var groups: TwoGroups
        var stages: [Int?]
        var metastasis: [Bool?]
        var followUp: [(months: Double, event: Bool)?]
        var scale: String
        /// Samples left out because their EV preparation failed QC.
        var excluded: [String] = []
        /// Samples whose preparation is not characterised, and whether they were left out (the study's
        /// `qc.requireCharacterisation`) or kept.
        var uncharacterised: [String] = []
        var uncharacterisedLeftOut = false
        /// For read counts: voom's precision-weighted moderated t, in `matrix.features` order.
        var differentialExpression: DifferentialExpression.Result?
        /// For read counts: what was filtered and how the counts were normalised.
        var countNotes: [String] = []

        /// The notes the result starts with: who was left out or kept, and why.
        var notes: [String] {
            var notes: [String] = []
            func samples(_ ids: [String]) -> String { "\(ids.count) sample\(ids.count == 1 ? "" : "s")" }
            if !excluded.isEmpty {
                notes.append(
                    "\(samples(excluded)) left out: EV preparation failed QC (\(excluded.joined(separator: ", ")))")
            }
            if !uncharacterised.isEmpty {
                notes.append(
                    uncharacterisedLeftOut
                        ? "\(samples(uncharacterised)) left out: EV preparation not characterised, and the study requires characterisation (qc.requireCharacterisation: yes) (\(uncharacterised.joined(separator: ", ")))"
                        : "\(samples(uncharacterised)) with an EV preparation not characterised kept in discovery (qc.requireCharacterisation: no) (\(uncharacterised.joined(separator: ", ")))"
                )
            }
            return notes + countNotes
        }
    }

    /// What the stored EV-QC result says about the study's preparations.
    struct PreparationGate {
        /// Sample ids the gate stops: failed, or not characterised where the study requires characterisation.
        var blocked: Set<String> = []
        /// Sample ids whose preparation is not characterised.
        var uncharacterised: Set<String> = []

        /// No EV QC: nothing is stopped.
        init() {}

        /// The gate of a stored `ev-qc` result (`nil` when the study has none).
        init(stored: StoredResult?) throws {
            guard let stored else { return }
            let result = try EVQCStage.decode(stored)
            blocked = result.failedSamples
            uncharacterised = result.uncharacterisedSamples
        }
    }

    /// Why the stage did not run.
    struct Skipped: Error {
        var reason: String
    }

    /// Each patient's first sample of the case–control arm that the gate lets through, and who was stopped.
    struct Chosen {
        var first: [Sample]
        var failed: [String]
        var uncharacterised: [String]
        var leftOut: Bool
    }

    /// Chooses each patient's first sample from all their samples.
    ///
    /// A patient whose first sample the gate stops (its preparation failed QC, or is not characterised where the
    /// study requires it) is left out rather than represented by a later one. Fails when fewer than two cases or two
    /// controls remain.
    static func choose(samples: [Sample], gate: PreparationGate) -> Result<Chosen, Skipped> {
        let chosen = Dictionary(grouping: samples.filter { $0.group == .case || $0.group == .control }, by: \.patient)
            .values.compactMap { group in
                group.min { ($0.timepoint.dayOffset ?? 0, $0.id) < ($1.timepoint.dayOffset ?? 0, $1.id) }
            }
            .sorted { $0.id < $1.id }
        let first = chosen.filter { !gate.blocked.contains($0.id.rawValue) }
        let failed = chosen.map(\.id.rawValue).filter {
            gate.blocked.contains($0) && !gate.uncharacterised.contains($0)
        }
        let uncharacterised = chosen.map(\.id.rawValue).filter(gate.uncharacterised.contains)
        let leftOut = uncharacterised.contains(where: gate.blocked.contains)
        let cases = first.filter { $0.group == .case }.count
        let controls = first.count - cases
        guard cases >= 2, controls >= 2 else {
            var reason =
                "skipped: \(cases) case\(cases == 1 ? "" : "s") and \(controls) control\(controls == 1 ? "" : "s") to compare, at least 2 of each needed"
            var why: [String] = []
            if !failed.isEmpty { why.append("\(failed.count) EV preparation failed QC") }
            if leftOut { why.append("\(uncharacterised.count) not characterised (qc.requireCharacterisation: yes)") }
            if !why.isEmpty {
                reason +=
                    "; \(chosen.count - first.count) of \(chosen.count) patients left out: "
                    + why.joined(separator: ", ")
            }
            return .failure(Skipped(reason: reason))
        }
        return .success(Chosen(first: first, failed: failed, uncharacterised: uncharacterised, leftOut: leftOut))
    }

    /// The two groups of a matrix of the chosen samples, or why they cannot be compared.
    static func twoGroups(_ matrix: FeatureMatrix) -> Result<TwoGroups, Skipped> {
        do {
            return .success(
                try TwoGroups(matrix, case: SampleGroup.case.rawValue, control: SampleGroup.control.rawValue))
        } catch {
            return .failure(
                Skipped(
                    reason: "skipped: "
                        + (error.errors.first?.message ?? "the case and control groups cannot be compared")))
        }
    }

    /// The analysis input of normalised Cq values, or why there is none.
    static func input(
        samples: [Sample], normalization: NormalizationStage.Result?, gate: PreparationGate = .init()
    ) -> Result<Input, Skipped> {
        guard let normalization, !normalization.deltaCq.isEmpty else {
            return .failure(
                Skipped(
                    reason: "skipped: no normalised miRNA values (no miRNA measured by qPCR, dPCR or sequencing; "
                        + "other analyte types are stored and reported, not analysed as biomarkers)"))
        }
        let chosen: Chosen
        switch choose(samples: samples, gate: gate) {
        case .success(let value): chosen = value
        case .failure(let skipped): return .failure(skipped)
        }
        let first = chosen.first
        let features = normalization.deltaCq.keys.sorted()
        let values = features.map { analyte in
            first.map { sample in normalization.deltaCq[analyte]?[sample.id.rawValue].map { -$0 } ?? .nan }
        }
        let matrix = FeatureMatrix(
            path: "study", samples: first.map(\.id.rawValue), labels: first.map(\.group.rawValue), labelColumn: "group",
            features: features, values: values)
        let groups: TwoGroups
        switch twoGroups(matrix) {
        case .success(let value): groups = value
        case .failure(let skipped): return .failure(skipped)
        }
        return .success(
            Input(
                matrix: matrix, groups: groups, stages: first.map { $0.clinical.stage?.group },
                metastasis: first.map { $0.clinical.metastasis }, followUp: first.map(\.followUp),
                scale: "−ΔCq (\(normalization.chosen)), each patient's first sample", excluded: chosen.failed,
                uncharacterised: chosen.uncharacterised, uncharacterisedLeftOut: chosen.leftOut))
    }

    /// The analysis input of read counts, or why there is none: limma-voom as edgeR's user guide runs it.
    ///
    /// The counts of the chosen samples are filtered with edgeR's `filterByExpr` (by group), library sizes are
    /// recomputed from the features kept (`keep.lib.sizes = FALSE`), TMM factors are computed on those samples
    /// (`calcNormFactors`), and voom turns the counts into log-CPM with precision weights for the moderated t of
    /// ~ group. ROC, the panel and the stage tests read voom's log-CPM.
    static func countInput(
        samples: [Sample], counts: CountNormalizationStage.Counts, gate: PreparationGate = .init()
    ) -> Result<Input, Skipped> {
        let chosen: Chosen
        switch choose(samples: samples, gate: gate) {
        case .success(let value): chosen = value
        case .failure(let skipped): return .failure(skipped)
        }
        let first = chosen.first.filter { counts.sampleIndex[$0.id.rawValue] != nil }
        let columns = first.compactMap { counts.sampleIndex[$0.id.rawValue] }
        let all = counts.values.map { row in columns.map { row[$0] } }
        let labels = first.map(\.group.rawValue)
        let keep: [Bool]
        let factors: [Double]
        let kept: [Int]
        let filtered: [[Double]]
        let librarySizes: [Double]
        do {
            keep = try CountNormalization.filterByExpression(all, groups: labels)
            kept = keep.indices.filter { keep[$0] }
            filtered = kept.map { all[$0] }
            guard filtered.count >= 2 else {
                return .failure(
                    Skipped(
                        reason:
                            "skipped: \(filtered.count) feature\(filtered.count == 1 ? "" : "s") expressed in enough samples (edgeR filterByExpr), at least 2 needed"
                    ))
            }
            factors = try CountNormalization.tmm(filtered).factors
            librarySizes = try CountNormalization.effectiveLibrarySizes(
                librarySizes: try CountNormalization.librarySizes(filtered), normalizationFactors: factors)
        } catch {
            return .failure(Skipped(reason: "skipped: the counts cannot be normalised (\(error))"))
        }
        let matrix = FeatureMatrix(
            path: "study", samples: first.map(\.id.rawValue), labels: labels, labelColumn: "group",
            features: kept.map { counts.features[$0] }, values: filtered)
        let groups: TwoGroups
        switch twoGroups(matrix) {
        case .success(let value): groups = value
        case .failure(let skipped): return .failure(skipped)
        }
        let fitted: (result: DifferentialExpression.Result, voom: Voom.Result, leftOut: Int)?
        do {
            fitted = try DifferentialExpression.voom(matrix, groups: groups, covariates: [], librarySizes: librarySizes)
        } catch {
            return .failure(Skipped(reason: "skipped: " + (error.errors.first?.message ?? "voom cannot be fitted")))
        }
        guard let fitted else {
            return .failure(Skipped(reason: "skipped: voom cannot be fitted (no residual degrees of freedom)"))
        }
        let logCPM = FeatureMatrix(
            path: "study", samples: matrix.samples, labels: labels, labelColumn: "group", features: matrix.features,
            values: fitted.voom.logCPM)
        var input = Input(
            matrix: logCPM, groups: groups, stages: first.map { $0.clinical.stage?.group },
            metastasis: first.map { $0.clinical.metastasis }, followUp: first.map(\.followUp),
            scale: "voom log2-CPM (TMM, \(counts.unit)), each patient's first sample", excluded: chosen.failed,
            uncharacterised: chosen.uncharacterised, uncharacterisedLeftOut: chosen.leftOut)
        input.differentialExpression = fitted.result
        input.countNotes = [
            "counts: \(kept.count) of \(all.count) features kept by edgeR's filterByExpr (by group); TMM factors "
                + "\(String(format: "%.3f", factors.min() ?? 1))–\(String(format: "%.3f", factors.max() ?? 1)) on "
                + "the \(first.count) samples analysed; limma-voom with precision weights"
        ]
        if first.count < chosen.first.count {
            input.countNotes.append(
                "\(chosen.first.count - first.count) chosen samples have no read counts and are left out")
        }
        return .success(input)
    }

    /// A digest of what the result depends on: version, seed, scale and every stored input file.
    static func digest(files: [StoredInputFile], scale: String) -> String {
        ResultDigest.of(kind: kind, files: files, extra: [String(seed), scale])
    }

    /// Computes and stores the analysis unless an identical one is stored; returns the stage's outcome line.
    static func run(
        study: String, store: any Store, input: Input, files: [StoredInputFile], actor: String
    ) async throws -> String {
        let digest = digest(files: files, scale: input.scale)
        if try await ResultDigest.isStored(kind: kind, study: study, digest: digest, in: store) {
            return "unchanged"
        }
        var result = StudyBiomarkers.analyze(
            input.matrix, groups: input.groups, stages: input.stages, metastasis: input.metastasis,
            followUp: input.followUp, seed: seed, differentialExpression: input.differentialExpression)
        result.notes.insert(contentsOf: input.notes, at: 0)
        let options = DiagnosticPanel.Options(seed: seed)
        var parameters = [
            "values": input.scale,
            "de": input.differentialExpression == nil ? "moderated t, BH" : "limma-voom moderated t, BH",
            "roc": "DeLong 95 %, direction by medians",
            "panel": "alpha \(options.alpha), \(options.folds)-fold CV, lambda 1se, nested \(options.repeats)×",
            "excluded": input.excluded.isEmpty ? "none" : input.excluded.joined(separator: ", "),
        ]
        if !input.uncharacterised.isEmpty {
            parameters["notCharacterised"] =
                "\(input.uncharacterised.joined(separator: ", ")) (\(input.uncharacterisedLeftOut ? "left out" : "kept"))"
        }
        let provenance = Provenance(
            step: kind, parameters: parameters, seed: seed,
            inputHashes: Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) }))
        try await ResultDigest.save(
            result, kind: kind, study: study, provenance: provenance, digest: digest, in: store, actor: actor)
        let selected = result.panel?.members.filter { $0.coefficient != 0 }.count ?? 0
        let auc = result.panel?.validation.map { String(format: "%.2f", $0.auc) } ?? "–"
        return
            "\(result.cases) cases vs \(result.controls) controls, \(result.markers.count) miRNAs; panel of \(selected), nested CV AUC \(auc)"
    }

    /// The stored result in the report's terms.
    static func view(_ stored: StoredResult, scale: String, tumour: String?) throws -> StudyReportInput.BiomarkerView {
        let studyTumour = tumour.flatMap(Tumour.init(parsing:))
        let result = try JSONDecoder().decode(StudyBiomarkers.self, from: Data(stored.json.utf8))
        let panel = result.panel.map { panel in
            var lines: [(String, String)] = []
            if let v = panel.validation {
                let range = { (low: Double, high: Double) in String(format: "%.3f–%.3f", low, high) }
                lines = [
                    ("repeats × folds", "\(v.repeats) × \(v.folds)"),
                    ("panel AUC (mean over repeats)", String(format: "%.3f", v.auc)),
                    ("  95 % CI (DeLong, averaged out-of-fold probabilities)", range(v.aucLow, v.aucHigh)),
                    ("  range over repeats", range(v.aucRange.lowerBound, v.aucRange.upperBound)),
                    ("best single miRNA (most often \(v.bestSingle))", String(format: "%.3f", v.singleAUC)),
                    ("  95 % CI", range(v.singleLow, v.singleHigh)),
                    ("panel against best single miRNA, paired DeLong p", String(format: "%.3g", v.differenceP)),
                    ("calibration slope (1 ideal)", String(format: "%.2f", v.calibrationSlope)),
                    ("calibration intercept (0 ideal)", String(format: "%.2f", v.calibrationIntercept)),
                    ("Brier score", String(format: "%.3f", v.brier)),
                ]
            }
            return StudyReportInput.BiomarkerView.Panel(
                alpha: panel.alpha, lambda: panel.lambda,
                members: panel.members.map { ($0.feature, $0.coefficient, $0.selectionFrequency) }, validation: lines,
                calibration: panel.calibration.map {
                    .init(predicted: $0.predicted, observed: $0.observed, low: $0.low, high: $0.high, count: $0.count)
                })
        }
        var view = StudyReportInput.BiomarkerView(
            caseLabel: result.caseLabel, controlLabel: result.controlLabel, cases: result.cases,
            controls: result.controls, scale: scale,
            markers: result.markers.map {
                .init(
                    feature: $0.feature, logFC: $0.logFC, p: $0.p, adjustedP: $0.adjustedP, auc: $0.auc,
                    aucLow: $0.aucLow, aucHigh: $0.aucHigh, lateVersusEarlyP: $0.lateVersusEarlyP,
                    lateVersusEarlyAdjustedP: $0.lateVersusEarlyAdjustedP, stageTrendZ: $0.stageTrendZ,
                    stageTrendP: $0.stageTrendP, metastasisP: $0.metastasisP, survivalLogRankP: $0.survivalLogRankP,
                    hazardRatio: $0.hazardRatio, hazardRatioLow: $0.hazardRatioLow, hazardRatioHigh: $0.hazardRatioHigh)
            },
            curves: result.curves.map { curve in
                ROCPlot.Curve(
                    label:
                        "\(curve.feature) \(String(format: "%.2f (%.2f–%.2f)", curve.auc, curve.aucLow, curve.aucHigh))",
                    points: curve.points.map { ($0[0], $0[1]) }, band: curve.band.map { ($0[0], $0[1], $0[2]) })
            },
            panel: panel,
            stageValues: result.stageValues.map { stage in
                (
                    stage.feature,
                    zip(stage.groups, stage.values).filter { !$0.1.isEmpty }.map {
                        GroupComparisonPlot.Group(label: $0.0, values: $0.1)
                    }
                )
            },
            survival: result.survival.map { curves in
                (
                    SurvivalPlot(
                        title: "\(curves.feature): survival by expression", timeLabel: "months",
                        curves: [
                            .init(
                                label: "at or below median (n = \(curves.lowCount))",
                                steps: curves.low.map { ($0[0], $0[1]) },
                                followUp: (curves.lowFollowUp ?? []).map { ($0[0], $0[1] == 1) }),
                            .init(
                                label: "above median (n = \(curves.highCount))",
                                steps: curves.high.map { ($0[0], $0[1]) },
                                followUp: (curves.highFollowUp ?? []).map { ($0[0], $0[1] == 1) }),
                        ]),
                    "Kaplan–Meier, cases with follow-up; + marks a censored patient, the table below the axis the"
                        + " patients at risk; log-rank p = \(String(format: "%.2g", curves.logRankP))."
                )
            },
            notes: result.notes, provenance: stored.provenance)
        view.adjustedForStage = result.survivalAdjustedForStage ?? true
        // Each miRNA's known associations; a significant result against a stated direction is flagged.
        for (index, marker) in result.markers.enumerated() {
            let observed: KnowledgeDirection? =
                (marker.adjustedP ?? 1) < 0.05 ? ((marker.logFC ?? 0) > 0 ? .up : .down) : nil
            let link = KnowledgeLink(feature: marker.feature, tumour: studyTumour, observed: observed)
            view.markers[index].known = link.summary
            if !link.contradictions.isEmpty {
                view.markers[index].contradiction =
                    "contradicts \(link.contradictions.map { "\($0.id) (\($0.direction.rawValue))" }.joined(separator: ", "))"
            }
        }
        return view
    }
}
