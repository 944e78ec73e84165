import ExoCore
import ExoMonitor
import ExoStats
import ExoTestSupport
import Testing

/// Reference change values, the Theil–Sen trend and the response calls.
struct ReferenceChangeValueTests {
    /// R: qnorm(0.975) * sqrt(2) * sqrt(0.2^2 + 0.25^2) = 0.8874114368444298; one-sided qnorm(0.95): 0.74473915439538918.
    @Test func cqScaleMatchesR() throws {
        let rcv = try ReferenceChangeValue(scale: .cq, analytical: 0.2, withinSubject: 0.25)
        #expect(abs(rcv.up - 0.8874114368444298) < 1e-12 && rcv.down == -rcv.up)
        let oneSided = try ReferenceChangeValue(scale: .cq, analytical: 0.2, withinSubject: 0.25, oneSided: true)
        #expect(abs(oneSided.up - 0.74473915439538918) < 1e-12)
        #expect(rcv.significance(of: 0.9) == 1 && rcv.significance(of: -0.9) == -1 && rcv.significance(of: 0.5) == 0)
    }

    /// The asymmetric form against R.
    ///
    /// R: s <- sqrt(log(0.05^2 + 1) + log(0.2^2 + 1)); exp(±qnorm(0.975) * sqrt(2) * s) - 1
    /// = 0.76145210566596977 and -0.43228657947420035 (Fokkema et al. 2006).
    @Test func logNormalIsAsymmetricAsInR() throws {
        let rcv = try ReferenceChangeValue(scale: .logNormal, analytical: 0.05, withinSubject: 0.2)
        #expect(abs(rcv.up - 0.76145210566596977) < 1e-12 && abs(rcv.down - -0.43228657947420035) < 1e-12)
        // A rise and a fall by the same factor are equally significant: (1 + up)(1 + down) = 1.
        #expect(abs((1 + rcv.up) * (1 + rcv.down) - 1) < 1e-12)
    }

    @Test func negativeOrAbsentVariationIsRefused() {
        #expect(
            Fixture.errorMessages { _ = try ReferenceChangeValue(scale: .cq, analytical: -0.1, withinSubject: 0.25) }
                == [
                    "monitoring: error: analytical variation must be a number ≥ 0, found -0.1\n  hint: an SD in cycles, such as 0.2"
                ])
        #expect(
            Fixture.errorMessages {
                _ = try ReferenceChangeValue(scale: .logNormal, analytical: 0.05, withinSubject: .nan, probability: 1.2)
            } == [
                "monitoring: error: within-subject variation must be a number ≥ 0, found nan\n  hint: a CV as a fraction, such as 0.15 for 15 %",
                "monitoring: error: the probability must lie between 0.5 and 1, found 1.2\n  hint: 0.95 is usual; 0.90 for an earlier, less certain signal",
            ])
    }
}

struct ResponseCallTests {
    /// ±0.887 cycles.
    static func rcv() throws -> ReferenceChangeValue {
        try ReferenceChangeValue(scale: .cq, analytical: 0.2, withinSubject: 0.25)
    }

    static func series(_ values: [(Double, Double?)], higherIsBetter: Bool = true, reasons: [Int: String] = [:])
        throws -> ResponseSeries
    {
        ResponseSeries(
            patient: "P1", analyte: "hsa-miR-4458",
            values: values.enumerated().map { index, point in
                MonitoredValue(sample: "V\(index + 1)", day: point.0, value: point.1, notEvaluable: reasons[index])
            }, higherIsBetter: higherIsBetter, directionSource: "test", rcv: try rcv())
    }

    @Test func responseThenRelapseIsCalledAgainstTheBestValue() throws {
        let calls = try Self.series([(0, 0), (28, 0.3), (56, 1.2), (84, 2.0), (112, 0.5)]).calls
        #expect(calls.map(\.call) == [.baseline, .stable, .response, .response, .progression])
        #expect(
            calls[4].evidence
                == "worse than the best value so far by 1.5 cycles, beyond the reference change of ±0.89 cycles")
        #expect(calls[2].evidence == "better than baseline by 1.2 cycles, beyond the reference change of ±0.89 cycles")
        // Lower is better (miR-21): the mirror image gives the same calls.
        let mirrored = try Self.series(
            [(0, 0), (28, -0.3), (56, -1.2), (84, -2.0), (112, -0.5)], higherIsBetter: false)
        #expect(mirrored.calls.map(\.call) == calls.map(\.call))
    }

    /// A panel score (log-odds of the tumour class) is additive like −ΔCq: a fall beyond the reference change is a
    /// response when lower is better, a later rise above the best value a progression.
    @Test func aPanelScoreIsJudgedOnTheLogOddsScale() throws {
        let rcv = try ReferenceChangeValue(scale: .logOdds, analytical: 0.3, withinSubject: 0.36)
        // Rscript -e 'print(qnorm(0.975) * sqrt(2) * sqrt(0.3^2 + 0.36^2), digits = 10)' -> 1.298910587
        #expect(abs(rcv.up - 1.298910587) < 1e-9)
        let series = ResponseSeries(
            patient: "P1", analyte: "panel X",
            values: [(0, 2.0), (28, 0.5), (56, 0.4), (84, 2.0)].enumerated().map { index, point in
                MonitoredValue(sample: "V\(index + 1)", day: point.0, value: point.1)
            }, higherIsBetter: false, directionSource: "test", rcv: rcv)
        #expect(series.calls.map(\.call) == [.baseline, .response, .response, .progression])
        #expect(
            series.calls[3].evidence
                == "worse than the best value so far by 1.6 log-odds, beyond the reference change of ±1.3 log-odds")
    }

    @Test func unjudgeableTimepointsSayWhy() throws {
        let qc = try Self.series(
            [(-7, 0), (28, nil), (56, 2)], reasons: [1: "EV preparation failed QC (preparation-qc)"])
        #expect(qc.calls.map(\.call) == [.baseline, .notEvaluable, .response])
        #expect(qc.calls[1].evidence == "EV preparation failed QC (preparation-qc)")
        let noBaseline = try Self.series([(14, 0), (28, 1)])
        #expect(noBaseline.calls.allSatisfy { $0.call == .notEvaluable })
        #expect(noBaseline.calls[0].evidence == "no baseline: no evaluable sample at or before the treatment event")
        let single = try Self.series([(0, 0)])
        #expect(single.calls.map(\.evidence) == ["one timepoint: a change needs at least two"])
        #expect(single.current?.call == .notEvaluable)
    }

    @Test func theTrendIsTheilSenPerFourWeeks() throws {
        let series = try Self.series([(0, 0), (28, 0.5), (56, 0.9), (84, 1.6), (112, 1.9)])
        let trend = try #require(series.trend)
        // The last four values at months 1–4: pairwise slopes 0.4, 0.55, 0.467, 0.7, 0.5, 0.3 → median 0.4833.
        #expect(abs(trend.slope - (0.467 + 0.5) / 2) < 0.001)
    }
}

/// Patient-level calls, treatment events and alerts.
struct PatientCallTests {
    @Test func treatmentEventsReadStartsSwitchesStopsAndRestarts() {
        let events = TreatmentEvent.events(
            [(56, "docetaxel"), (0, "cisplatin"), (28, "cisplatin"), (84, nil), (112, "docetaxel")],
            event: "treatment start")
        #expect(
            events == [
                TreatmentEvent(day: 0, label: "treatment start: cisplatin"),
                TreatmentEvent(day: 56, label: "switch to docetaxel"),
                TreatmentEvent(day: 84, label: "treatment stopped"),
                TreatmentEvent(day: 112, label: "restart: docetaxel"),
            ])
        #expect(TreatmentEvent.events([(0, ""), (28, nil)], event: "x").isEmpty)
    }

    @Test func progressionAndQCFailuresRaiseAlertsWithTheirEvidence() throws {
        let rcv = try ReferenceChangeValue(scale: .cq, analytical: 0.2, withinSubject: 0.25)
        let mir4458 = ResponseSeries(
            patient: "P1", analyte: "hsa-miR-4458",
            values: [
                MonitoredValue(sample: "V1", day: 0, value: 0), MonitoredValue(sample: "V2", day: 28, value: -1.5),
                MonitoredValue(
                    sample: "V3", day: 56, value: nil, notEvaluable: "EV preparation failed QC (preparation-qc)"),
            ], higherIsBetter: true, directionSource: "test", rcv: rcv)
        let mir21 = ResponseSeries(
            patient: "P1", analyte: "hsa-miR-21-5p",
            values: [
                MonitoredValue(sample: "V1", day: 0, value: 0), MonitoredValue(sample: "V2", day: 28, value: 0.1),
                MonitoredValue(sample: "V3", day: 56, value: 0.2),
            ], higherIsBetter: false, directionSource: "test", rcv: rcv)
        let timepoints = PatientTimepoint.combine([mir4458, mir21])
        #expect(timepoints.map(\.call) == [.baseline, .progression, .stable])
        #expect(timepoints[1].drivers == ["hsa-miR-4458"])
        let alerts = MonitoringAlert.alerts(patient: "P1", timepoints: timepoints, series: [mir4458, mir21])
        #expect(alerts.map(\.kind) == [.progression, .qcFailure])
        #expect(
            alerts[0].evidence
                == "progression from day 28: hsa-miR-4458: worse than the best value so far by 1.5 cycles, beyond the reference change of ±0.89 cycles"
        )
        #expect(alerts[1].evidence == "day 56: hsa-miR-4458: EV preparation failed QC (preparation-qc)")
    }

    /// One alert per progression episode: two progression calls in a row raise one alert, at the first; a stable
    /// call ends the episode and the next progression raises a second.
    @Test func oneAlertPerProgressionEpisode() throws {
        let rcv = try ReferenceChangeValue(scale: .cq, analytical: 0.2, withinSubject: 0.25)
        let days = [0.0, 28, 56, 84, 112]
        let values = [0.0, -1.5, -1.6, 0.1, -1.5]
        let series = ResponseSeries(
            patient: "P1", analyte: "hsa-miR-4458",
            values: zip(days, values).enumerated().map { index, point in
                MonitoredValue(sample: "V\(index + 1)", day: point.0, value: point.1)
            }, higherIsBetter: true, directionSource: "test", rcv: rcv)
        let timepoints = PatientTimepoint.combine([series])
        #expect(timepoints.map(\.call) == [.baseline, .progression, .progression, .stable, .progression])
        let alerts = MonitoringAlert.alerts(patient: "P1", timepoints: timepoints, series: [series])
        #expect(alerts.map(\.sample) == ["V2", "V5"])
        #expect(alerts.allSatisfy { $0.kind == .progression })
        #expect(
            alerts[1].evidence.hasPrefix(
                "progression from day 112: hsa-miR-4458: worse than the best value so far by 1.6 cycles"))
    }
}
