# Reference values for Tests/ExoMonitorTests/VarianceComponentsTests.swift: the analytical and within-subject SDs
# behind the reference change value, computed from R's one-way ANOVA mean squares (aov), never from ExoScope.
#
# Run: Rscript bench/monitor/variance_reference.R      (R 4.2.2, base R only; prints the fixture and the values)
#
# What ExoMonitor estimates, and the R computation that matches it:
# - Analytical SD of one analyte's -dCq: the replicate variance of its Cq is the residual mean square of the one-way
#   ANOVA Cq ~ sample (MS_within; samples with one replicate add no sum of squares and no degree of freedom), divided
#   by the mean replicate count of the samples with two or more replicates; the spike-in's the same; SD_A is the
#   square root of their sum.
# - Within-subject SD: the residual mean square of the one-way ANOVA value ~ analyte:patient over the stable
#   patients' series (the pooled within-patient variance, sigma^2_within of the variance-components model), minus
#   the analytical variance averaged with each series' degrees of freedom as weights; SD_I is its square root.
# sigma^2_between, (MS_between - MS_within) / n0, is not part of either estimate.
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20260707)

# Technical replicates: 8 samples, unbalanced (one sample with a single replicate), two miRNAs and the spike-in.
replicates <- c(3, 3, 2, 3, 1, 3, 2, 4)
analytes <- c("hsa-miR-21-5p", "hsa-miR-4458", "cel-miR-39-3p")
sd_rep <- c(0.15, 0.25, 0.10)
rows <- list()
for (a in seq_along(analytes)) {
    for (s in seq_along(replicates)) {
        centre <- rnorm(1, 28, 2)
        cq <- round(centre + rnorm(replicates[s], 0, sd_rep[a]), 3)
        rows[[length(rows) + 1]] <- data.frame(analyte = analytes[a], sample = sprintf("S%02d", s), cq = cq)
    }
}
rep_table <- do.call(rbind, rows)

ms_within <- function(formula, data) {
    table <- anova(aov(formula, data = data))
    table["Residuals", "Mean Sq"]
}
replicate_variance <- function(analyte) {
    d <- rep_table[rep_table$analyte == analyte, ]
    sizes <- table(d$sample)
    c(ms = ms_within(cq ~ factor(sample), d), nbar = mean(sizes[sizes > 1]))
}
spike <- replicate_variance("cel-miR-39-3p")
sd_a <- sapply(analytes[1:2], function(analyte) {
    own <- replicate_variance(analyte)
    unname(sqrt(own["ms"] / own["nbar"] + spike["ms"] / spike["nbar"]))
})
sd_a_alone <- sapply(analytes[1:2], function(analyte) {
    own <- replicate_variance(analyte)
    unname(sqrt(own["ms"] / own["nbar"]))
})

# Serial -dCq values: five stable patients (3 to 6 visits) and one progressing patient who must not count; one
# missing value (NA: not evaluable).
visits <- c(P1 = 4, P2 = 3, P3 = 6, P4 = 5, P5 = 3, P6 = 5)
rows <- list()
for (a in analytes[1:2]) {
    for (p in names(visits)) {
        centre <- rnorm(1, -3, 1.5)
        value <- round(centre + rnorm(visits[[p]], 0, 0.35), 3)
        rows[[length(rows) + 1]] <- data.frame(analyte = a, patient = p, day = 28 * (seq_len(visits[[p]]) - 1),
                                               value = value)
    }
}
serial <- do.call(rbind, rows)
serial$value[serial$analyte == "hsa-miR-4458" & serial$patient == "P3"][2] <- NA
stable <- serial[serial$patient != "P6" & !is.na(serial$value), ]
ms_serial <- ms_within(value ~ interaction(analyte, patient), stable)
df_group <- aggregate(value ~ analyte + patient, stable, function(v) length(v) - 1)
names(df_group)[3] <- "df"
weighted_analytical <- sum(df_group$df * sd_a[df_group$analyte]^2) / sum(df_group$df)
sd_i <- sqrt(max(0, ms_serial - weighted_analytical))

cat("#", R.version.string, "\n")
cat("# replicate Cq (analyte, sample, cq)\n")
for (i in seq_len(nrow(rep_table))) {
    cat(sprintf("(\"%s\", \"%s\", %.3f),\n", rep_table$analyte[i], rep_table$sample[i], rep_table$cq[i]))
}
cat("# serial values (analyte, patient, day, value; nil = NA)\n")
for (i in seq_len(nrow(serial))) {
    v <- if (is.na(serial$value[i])) "nil" else sprintf("%.3f", serial$value[i])
    cat(sprintf("(\"%s\", \"%s\", %d, %s),\n", serial$analyte[i], serial$patient[i], serial$day[i], v))
}
cat("# MS_within and mean replicate count per analyte\n")
for (a in analytes) {
    v <- replicate_variance(a)
    cat(sprintf("%s\t%.17g\t%.17g\n", a, v["ms"], v["nbar"]))
}
cat("# SD_A with the spike-in, SD_A alone\n")
for (a in analytes[1:2]) cat(sprintf("%s\t%.17g\t%.17g\n", a, sd_a[a], sd_a_alone[a]))
cat(sprintf("# serial MS_within\t%.17g\n# df-weighted analytical variance\t%.17g\n# SD_I\t%.17g\n",
            ms_serial, weighted_analytical, sd_i))
