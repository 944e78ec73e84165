import ExoStats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LinRegPCREngine {
    /// §4–§5: thresholds, the six efficiency variants per target, Cq and N0, and the flags.
    mutating func results() -> LinRegPCRRunResult {
        let skipNoPlateau = (0..<rowCount).map { skip[$0] || noPlateau[$0] }
        let logThresholds = (1...max(groupCount, 1)).map { groupCount == 0 ? Double.nan : log10(threshold[$0]) }
        threshold[0] = Self.exp10(logThresholds.reduce(0, +) / Double(logThresholds.count))
        markTooLowCq()

        let variants = 6
        var meanEfficiency = Array(repeating: Array(repeating: 0.0, count: variants), count: rowCount)
        var standardDeviation = meanEfficiency
        var cq = Array(repeating: Array(repeating: Double.nan, count: variants), count: rowCount)
        var n0Variant = cq
        var individualCq = Array(repeating: Double.nan, count: rowCount)
        var individualCqGroup = individualCq
        var outsideMean = Array(repeating: false, count: rowCount)
        var outsideMeanPlateau = outsideMean
        var outlier = outsideMean
        var outlierPlateau = outsideMean
        let efficiencyOrZero = efficiency.map { $0.isNaN ? 0 : $0 }
        let range = options.efficiencyRange

        for target in stride(from: 1, through: groupCount, by: 1) {
            let inGroup = (0..<rowCount).map { group[$0] == target }
            let skipSet = (0..<rowCount).map { row -> Double in
                tooLowCqEfficiency[row] || skip[row] || efficiencyOrZero[row] < 1.001 || !inGroup[row]
                    ? .nan : efficiency[row]
            }
            let plateauSet = (0..<rowCount).map { skipNoPlateau[$0] ? Double.nan : skipSet[$0] }
            // The median filter: a first pass only sets flags, the second sets and clears them.
            var median = Self.nanMedian(skipSet)
            var medianPlateau = Self.nanMedian(plateauSet)
            func outside(_ value: Double, _ median: Double) -> Bool {
                median.isNaN || !(median - range <= value && value <= median + range)
            }
            for row in 0..<rowCount where inGroup[row] && !efficiency[row].isNaN {
                if outside(efficiency[row], median) { outsideMean[row] = true }
                if outside(efficiency[row], medianPlateau) { outsideMeanPlateau[row] = true }
            }
            median = Self.nanMedian((0..<rowCount).map { outsideMean[$0] ? .nan : skipSet[$0] })
            medianPlateau = Self.nanMedian((0..<rowCount).map { outsideMeanPlateau[$0] ? .nan : plateauSet[$0] })
            for row in 0..<rowCount where inGroup[row] {
                if efficiency[row].isNaN {
                    outsideMean[row] = true
                    outsideMeanPlateau[row] = true
                } else {
                    outsideMean[row] = outside(efficiency[row], median)
                    outsideMeanPlateau[row] = outside(efficiency[row], medianPlateau)
                }
            }
            for row in Self.outliers(skipSet, noPlateau: noPlateau) { outlier[row] = true }
            for row in Self.outliers(plateauSet, noPlateau: noPlateau) { outlierPlateau[row] = true }
            let sets = [
                skipSet, plateauSet,
                (0..<rowCount).map { outsideMean[$0] ? .nan : skipSet[$0] },
                (0..<rowCount).map { outsideMeanPlateau[$0] ? .nan : plateauSet[$0] },
                (0..<rowCount).map { outlier[$0] ? .nan : skipSet[$0] },
                (0..<rowCount).map { outlierPlateau[$0] ? .nan : plateauSet[$0] },
            ]
            let means = sets.map(Self.nanMean)
            let deviations = sets.map(Self.nanStandardDeviation)
            let flagsByVariant = [nil, nil, outsideMean, outsideMeanPlateau, outlier, outlierPlateau]
            for row in 0..<rowCount where inGroup[row] {
                meanEfficiency[row] = means
                standardDeviation[row] = deviations
                let chemistry = curves[row].chemistry
                var correction = chemistry.isProbe ? -1.0 : 0.0
                let e = efficiency[row]
                if !e.isNaN && e > 1.0001 && threshold[target] > 0.0001 && !(noAmplification[row] || baselineError[row])
                {
                    if chemistry == .dnaZymeProbe { correction = -1 + log10(1 / (1 - 1 / e)) / log10(e) }
                    individualCq[row] = meanX[row] + (log10(threshold[0]) - meanY[row]) / log10(e) + correction
                    individualCqGroup[row] =
                        meanX[row] + (log10(threshold[target]) - meanY[row]) / log10(e) + correction
                }
                if !e.isNaN && e > 1.0 {
                    for variant in 0..<variants where !means[variant].isNaN && means[variant] > 1.001 {
                        let mean = means[variant]
                        if chemistry == .dnaZymeProbe { correction = -1 + log10(1 / (1 - 1 / mean)) / log10(mean) }
                        cq[row][variant] = meanX[row] + (log10(threshold[0]) - meanY[row]) / log10(mean) + correction
                    }
                }
                if !e.isNaN && e > 1.0 && individualCq[row] > 0 && individualCq[row] < Double(2 * n) {
                    for variant in 0..<variants where !means[variant].isNaN && means[variant] > 1.001 {
                        n0Variant[row][variant] = threshold[0] / pow(means[variant], cq[row][variant])
                    }
                }
                if noPlateau[row] {
                    for variant in 2..<variants where flagsByVariant[variant]?[row] == true {
                        n0Variant[row][variant] = .nan
                    }
                }
            }
        }

        var results: [LinRegPCRResult] = []
        for row in 0..<rowCount {
            let target = group[row]
            results.append(
                LinRegPCRResult(
                    curve: curves[row], baseline: baseline[row] - negativeShift[row], lowerLimit: lower[target],
                    upperLimit: upper[target], commonThreshold: threshold[0], groupThreshold: threshold[target],
                    pointsInLogPhase: stopCycle[row] - startCycleFix[row] + 1, lastLogCycle: stopCycle[row],
                    pointsInWindow: pointsInWindow[row], logLinCycle: meanX[row],
                    logLinFluorescence: Self.exp10(meanY[row]),
                    individualEfficiency: efficiency[row], rSquared: correlation[row] * correlation[row],
                    individualN0: n0[row], individualCq: individualCq[row],
                    individualCqGroupThreshold: individualCqGroup[row],
                    variants: (0..<variants).map {
                        .init(
                            meanEfficiency: meanEfficiency[row][$0], standardDeviation: standardDeviation[row][$0],
                            n0: n0Variant[row][$0], cq: cq[row][$0])
                    },
                    chosenVariant: options.variant, amplified: !noAmplification[row], baselineError: baselineError[row],
                    instableBaseline: instable[row], plateau: !noPlateau[row], noisy: noisy[row],
                    outsideMeanRange: outsideMean[row], outsideMeanRangeNoPlateau: outsideMeanPlateau[row],
                    efficiencyOutlier: outlier[row], efficiencyOutlierNoPlateau: outlierPlateau[row],
                    shortLogLinPhase: shortLogLin[row], cqIsShifting: cqShifting[row],
                    tooLowCqEfficiency: tooLowCqEfficiency[row], tooLowCqN0: tooLowCqN0[row],
                    usedForWindow: usedInWindow[row], correctedFluorescence: corrected[row]))
        }
        return LinRegPCRRunResult(
            results: results, commonThreshold: threshold[0], hadNegativeRawData: hadNegativeRawData, cycles: n)
    }

    /// §5: probes whose Cq is too low for a reliable efficiency or N0 at their efficiency.
    mutating func markTooLowCq() {
        let criticalEfficiency: [Double] = [28, 28, 19, 16, 14, 12, 11, 11, 10, 10, 9]
        let criticalN0: [Double] = [40, 40, 27, 19, 16, 13, 12, 11, 10, 9, 9]
        for row in 0..<rowCount where curves[row].chemistry.isProbe {
            let chemistry = curves[row].chemistry
            let nucleotide = curves[row].nucleotide
            var offset = 0.0
            if chemistry == .labelledReversePrimer && ["DNA", "genomic DNA"].contains(nucleotide) { offset = 1 }
            if chemistry == .dnaZymeProbe && ["DNA", "genomic DNA"].contains(nucleotide) { offset = 4 }
            if chemistry == .dnaZymeProbe && ["cDNA", "RNA"].contains(nucleotide) { offset = 6 }
            let e = efficiency[row]
            guard !e.isNaN, e > 1.0001, threshold[group[row]] > 0.0001, !(noAmplification[row] || baselineError[row])
            else { continue }
            let index = min(max(Int((10 * e + 1 - 10).rounded(.towardZero)), 0), 10)
            let cq = meanX[row] + (log10(threshold[0]) - meanY[row]) / log10(e)
            if cq > 0 {
                if cq < criticalEfficiency[index] + offset { tooLowCqEfficiency[row] = true }
                if cq < criticalN0[index] + offset { tooLowCqN0[row] = true }
            }
        }
    }

    /// §4.7: Grubbs outliers of a significantly skewed set (skewness test at α/2, Grubbs at α/N), and
    /// curves without plateau at the extreme of a skewed set.
    static func outliers(_ data: [Double], noPlateau: [Bool], alpha: Double = 0.05) -> [Int] {
        var values = data
        var removed: [Int] = []
        while true {
            let finite = values.filter { !$0.isNaN }
            let count = Double(finite.count)
            guard finite.count >= 3 else { break }
            let mean = finite.reduce(0, +) / count
            let sd = (finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)).squareRoot()
            let m2 = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
            let m3 = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) * ($1 - mean) } / count
            let skewness = m2 == 0 ? Double.nan : m3 / pow(m2, 1.5) * (count * (count - 1)).squareRoot() / (count - 2)
            let standardError = (6 * count * (count - 1) / ((count - 2) * (count + 1) * (count + 3))).squareRoot()
            let p = erfc(abs(skewness) / standardError / 2.0.squareRoot())
            guard p < alpha / 2 else { break }
            let t = StudentT(degreesOfFreedom: count - 2).quantile(1 - (alpha / count) / 2)
            let critical = (count - 1) / count.squareRoot() * (t * t / (count - 2 + t * t)).squareRoot()
            var position = -1
            var extreme = 0.0
            for (index, value) in values.enumerated() where !value.isNaN {
                if position < 0 || (skewness > 0 ? value > extreme : value < extreme) {
                    position = index
                    extreme = value
                }
            }
            let statistic = skewness > 0 ? (extreme - mean) / sd : (mean - extreme) / sd
            guard statistic > critical || noPlateau[position] else { break }
            values[position] = .nan
            removed.append(position)
        }
        return removed
    }
}
