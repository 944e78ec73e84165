import ExoCore
import ExoFormats
import ExoQuant
import ExoStats
import ExoTestSupport
import Foundation
import Testing

struct StandardCurveTests {
    /// The 15 standards of the StepOne file with the Cq the instrument stored.
    static func stepOnePoints() throws -> [StandardCurve.Point] {
        let document = try RDMLReader.read(url: Fixture.url("rdml/stepone_std.rdml"), displayPath: "stepone_std.rdml")
        return document.reactions.compactMap { reaction in
            guard let sample = document.sample(reaction.sample), sample.kind == .std, let quantity = sample.quantity
            else { return nil }
            return StandardCurve.Point(quantity: quantity, cq: reaction.data.first?.cq)
        }
    }

    // statsmodels 0.15.0 OLS of these 15 (log10 quantity, Cq) pairs:
    //   params 40.76807191..., -3.47704243...; rsquared 0.9994983185936354; bse[1] 0.02160535...;
    //   conf_int(0.05) slope (-3.52371795..., -3.43036691...). The file stores efficiency 93.91181 %.
    @Test func stepOneCurveMatchesOLSAndTheInstrument() throws {
        let points = try Self.stepOnePoints()
        #expect(points.count == 15)
        let curve = try #require(StandardCurve(points: points))
        #expect(abs(curve.fit.slope - -3.4770424268119022) < 1e-12)
        #expect(abs(curve.fit.intercept - 40.76807190724763) < 1e-11)
        #expect(abs(curve.fit.rSquared - 0.9994983185936354) < 1e-12)
        #expect(abs(curve.fit.slopeStandardError - 0.02160534882383833) < 1e-14)
        #expect(abs(curve.efficiency - 0.9391024148249498) < 1e-12)
        // StepOne stored 93.91181 %, computed from its own unrounded Cq: agreement to 0.002 percentage points.
        #expect(abs(curve.efficiency * 100 - 93.91181) < 0.002)
        let interval = try #require(curve.efficiencyInterval)
        // The slope bounds (-3.5237, -3.4304) give efficiencies 0.9220 and 0.9567.
        #expect(interval.lowerBound < curve.efficiency && curve.efficiency < interval.upperBound)
        // statsmodels slope bounds through 10^(−1/slope) − 1: 0.9221671864989982 and 0.9566538696513522.
        #expect(abs(interval.lowerBound - 0.9221671864989982) < 1e-10)
        #expect(abs(interval.upperBound - 0.9566538696513522) < 1e-10)
        #expect(curve.limitOfDetection == 625)
        #expect(curve.levels.map(\.detected) == [3, 3, 3, 3, 3])
    }

    @Test func unknownsAreQuantifiedAndRangeChecked() throws {
        let curve = try #require(StandardCurve(points: try Self.stepOnePoints()))
        // pop1 Cq ≈ 28.84 → 10^((28.84 − intercept) / slope) with the statsmodels fit: 2694.774277323082.
        #expect(abs(curve.quantity(cq: 28.84) - 2694.774277323082) < 1e-6)
        #expect(curve.isWithinRange(2_694) && !curve.isWithinRange(50))
    }

    @Test func limitOfDetectionNeeds95PercentOfReplicates() throws {
        var points: [StandardCurve.Point] = []
        for (quantity, cq) in [(1e5, 20.0), (1e4, 23.3), (1e3, 26.6), (1e2, 29.9), (1e1, 33.2)] {
            for replicate in 0..<20 {
                // At 10 copies, 2 of 20 replicates fail (90 %); at 100 copies 1 of 20 fails (95 %).
                let failed = (quantity == 1e1 && replicate < 2) || (quantity == 1e2 && replicate == 0)
                points.append(.init(quantity: quantity, cq: failed ? nil : cq + Double(replicate % 3) * 0.05))
            }
        }
        let curve = try #require(StandardCurve(points: points))
        #expect(curve.limitOfDetection == 100)
        #expect(abs(curve.efficiency - (pow(10, 1 / 3.3) - 1)) < 1e-3)
    }

    @Test func dilutionChainTurnsCopiesPerReactionIntoCopiesPerMilliliter() {
        // 1 mL serum → RNA in 50 µL; 5 µL into a 20 µL RT; 2 µL cDNA per PCR: × 10 × 10 / 1 = 100.
        let chain = DilutionChain(
            inputVolumeMilliliters: 1, elutionVolumeMicroliters: 50, rtInputMicroliters: 5, rtVolumeMicroliters: 20,
            pcrInputMicroliters: 2)
        #expect(chain.copiesPerMilliliterFactor == 100)
    }
}
