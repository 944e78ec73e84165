# Calibration slope, calibration-in-the-large and Brier score with R's glm, for DiagnosticPanelTests.
# Usage: Rscript bench/stats/calibration_reference.R Tests/Fixtures/stats/panel-20x400.tsv
# Predictions: p = plogis(0.8 * z - 0.3), z the standardised first feature (R's scale, divisor n - 1).
d <- read.delim(commandArgs(trailingOnly = TRUE)[1], check.names = FALSE)
y <- as.integer(d$group == "tumour")
p <- plogis(0.8 * as.vector(scale(d[[3]])) - 0.3)
lp <- qlogis(p)
slope <- coef(glm(y ~ lp, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100)))[2]
large <- coef(glm(y ~ 1, offset = lp, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100)))[1]
cat("# ", R.version.string, "\n", sep = "")
cat("slope\t", sprintf("%.17g", slope), "\nintercept\t", sprintf("%.17g", large), "\nbrier\t", sprintf("%.17g", mean((p - y)^2)), "\n", sep = "")
