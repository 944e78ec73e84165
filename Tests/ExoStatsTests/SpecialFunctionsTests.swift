import ExoStats
import Testing

/// Polygamma functions and Benjamini–Hochberg against R.
struct SpecialFunctionsTests {
    /// Digamma, trigamma, tetragamma and the trigamma inverse against R 4.2.2 and limma 3.54.1
    /// (`digamma`, `trigamma`, `psigamma(x, 2)`, `limma::trigammaInverse`); BH against `p.adjust`.
    @Test func specialFunctionsAndBHMatchR() {
        let cases: [(Double, Double, Double, Double)] = [
            (0.3, -3.5025242222001323, 12.245364546107732, -75.272536588726027),
            (7.5, 1.9467574842460871, 0.14261589669670383, -0.020305252536644669),
            (123.4, 4.8113737751162775, 0.0081366516108652628, -6.6204734192310929e-05),
        ]
        for (x, psi, psi1, psi2) in cases {
            #expect(abs(SpecialFunctions.digamma(x) / psi - 1) < 1e-14)
            #expect(abs(SpecialFunctions.trigamma(x) / psi1 - 1) < 1e-14)
            #expect(abs(SpecialFunctions.tetragamma(x) / psi2 - 1) < 1e-14)
        }
        #expect(abs(SpecialFunctions.trigammaInverse(0.7) / 1.8741947852056657 - 1) < 1e-12)
        // p.adjust(c(0.01, 0.04, 0.03, 0.2, NA, 0.005), "BH") = 0.025 0.05 0.05 0.2 NA 0.025
        let adjusted = MultipleTesting.benjaminiHochberg([0.01, 0.04, 0.03, 0.2, .nan, 0.005])
        #expect(adjusted[4].isNaN)
        for (value, expected) in zip(
            adjusted.enumerated().filter { $0.offset != 4 }.map(\.element), [0.025, 0.05, 0.05, 0.2, 0.025])
        {
            #expect(abs(value - expected) < 1e-15)
        }
    }
}
