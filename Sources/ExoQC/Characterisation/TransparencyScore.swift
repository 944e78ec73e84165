public import ExoCore
public import ExoFormats

/// A transparency score modelled on EV-METRIC (Van Deun et al., Nat Methods 2017;14:228, doi:10.1038/nmeth.4185;
/// EV-TRACK): the share of applicable reporting items a preparation's record gives.
///
/// EV-METRIC has nine components; ultracentrifugation specifics, antibody specifics and lysate preparation apply
/// only where those methods were used (EV-TRACK summary add-on, J Extracell Vesicles 2019,
/// doi:10.1080/20013078.2019.1699367). ExoScope scores each preparation on the same nine items, each reported (1)
/// or not (0), and the score is reported ÷ applicable × 100 %:
/// 1. EV-enriched proteins: a category 1 or 2 marker tested (marker table);
/// 2. non-EV-enriched proteins: a category 3 or 4 marker tested (marker table);
/// 3. particle analysis: a size export with particle concentration (characterisation table);
/// 4. electron microscopy: EM images (the `imaging` column names TEM, cryo-EM or SEM);
/// 5. density gradient with at least three fractions analysed (`qc.reporting` in study.yaml);
/// 6. density of the EV fractions reported (`qc.reporting`);
/// 7. ultracentrifugation specifics, when the isolation used ultracentrifugation (`qc.reporting`);
/// 8. antibody specifics, when a marker was measured with antibodies (`qc.reporting`);
/// 9. lysate preparation, when a marker was measured in a lysate (western blot or mass spectrometry;
///    `qc.reporting`).
/// As in EV-METRIC, items 5 and 6 apply to every study, so a study without a density gradient cannot reach 100 %.
public struct TransparencyScore: Sendable, Hashable, Codable {
    /// One item.
    public struct Item: Sendable, Hashable, Codable {
        public var number: Int
        public var title: String
        public var applicable: Bool
        public var reported: Bool
        /// Where the answer came from.
        public var basis: String
    }

    public var items: [Item]
    /// Reported ÷ applicable × 100.
    public var percent: Double

    /// Scores one preparation.
    ///
    /// - Parameters:
    ///   - markers: the preparation's marker results.
    ///   - imaging: its single-EV imaging.
    ///   - particleAnalysis: whether a size export with concentration was read.
    ///   - isolation: the isolation method from the sample sheet.
    ///   - reporting: the study-level items of `qc.reporting`.
    public init(
        markers: [MarkerObservation], imaging: EVImaging?, particleAnalysis: Bool, isolation: IsolationMethod?,
        reporting: [String: Bool]
    ) {
        let categories = Set(markers.map(\.marker.category))
        let antibody = markers.contains { [.westernBlot, .elisa, .flow].contains($0.method) }
        let lysate = markers.contains { [.westernBlot, .massSpectrometry].contains($0.method) }
        let ultracentrifuged = isolation == .ultracentrifugation || isolation == .densityGradient
        let em: Set<EVImaging> = [.transmissionEM, .cryoEM, .scanningEM]
        func study(_ key: String) -> Bool { reporting[key] ?? false }
        items = [
            Item(
                number: 1, title: "EV-enriched proteins", applicable: true,
                reported: categories.contains(.transmembrane) || categories.contains(.cytosolic),
                basis: "category 1 or 2 marker in the marker table"),
            Item(
                number: 2, title: "non-EV-enriched proteins", applicable: true,
                reported: categories.contains(.nonEVCoIsolate) || categories.contains(.otherCompartment),
                basis: "category 3 or 4 marker in the marker table"),
            Item(
                number: 3, title: "particle analysis", applicable: true, reported: particleAnalysis,
                basis: "size export in the characterisation table"),
            Item(
                number: 4, title: "electron microscopy images", applicable: true,
                reported: imaging.map(em.contains) ?? false, basis: "imaging column"),
            Item(
                number: 5, title: "density gradient, at least 3 fractions", applicable: true,
                reported: study("density_gradient_fractions"), basis: "qc.reporting.density_gradient_fractions"),
            Item(
                number: 6, title: "EV density reported", applicable: true, reported: study("density_reported"),
                basis: "qc.reporting.density_reported"),
            Item(
                number: 7, title: "ultracentrifugation specifics", applicable: ultracentrifuged,
                reported: ultracentrifuged && study("ultracentrifugation_specifics"),
                basis: "isolation_method; qc.reporting.ultracentrifugation_specifics"),
            Item(
                number: 8, title: "antibody specifics", applicable: antibody,
                reported: antibody && study("antibody_specifics"),
                basis: "marker methods; qc.reporting.antibody_specifics"),
            Item(
                number: 9, title: "lysate preparation", applicable: lysate,
                reported: lysate && study("lysate_preparation"),
                basis: "marker methods; qc.reporting.lysate_preparation"),
        ]
        let applicable = items.filter(\.applicable)
        percent = 100 * Double(applicable.filter(\.reported).count) / Double(applicable.count)
    }

    /// The applicable items not reported.
    public var missing: [Item] { items.filter { $0.applicable && !$0.reported } }
}
