#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The state of one LinRegPCR run.
///
/// Rows are curves, columns cycles; `cycle` arguments are 1-based, and a
/// cycle ≤ 0 wraps to the end of the row as the reference implementation's negative indices do (this only
/// happens for degenerate curves and keeps results identical there too).
struct LinRegPCREngine {
    let curves: [AmplificationCurve]
    let options: LinRegPCR.Options
    let rowCount: Int
    let n: Int
    /// Raw fluorescence (shifted up where it had negative values).
    var raw: [[Double]]
    /// Baseline-corrected fluorescence.
    var corrected: [[Double]]
    var negativeShift: [Double]
    var hadNegativeRawData = false

    let group: [Int]
    let groupCount: Int
    var upper: [Double]
    var lower: [Double]
    var threshold: [Double]
    var maxTotal = Double.nan
    var minTotal = Double.nan

    var noAmplification: [Bool]
    var baselineError: [Bool]
    var instable: [Bool]
    var noPlateau: [Bool]
    var noisy: [Bool]
    var skip: [Bool]
    var shortLogLin: [Bool]
    var cqShifting: [Bool]
    var usedInWindow: [Bool]
    var tooLowCqEfficiency: [Bool]
    var tooLowCqN0: [Bool]
    var stopCycle: [Int]
    var startCycle: [Int]
    var startCycleFix: [Int]
    var efficiency: [Double]
    var n0: [Double]
    var meanX: [Double]
    var meanY: [Double]
    var correlation: [Double]
    var pointsInWindow: [Int]
    var baseline: [Double]
    var minimumFluorescence: [Double]

    static let pointsInWindowOfLinearity = 4
    static let negativeControls: Set<String> = ["ntc", "nac", "ntp", "nrt", "opt"]

    init(curves: [AmplificationCurve], options: LinRegPCR.Options) {
        self.curves = curves
        self.options = options
        rowCount = curves.count
        let maxCycle = curves.flatMap(\.points).map(\.cycle).max() ?? 0
        n = max(Int(maxCycle.rounded(.up)), 1)
        var raw = Array(repeating: Array(repeating: Double.nan, count: n), count: curves.count)
        for (row, curve) in curves.enumerated() {
            for point in curve.points {
                var column = Int(point.cycle.rounded(.up)) - 1
                if column < 0 { column += n }  // the reference's negative index
                if column >= 0 && column < n { raw[row][column] = point.fluorescence }
            }
        }
        self.raw = raw
        corrected = raw
        negativeShift = Array(repeating: 0, count: curves.count)
        var groups: [String: Int] = [:]
        var group: [Int] = []
        for curve in curves {
            if groups[curve.target] == nil { groups[curve.target] = groups.count + 1 }
            group.append(groups[curve.target] ?? 0)
        }
        self.group = group
        groupCount = groups.count
        upper = Array(repeating: 0, count: groupCount + 1)
        lower = Array(repeating: 0, count: groupCount + 1)
        threshold = Array(repeating: 1, count: groupCount + 1)
        let falses = Array(repeating: false, count: curves.count)
        noAmplification = falses
        baselineError = falses
        instable = falses
        noPlateau = falses
        noisy = falses
        skip = falses
        shortLogLin = falses
        cqShifting = falses
        usedInWindow = falses
        tooLowCqEfficiency = falses
        tooLowCqN0 = falses
        stopCycle = Array(repeating: 0, count: curves.count)
        startCycle = stopCycle
        startCycleFix = stopCycle
        efficiency = Array(repeating: 1, count: curves.count)
        n0 = Array(repeating: 1, count: curves.count)
        meanX = Array(repeating: .nan, count: curves.count)
        meanY = meanX
        correlation = Array(repeating: 0, count: curves.count)
        pointsInWindow = stopCycle
        baseline = Array(repeating: 0, count: curves.count)
        minimumFluorescence = baseline
    }

    // MARK: - Small helpers

    /// The value of a 1-based cycle, Python-style wrapping for cycle ≤ 0, NaN beyond the end.
    @inline(__always) static func at(_ f: [Double], _ cycle: Int) -> Double {
        let index = cycle - 1
        if index >= 0 { return index < f.count ? f[index] : .nan }
        let wrapped = f.count + index
        return wrapped >= 0 ? f[wrapped] : .nan
    }

    /// NaN for missing, zero and negative values: fluorescence ≤ 1e-8 cannot be log-transformed.
    @inline(__always) static func cleaned(_ value: Double) -> Double { value.isNaN || value <= 1e-8 ? .nan : value }

    static func cleanedRow(_ values: [Double]) -> [Double] { values.map(cleaned) }

    static func nanMax(_ values: some Sequence<Double>) -> Double {
        var best = Double.nan
        for value in values where !value.isNaN && (best.isNaN || value > best) { best = value }
        return best
    }

    static func nanMin(_ values: some Sequence<Double>) -> Double {
        var best = Double.nan
        for value in values where !value.isNaN && (best.isNaN || value < best) { best = value }
        return best
    }

    static func nanMean(_ values: [Double]) -> Double {
        let finite = values.filter { !$0.isNaN }
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
    }

    /// Population standard deviation (ddof = 0) of the non-NaN values.
    static func nanStandardDeviation(_ values: [Double]) -> Double {
        let finite = values.filter { !$0.isNaN }
        guard !finite.isEmpty else { return .nan }
        let mean = finite.reduce(0, +) / Double(finite.count)
        return (finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count)).squareRoot()
    }

    static func nanMedian(_ values: [Double]) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// 10^x.
    @inline(__always) static func exp10(_ x: Double) -> Double { pow(10, x) }

    /// Least-squares slope of log10 f against the cycle over the non-NaN points of a whole row.
    static func logSlope(_ f: [Double]) -> Double {
        var sumX = 0.0
        var sumY = 0.0
        var sumXX = 0.0
        var sumXY = 0.0
        var count = 0.0
        for (index, value) in f.enumerated() where !value.isNaN {
            let x = Double(index + 1)
            let y = log10(value)
            sumX += x
            sumY += y
            sumXX += x * x
            sumXY += x * y
            count += 1
        }
        let ssx = sumXX - sumX * sumX / count
        let sxy = sumXY - sumX * sumY / count
        return sxy / ssx
    }

    // MARK: - Log-linear phase

    /// The end of the log-linear phase: the maximum of the 3-point-averaged second derivative below the
    /// maximum of the first derivative (+2).
    ///
    /// Returns n for a curve without a plateau.
    static func stopCycle(_ f: [Double]) -> Int {
        let n = f.count
        var firstValid = 3
        while firstValid <= n && (at(f, firstValid).isNaN || at(f, firstValid - 1).isNaN || at(f, firstValid - 2).isNaN)
        {
            firstValid += 1
        }
        // First derivative d1[i] = f[i] − f[i−1] (0-based), d1[0] = NaN.
        var d1 = Array(repeating: Double.nan, count: n)
        var firstDerivativeMax = -1
        var best = -Double.infinity
        for i in 1..<max(n, 1) {
            d1[i] = f[i] - f[i - 1]
            if !d1[i].isNaN && d1[i] > best {
                best = d1[i]
                firstDerivativeMax = i
            }
        }
        guard firstDerivativeMax >= 0, best.isFinite || best == .infinity else { return n }
        var fdMax = firstDerivativeMax + 1  // cycle
        // Second derivative d2[i] = d1[i+1] − d1[i]; d2[n−1] = NaN.
        var d2 = Array(repeating: Double.nan, count: n)
        for i in 0..<max(n - 1, 0) { d2[i] = d1[i + 1] - d1[i] }
        if fdMax + 2 <= n {
            let a = at(f, fdMax)
            let b = at(f, fdMax + 1)
            let c = at(f, fdMax + 2)
            if !a.isNaN && !b.isNaN && !c.isNaN && c > b && b > a { fdMax += 2 }
        } else {
            fdMax = n
        }
        var maxMean = 0.0
        var stop = n
        if firstValid < fdMax {
            for cycle in firstValid..<fdMax {
                // Mean of d2 at 0-based indices cycle−2 … cycle (a NaN makes the mean NaN).
                let lo = cycle - 2
                let hi = min(cycle + 1, n)
                guard lo >= 0, hi > lo else { continue }
                var sum = 0.0
                for i in lo..<hi { sum += d2[i] }
                let mean = sum / Double(hi - lo)
                if !mean.isNaN && mean - maxMean > 1e-12 {
                    maxMean = mean
                    stop = cycle
                }
            }
        }
        if stop + 2 >= n { stop = n }
        return stop
    }

    /// The start of the log-linear phase (at most 11 cycles below the stop, while the curve does not fall),
    /// and the start moved up a cycle when its first step is much steeper than the last one.
    static func startCycle(_ f: [Double], stop: Int) -> (start: Int, fixed: Int) {
        var start = stop - 1
        var firstValid = 1
        while at(f, firstValid).isNaN && firstValid < start { firstValid += 1 }
        while start > firstValid && at(f, start).isNaN { start -= 1 }
        while start > firstValid && stop - start < 11 && !at(f, start - 1).isNaN && at(f, start - 1) <= at(f, start) {
            start -= 1
        }
        var fixed = start
        let s1 = at(f, start + 1)
        let s0 = at(f, start)
        let e1 = at(f, stop)
        let e0 = at(f, stop - 1)
        if !s1.isNaN && !s0.isNaN && !e1.isNaN && !e0.isNaN {
            let startStep = log10(s1) - log10(s0)
            let stopStep = log10(e1) - log10(e0)
            if startStep > 1.1 * stopStep { fixed += 1 }
        }
        return (start, fixed)
    }

    /// Slopes of log10 f over the lower and the upper half of [startFix, stop].
    static func halfSlopes(_ f: [Double], stop: Int, startFix: Int) -> (low: Double, high: Double) {
        var lowEnd = startFix
        var highStart = stop
        repeat {
            highStart -= 1
            lowEnd += 1
            while highStart - lowEnd > 1 && at(f, highStart).isNaN { highStart -= 1 }
            // The reference tests the stop cycle here, not lowEnd; kept for identical results.
            while highStart - lowEnd > 1 && at(f, stop).isNaN { lowEnd += 1 }
        } while highStart - lowEnd > 1
        func slope(_ from: Int, _ to: Int) -> Double {
            let sums = logSums(f, from: from, to: to)
            guard sums.count != 0 else { return -999.9 }
            return (sums.xy - sums.x * sums.y / sums.count) / (sums.xx - sums.x * sums.x / sums.count)
        }
        return (slope(startFix, lowEnd), slope(highStart, stop))
    }

    // MARK: - Window of linearity

    /// The first and last cycle of a curve inside a fluorescence window, and whether it misses the window.
    static func window(_ f: [Double], upper: Double, lower: Double) -> (start: Int, stop: Int, outside: Bool) {
        let stop = stopCycle(f)
        let (start, startFix) = startCycle(f, stop: stop)
        var stopMax = -1
        var best = -Double.infinity
        let from = max(startFix - 1, 0)
        if from < f.count {
            for index in from..<f.count where !f[index].isNaN && (stopMax < 0 || f[index] > best) {
                best = f[index]
                stopMax = index + 1
            }
        }
        guard stopMax > 0 else { return (start, start, true) }
        let startValue = at(f, start)
        let maxValue = at(f, stopMax)
        if startValue > upper || maxValue < lower {
            var windowStart = 0
            var windowStop = 0
            if startValue > upper {
                windowStart = start
                windowStop = start
            }
            if maxValue < lower {
                windowStart = stopMax
                windowStop = stopMax
            }
            return (windowStart, windowStop, true)
        }
        var windowStart = 0
        var windowStop = 0
        if maxValue < upper {
            windowStop = stopMax
        } else if stopMax > start {
            for cycle in stride(from: stopMax, to: start, by: -1) where at(f, cycle) > upper && upper > at(f, cycle - 1)
            {
                windowStop = cycle - 1
            }
        }
        if at(f, startFix) > lower {
            windowStart = startFix
        } else if stopMax > start {
            for cycle in stride(from: stopMax, to: start, by: -1) where at(f, cycle) > lower && lower > at(f, cycle - 1)
            {
                windowStart = cycle
            }
        }
        return (windowStart, windowStop, false)
    }

    /// Sums for the regression of log10 f on the cycle over the non-NaN cycles `from…to`, accumulated in
    /// ascending cycle order (the order fixes the last bits, which window ties depend on).
    static func logSums(_ f: [Double], from: Int, to: Int)
        -> (x: Double, y: Double, xx: Double, yy: Double, xy: Double, count: Double)
    {
        var sums = (x: 0.0, y: 0.0, xx: 0.0, yy: 0.0, xy: 0.0, count: 0.0)
        guard from <= to else { return sums }
        for cycle in from...to {
            let value = at(f, cycle)
            guard !value.isNaN else { continue }
            let x = Double(cycle)
            let y = log10(value)
            sums.x += x
            sums.y += y
            sums.xx += x * x
            sums.yy += y * y
            sums.xy += x * y
            sums.count += 1
        }
        return sums
    }

    /// The regression of log10 fluorescence on cycle inside the window.
    static func parameters(_ f: [Double], upper: Double, lower: Double)
        -> (meanX: Double, meanY: Double, efficiency: Double, n0: Double, included: Int, correlation: Double)
    {
        let (start, stop, outside) = window(f, upper: upper, lower: lower)
        let sums = logSums(f, from: start, to: stop)
        let (sumX, sumY, sumXX, sumYY, sumXY, count) = (sums.x, sums.y, sums.xx, sums.yy, sums.xy, sums.count)
        var ssx = 0.0
        var ssy = 0.0
        var sxy = 0.0
        if count > 1 {
            ssx = sumXX - sumX * sumX / count
            ssy = sumYY - sumY * sumY / count
            sxy = sumXY - sumX * sumY / count
        }
        let included = outside ? 0 : stop - start + 1
        guard ssx > 0, ssy > 0, count > 0 else { return (.nan, .nan, .nan, .nan, included, .nan) }
        let slope = sxy / ssx
        let intercept = sumY / count - slope * sumX / count
        return (sumX / count, sumY / count, exp10(slope), exp10(intercept), included, sxy / (ssx * ssy).squareRoot())
    }

    /// Writes the window parameters of every row of `target` (0: every row).
    mutating func applyWindow(target: Int) {
        for row in 0..<rowCount where target == 0 || group[row] == target {
            if noAmplification[row] || baselineError[row] {
                (meanX[row], meanY[row], efficiency[row], n0[row], pointsInWindow[row], correlation[row]) =
                    (.nan, .nan, .nan, .nan, 0, .nan)
            } else {
                (meanX[row], meanY[row], efficiency[row], n0[row], pointsInWindow[row], correlation[row]) =
                    Self.parameters(corrected[row], upper: upper[target], lower: lower[target])
            }
        }
    }

    /// Sets a window `width` decades wide below `top` (log10), on a 0.001-decade grid, clipped to the run.
    mutating func setWindow(target: Int, top: Double, width: Double) {
        var up = Self.exp10((1000 * top).rounded(.toNearestOrEven) / 1000)
        var low = Self.exp10((1000 * (top - width)).rounded(.toNearestOrEven) / 1000)
        up = Self.clip(up, maxTotal, minTotal)
        low = Self.clip(low, maxTotal, minTotal)
        upper[target] = up
        lower[target] = low
    }

    /// min(x, high) then max(·, low), NaN-propagating as numpy's minimum/maximum.
    static func clip(_ x: Double, _ high: Double, _ low: Double) -> Double {
        if x.isNaN || high.isNaN || low.isNaN { return .nan }
        return max(min(x, high), low)
    }

    /// Mean and sample variance of the usable efficiencies of a target (0: all rows).
    func meanEfficiency(target: Int, efficiencies: [Double]? = nil) -> (mean: Double, variance: Double) {
        let values = efficiencies ?? efficiency
        var count = 0.0
        var sum = 0.0
        var sumSquares = 0.0
        for row in 0..<rowCount where target == 0 || group[row] == target {
            if !(skip[row] || noPlateau[row] || shortLogLin[row]) && values[row] > 1.0 {
                count += 1
                sum += values[row]
                sumSquares += values[row] * values[row]
            }
        }
        guard count > 1 else { return (1.0, 100) }
        return (sum / count, (sumSquares - sum * sum / count) / (count - 1))
    }

    /// Mean fluorescence at the stop cycle of plateaued curves, or the highest value of the others.
    func meanStopFluorescence(target: Int) -> Double {
        var sum = 0.0
        var count = 0
        var highest = 0.0000001
        for row in 0..<rowCount where (target == 0 || group[row] == target) && !skip[row] {
            if !noPlateau[row] {
                count += 1
                sum += Self.at(corrected[row], stopCycle[row])
            } else {
                for value in corrected[row] where value > highest { highest = value }
            }
        }
        return count > 0 ? sum / Double(count) : highest
    }

    /// 0.999 × the highest fluorescence at a start cycle.
    func maxStartFluorescence(target: Int) -> Double {
        var highest = -10.0
        for row in 0..<rowCount where (target == 0 || group[row] == target) && !skip[row] {
            let value = Self.at(corrected[row], startCycle[row])
            if value > highest { highest = value }
        }
        return 0.999 * highest
    }

    /// The mean log10 step between the last two cycles of the log-linear phase.
    func logStepAtStop(target: Int) -> Double {
        var count = 0
        var step = 0.0
        for row in 0..<rowCount where (target == 0 || group[row] == target) && !(skip[row] || noPlateau[row]) {
            count += 1
            step += log10(Self.at(corrected[row], stopCycle[row])) - log10(Self.at(corrected[row], stopCycle[row] - 1))
        }
        return count > 0 ? step / Double(count) : log10(1.8)
    }

    /// The mean of each curve's highest value in the last 11 cycles, over curves that are used and plateaued.
    func lastCyclesMeanMax(noPlateau: [Bool]) -> Double {
        let from = max(n - 11, 0)
        var maxima: [Double] = []
        for row in 0..<rowCount {
            let highest = Self.nanMax(corrected[row][from...])
            maxima.append(skip[row] || noPlateau[row] ? .nan : highest)
        }
        let mean = Self.nanMean(maxima)
        return mean.isNaN ? Self.nanMax(maxima) : mean
    }

    /// Slides the window down from the mean stop fluorescence and keeps the position where the target's
    /// efficiencies vary least (smoothed over three steps).
    mutating func setWindowOfLinearity(target: Int) {
        let stepSize = 0.2
        let points = Double(Self.pointsInWindowOfLinearity)
        var memory = (
            variation: Array(repeating: 0.0, count: 61), upper: Array(repeating: 0.0, count: 61),
            width: Array(repeating: 0.0, count: 61)
        )
        var skipGroup = false
        var top = meanStopFluorescence(target: target)
        if top > 0 { top = log10(top) } else { skipGroup = true }
        var bottom = maxStartFluorescence(target: target)
        if bottom > 0 { bottom = log10(bottom) } else { skipGroup = true }
        var mean = 1.0
        if !skipGroup {
            setWindow(target: target, top: top, width: points * logStepAtStop(target: target))
            applyWindow(target: target)
            mean = meanEfficiency(target: target).mean
            if mean < 1.001 { skipGroup = true }
        }
        if skipGroup {
            threshold[target] = 0.5 * (1000 * upper[target]).rounded(.toNearestOrEven) / 1000
            return
        }
        var width = log10(pow(mean, points))
        var counter = -1
        var maxVariance = 0.0
        var maxVarianceStep = -1
        var lastUpper = 2 + top
        var variance = 0.0
        while true {
            counter += 1
            let newUpper = top - Double(counter) * stepSize * log10(mean)
            if newUpper < lastUpper {
                setWindow(target: target, top: newUpper, width: width)
                applyWindow(target: target)
                mean = meanEfficiency(target: target).mean
                width = log10(pow(mean, points))
                if width < 0.5 { width = 0.5 }
                setWindow(target: target, top: newUpper, width: width)
                applyWindow(target: target)
                (mean, variance) = meanEfficiency(target: target)
                memory.variation[counter] = variance > 0 ? variance.squareRoot() / mean : 0
                if variance > maxVariance {
                    maxVariance = variance
                    maxVarianceStep = counter
                }
                memory.upper[counter] = newUpper
                memory.width[counter] = width
                lastUpper = newUpper
            } else {
                variance = 0
            }
            if counter >= 60 || newUpper - width / (points / 2) < bottom || variance < 1e-11 { break }
        }
        var validSteps = -1
        repeat { validSteps += 1 } while validSteps < 60 && memory.variation[validSteps] >= 0.000001
        validSteps -= 1
        var minSmooth = memory.variation[0]
        var minStep = 0
        if validSteps > 0 && validSteps < 4 {
            for step in 0...validSteps where memory.variation[step] < minSmooth {
                minSmooth = memory.variation[step]
                minStep = step
            }
        }
        if validSteps >= 4 {
            var step = 0
            repeat {
                step += 1
                var smooth = 0.0
                for m in (step - 1)...(step + 1) { smooth += memory.variation[m] }
                smooth /= 3.0
                if smooth < minSmooth {
                    minSmooth = smooth
                    minStep = step
                }
            } while !(step >= validSteps - 1 || step > maxVarianceStep)
        }
        setWindow(target: target, top: memory.upper[minStep], width: memory.width[minStep])
        threshold[target] = 0.5 * (1000 * upper[target]).rounded(.toNearestOrEven) / 1000
        applyWindow(target: target)
        for row in 0..<rowCount where group[row] == target || target == 0 {
            usedInWindow[row] = !(skip[row] || noPlateau[row] || shortLogLin[row]) && efficiency[row] > 1.0
        }
    }

    /// Marks curves whose extrapolated end is below 5× the measured end as without plateau, and sets the
    /// window again once if any changed.
    mutating func recheckPlateau(target: Int) {
        var changed = false
        for row in 0..<rowCount
        where group[row] == target && !(noAmplification[row] || baselineError[row] || noPlateau[row]) {
            let expected = n0[row] * pow(efficiency[row], Double(n))
            if expected / Self.at(corrected[row], n) < 5 {
                changed = true
                noPlateau[row] = true
            }
        }
        if changed { setWindowOfLinearity(target: target) }
    }
}
