import ExoFormats
public import ExoQC
public import ExoReport

extension StudyReportInput.EVQCView.Preparation {
    /// The report's view of an EV preparation's (or a lot's) QC assessment.
    ///
    /// - Parameter assessment: ExoQC's assessment.
    public init(_ assessment: PreparationAssessment) {
        let metric = { (name: QCMetric) in assessment.metrics[name.rawValue] }
        let verdict: Verdict =
            switch assessment.verdict {
            case .pass: .pass
            case .fail: .fail
            case .notCharacterised: .notCharacterised
            }
        self.init(
            key: assessment.key, source: assessment.source, specimen: assessment.specimen,
            software: assessment.software, captures: assessment.captures, specification: assessment.specification,
            specificationVersion: assessment.specificationVersion, sizeRange: assessment.sizeRange, verdict: verdict,
            passed: assessment.passed,
            criteria: assessment.criteria.map {
                Criterion(
                    criterion: $0.criterion, requirement: $0.requirement, shown: $0.shown,
                    outcome: $0.outcome.rawValue, blocks: $0.outcome.blocks, reason: $0.reason, remedy: $0.remedy)
            },
            summary: Summary(
                particlesPerMl: metric(.concentrationPerMl), modeNm: metric(.modeNm),
                fractionInRange: metric(.fractionInRange), particlesPerMicrogram: metric(.particlesPerMicrogram),
                rnaNanogramsPerBillionParticles: metric(.rnaPerBillionParticles),
                transparencyPercent: metric(.transparencyScore)),
            purityBand: assessment.purityBand?.rawValue, metrics: assessment.metrics,
            markerCategories: assessment.checklist.categories.map {
                MarkerCategory(label: $0.label, detected: $0.detected, notDetected: $0.notDetected)
            },
            markerGaps: assessment.checklist.gaps, transparencyPercent: assessment.transparency.percent,
            transparencyMissing: assessment.transparency.missing.map { (number: $0.number, title: $0.title) },
            warnings: assessment.warnings)
    }
}

extension StudyReportInput.EVQCView.ControlChart {
    /// The report's view of a Levey–Jennings chart.
    ///
    /// - Parameter chart: ExoQC's chart with its Westgard judgements.
    public init(_ chart: LeveyJennings) {
        self.init(
            attribute: chart.attribute, material: chart.material, mean: chart.mean, sd: chart.sd,
            baselineRuns: chart.baselineRuns, shortBaseline: chart.shortBaseline,
            points: chart.points.map { point in
                Point(
                    run: point.run, value: point.value, violations: point.violations.map(\.rawValue),
                    rejects: point.violations.contains(where: \.rejects), status: point.status)
            })
    }
}

extension StudyReportInput.EVQCView.StabilitySeries {
    /// The report's view of a stability series, with the fitted mean and its confidence bound at 41 evenly spaced
    /// times from 0 to the later of the last measurement and the shelf life (at least 0.05 months apart).
    ///
    /// - Parameter series: ExoQC's series and its ICH Q1E fit.
    public init(_ series: ShelfLife.Series) {
        let fit = series.shelfLife.map { shelf in
            let end = max(series.times.max() ?? 0, min(shelf.shelfLife, shelf.extrapolationLimit))
            let grid = stride(from: 0.0, through: end, by: max(end / 40, 0.05)).map { $0 }
            return Fit(
                slope: shelf.slope, minimum: shelf.minimum, maximum: shelf.maximum, crossing: shelf.crossing,
                extrapolationLimit: shelf.extrapolationLimit, shelfLife: shelf.shelfLife,
                limitedByExtrapolation: shelf.limitedByExtrapolation,
                curve: grid.map { time in
                    let bounds = shelf.bounds(at: time)
                    return (
                        time: time, mean: shelf.intercept + shelf.slope * time,
                        bound: shelf.minimum != nil ? bounds.lower : bounds.upper
                    )
                })
        }
        self.init(
            condition: series.condition, lot: series.lot, attribute: series.attribute, times: series.times,
            values: series.values, fit: fit)
    }
}
