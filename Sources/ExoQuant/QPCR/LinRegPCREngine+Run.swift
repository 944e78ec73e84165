#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LinRegPCREngine {
    /// Runs every step in order and assembles the results.
    mutating func run() -> LinRegPCRRunResult {
        guard rowCount > 0 else {
            return LinRegPCRRunResult(results: [], commonThreshold: .nan, hadNegativeRawData: false, cycles: n)
        }
        shiftNegativeRawData()
        let initialNoPlateau = screenAmplification()
        fitBaselines()
        checkInstability(noPlateauAtScreen: initialNoPlateau)
        for row in 0..<rowCount where curves[row].isExcluded { skip[row] = true }
        let lastMeanMax = lastCyclesMeanMax(noPlateau: initialNoPlateau)
        upper[0] = 0.1 * lastMeanMax
        lower[0] = 0.1 * lastMeanMax / 16
        maxTotal = Self.nanMax(corrected.joined())
        minTotal = Self.nanMin(corrected.joined())
        if minTotal < maxTotal / 10_000 { minTotal = maxTotal / 10_000 }
        checkNoisiness(noPlateauAtScreen: initialNoPlateau)
        for target in stride(from: 1, through: groupCount, by: 1) {
            upper[target] = upper[0]
            lower[target] = lower[0]
        }
        for row in 0..<rowCount {
            noPlateau[row] = noAmplification[row] || baselineError[row] || stopCycle[row] == n
        }
        for target in stride(from: 1, through: groupCount, by: 1) {
            setWindowOfLinearity(target: target)
            recheckPlateau(target: target)
        }
        return results()
    }

    /// §2.1: rows with negative raw values are shifted up by (max − min)/100 − min.
    mutating func shiftNegativeRawData() {
        guard Self.nanMin(raw.joined()) < 0 else { return }
        hadNegativeRawData = true
        for row in 0..<rowCount {
            let low = Self.nanMin(raw[row])
            guard low < 0 else { continue }
            negativeShift[row] = (Self.nanMax(raw[row]) - low) / 100 - low
            raw[row] = raw[row].map { $0 + negativeShift[row] }
        }
        corrected = raw
    }

    /// §2.2: does each curve amplify at all (on the curve minus 0.99 × its minimum)? Returns the first
    /// no-plateau call, which later steps use before it is recomputed.
    mutating func screenAmplification() -> [Bool] {
        var firstNoPlateau = Array(repeating: false, count: rowCount)
        for row in 0..<rowCount {
            let rawModified = Self.cleanedRow(raw[row])
            let slope = Self.logSlope(rawModified)
            let minimum = Self.nanMin(rawModified)
            minimumFluorescence[row] = minimum
            let minCorrected = Self.cleanedRow(rawModified.map { $0 - 0.99 * minimum })
            let valid = Double(minCorrected.filter { !$0.isNaN }.count)
            let minSlope = Self.logSlope(minCorrected)
            if slope < 0 || minSlope < log10(7.0) / valid { noAmplification[row] = true }
            var positions: [Int] = []
            for (index, value) in minCorrected.enumerated() where !value.isNaN {
                positions.append(index)
                if positions.count > 10 { break }
            }
            let p = { (k: Int) in k < positions.count ? positions[k] : 0 }
            let m = minCorrected
            let early = (m[p(0)] + m[p(1)]) / 2
            let late = (m[p(8)] + m[p(9)]) / 2
            if late / early < 2.0 {
                let lo = p(0)
                let hi = p(9)
                let meanFirst = lo <= hi ? Self.nanMean(Array(m[lo...hi])) : .nan
                if m[n - 1] / meanFirst < 7 { noAmplification[row] = true }
            }
            if !noAmplification[row] {
                stopCycle[row] = Self.stopCycle(minCorrected)
                (startCycle[row], startCycleFix[row]) = Self.startCycle(minCorrected, stop: stopCycle[row])
            } else {
                skip[row] = true
                stopCycle[row] = n
                startCycle[row] = 1
                startCycleFix[row] = 1
            }
            var found = 0
            var one = 0
            var two = 0
            var cycle = stopCycle[row] - 2
            while cycle > 0 {
                if !Self.at(minCorrected, cycle).isNaN {
                    if found == 0 { one = cycle + 1 } else { two = cycle + 1 }
                    found += 1
                    if found > 1 { break }
                }
                cycle -= 1
            }
            let atStop = Self.at(minCorrected, stopCycle[row])
            let atOne = Self.at(minCorrected, one)
            let atTwo = Self.at(minCorrected, two)
            if !(atStop > atOne && atOne > atTwo) {
                noAmplification[row] = true
                skip[row] = true
            }
            firstNoPlateau[row] = noAmplification[row] || baselineError[row] || stopCycle[row] == n
        }
        noPlateau = firstNoPlateau
        let lastMeanMax = lastCyclesMeanMaxOf(
            rows: (0..<rowCount).map {
                Self.cleanedRow(raw[$0]).map { [m = minimumFluorescence[$0]] in $0 - 0.99 * m }
            },
            noPlateau: firstNoPlateau)
        upper[0] = 0.1 * lastMeanMax
        lower[0] = 0.1 * lastMeanMax / 16
        return firstNoPlateau
    }

    /// `lastCyclesMeanMax` over given rows (the minimum-corrected curves of the screen).
    func lastCyclesMeanMaxOf(rows: [[Double]], noPlateau: [Bool]) -> Double {
        let from = max(n - 11, 0)
        var maxima: [Double] = []
        for row in 0..<rowCount {
            let cleaned = Self.cleanedRow(rows[row])
            maxima.append(skip[row] || noPlateau[row] ? .nan : Self.nanMax(cleaned[from...]))
        }
        let mean = Self.nanMean(maxima)
        return mean.isNaN ? Self.nanMax(maxima) : mean
    }

    /// §2.6: a constant baseline per curve, lowered until the log-linear phase is straight.
    mutating func fitBaselines() {
        for row in 0..<rowCount {
            if !noAmplification[row] {
                fitBaseline(row: row)
            }
            if noAmplification[row] || baselineError[row] {
                skip[row] = true
                baseline[row] = 0.99 * minimumFluorescence[row]
                corrected[row] = Self.cleanedRow(raw[row].map { [b = baseline[row]] in $0 - b })
                stopCycle[row] = n
                startCycle[row] = n + 1
                startCycleFix[row] = n + 1
                efficiency[row] = .nan
            }
            if Self.negativeControls.contains(curves[row].sampleType) { skip[row] = true }
        }
    }

    mutating func fitBaseline(row: Int) {
        baselineError[row] = true
        let f = raw[row]
        // The reference cleans the whole matrix whenever it cleans a row, so every row after the first
        // finds its first valid cycle on cleaned data.
        let lookup = row == 0 ? f : Self.cleanedRow(f)
        var first = 1
        while Self.at(lookup, first).isNaN && first < stopCycle[row] { first += 1 }
        var start = stopCycle[row]
        var remaining = 5
        while remaining > 0 && start > first {
            start -= 1
            if !Self.at(f, start).isNaN { remaining -= 1 }
        }
        var background = 0.99 * Self.at(f, start)
        var applied = background
        var current = Self.cleanedRow(f.map { $0 - background })
        var trials = 0
        var slopeLow = 0.0
        var slopeHigh = 0.0
        // Phase 1: lower the (too high) baseline until the lower half is less steep than the upper half.
        while true {
            trials += 1
            stopCycle[row] = Self.stopCycle(current)
            (startCycle[row], startCycleFix[row]) = Self.startCycle(current, stop: stopCycle[row])
            guard stopCycle[row] - startCycleFix[row] > 0 else { break }
            (slopeLow, slopeHigh) = Self.halfSlopes(current, stop: stopCycle[row], startFix: startCycleFix[row])
            applied = background
            if slopeLow >= slopeHigh {
                background *= 0.99
                current = Self.cleanedRow(f.map { $0 - background })
            }
            if slopeLow < slopeHigh || slopeHigh < log10(1.2) || background <= 0 || trials > 1000 { break }
        }
        if slopeLow < slopeHigh { baselineError[row] = false }
        // Phase 2: fine-tune until both halves have the same slope.
        let step = 0.005 * background
        var baseStep = 1.0
        trials = 0
        var trialsToShift = 0
        var difference = 10.0
        var sign = 0
        var shifted = false
        var lastSlope = -1.0
        while true {
            trials += 1
            trialsToShift += 1
            if trialsToShift > 10 && !shifted {
                baseStep *= 2
                trialsToShift = 0
            }
            let lastSign = sign
            let lastDifference = difference
            applied = background
            lastSlope = slopeHigh
            current = Self.cleanedRow(f.map { $0 - background })
            stopCycle[row] = Self.stopCycle(current)
            (startCycle[row], startCycleFix[row]) = Self.startCycle(current, stop: stopCycle[row])
            guard stopCycle[row] - startCycleFix[row] > 0 else { break }
            (slopeLow, slopeHigh) = Self.halfSlopes(current, stop: stopCycle[row], startFix: startCycleFix[row])
            difference = abs(slopeLow - slopeHigh)
            sign = slopeLow - slopeHigh > 0 ? 1 : -1
            if slopeLow < slopeHigh {
                background += baseStep * step
            } else {
                background -= baseStep * step * 2
                baseStep /= 2
                shifted = true
            }
            if (abs(difference - lastDifference) < 0.00001 && sign == lastSign && shifted) || difference < 0.0001
                || slopeHigh < log10(1.2) || trials > 1000
            {
                break
            }
        }
        if difference < 0.0001 { baselineError[row] = false }
        baseline[row] = applied
        corrected[row] = current
        if Self.at(current, stopCycle[row]) / Self.at(current, startCycleFix[row]) < 20 { shortLogLin[row] = true }
        efficiency[row] = Self.exp10(lastSlope)
    }

    /// §2.7: flags a short log-linear phase whose Cq moves by more than a cycle when its baseline moves ±5 %.
    mutating func checkInstability(noPlateauAtScreen: [Bool]) {
        let saved = noPlateau
        noPlateau = noPlateauAtScreen
        let meanAll = meanEfficiency(target: 0).mean
        noPlateau = saved
        let checkBaseline = log10(upper[0]) - log10(meanAll)
        var scratchHasValues = false
        for row in 0..<rowCount where shortLogLin[row] && !noAmplification[row] && !baselineError[row] {
            let up = Self.cleanedRow(raw[row].map { [b = baseline[row]] in $0 - 1.05 * b })
            let upHasValues = up.contains { !$0.isNaN }
            let upParameters = Self.parameters(
                upHasValues || scratchHasValues ? up : corrected[row], upper: upper[0], lower: lower[0])
            let cqUp =
                upParameters.efficiency > 1.000000000001
                ? upParameters.meanX + (checkBaseline - upParameters.meanY) / log10(upParameters.efficiency) : 0
            let down = Self.cleanedRow(raw[row].map { [b = baseline[row]] in $0 - 0.95 * b })
            if down.contains(where: { !$0.isNaN }) { scratchHasValues = true }
            let downParameters = Self.parameters(down, upper: upper[0], lower: lower[0])
            let cqDown =
                downParameters.efficiency > 1.000000000001
                ? downParameters.meanX + (checkBaseline - downParameters.meanY) / log10(downParameters.efficiency) : 0
            if abs(cqUp - cqDown) > 1.0 {
                instable[row] = true
                if options.excludeInstableBaseline {
                    baselineError[row] = true
                    skip[row] = true
                    cqShifting[row] = true
                }
            }
        }
    }

    /// §2.9: a curve whose point just below the window already lies inside it, and that does not rise cleanly
    /// into the window, is noisy.
    mutating func checkNoisiness(noPlateauAtScreen: [Bool]) {
        noPlateau = noPlateauAtScreen
        var top = meanStopFluorescence(target: 0)
        guard top > 0 else { return }
        top = log10(top)
        setWindow(target: 0, top: top, width: Double(Self.pointsInWindowOfLinearity) * logStepAtStop(target: 0))
        applyWindow(target: 0)
        let mean = meanEfficiency(target: 0).mean
        guard mean >= 1.001 else { return }
        let width = log10(pow(mean, Double(Self.pointsInWindowOfLinearity)))
        setWindow(target: 0, top: top, width: width)
        let lowLimit = top - width + 0.0043
        for row in 0..<rowCount where !skip[row] {
            let f = corrected[row]
            let (windowStart, windowStop, _) = Self.window(f, upper: upper[0], lower: lower[0])
            var belowStart = windowStart - 1
            while Self.at(f, belowStart).isNaN && belowStart > 1 { belowStart -= 1 }
            var belowStop = windowStop - 1
            while Self.at(f, belowStop).isNaN && belowStop > 2 { belowStop -= 1 }
            var startValue = Self.at(f, belowStart)
            if startValue.isNaN { startValue = 0.00001 }
            let startStep = log10(Self.at(f, windowStart)) - log10(startValue)
            let stopStep = log10(Self.at(f, windowStop)) - log10(Self.at(f, belowStop))
            let clean =
                (startValue < Self.at(f, windowStart) && startStep < 1.2 * stopStep)
                || Double(windowStart - belowStart) > 1.2
            if log10(startValue) > lowLimit && !clean {
                noisy[row] = true
                skip[row] = true
            }
        }
    }
}
