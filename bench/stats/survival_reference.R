# Kaplan–Meier, log-rank and Cox reference values from R's survival package (Debian r-cran-survival) on its
# `lung` data, for ExoScope's survival tests. Usage:
#   Rscript bench/stats/survival_reference.R Tests/Fixtures/stats/lung.tsv > Tests/Fixtures/stats/lung.survival.tsv
# (the first run also writes lung.tsv from survival::lung: time, status 1 censored / 2 dead, age, sex, ph.ecog).
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
if (!file.exists(args[1])) {
  write.table(lung[, c("time", "status", "age", "sex", "ph.ecog")], args[1], sep = "\t", quote = FALSE,
              row.names = FALSE, na = "NA")
}
d <- read.delim(args[1])
f <- function(x) sprintf("%.17g", x)
cat("# survival ", as.character(packageVersion("survival")), ", ", R.version.string, "\n", sep = "")
cat("# Rscript bench/stats/survival_reference.R ", basename(args[1]), "\n", sep = "")
# Kaplan–Meier by sex at every event time: time, n.risk, n.event, surv, std.err (of −log S), 95 % log CI.
km <- survfit(Surv(time, status) ~ sex, data = d)
s <- summary(km)
strata <- sub("sex=", "", as.character(s$strata))
cat(paste("km", strata, f(s$time), f(s$n.risk), f(s$n.event), f(s$surv), f(s$std.err / s$surv), f(s$lower), f(s$upper), sep = "\t"), sep = "\n")
cat("\n")
lr <- survdiff(Surv(time, status) ~ sex, data = d)
cat("logrank\tchisq\t", f(lr$chisq), "\n", sep = "")
cat("logrank\tp\t", f(pchisq(lr$chisq, length(lr$n) - 1, lower.tail = FALSE)), "\n", sep = "")
cox <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d)
sm <- summary(cox)$coefficients
for (v in rownames(sm)) {
  cat("cox\t", v, "\t", f(sm[v, "coef"]), "\t", f(sm[v, "se(coef)"]), "\t", f(sm[v, "z"]), "\t", f(sm[v, "Pr(>|z|)"]), "\n", sep = "")
}
cat("cox\tloglik\t", f(cox$loglik[1]), "\t", f(cox$loglik[2]), "\n", sep = "")
cat("cox\tn\t", cox$n, "\t", cox$nevent, "\n", sep = "")
# A marker split at its median (high: above it), as `exoscope stats survival --feature age` does: log-rank.
high <- d$age > median(d$age)
lr <- survdiff(Surv(time, status) ~ high, data = d)
cat("marker_logrank\tchisq\t", f(lr$chisq), "\n", sep = "")
cat("marker_logrank\tp\t", f(pchisq(lr$chisq, 1, lower.tail = FALSE)), "\n", sep = "")
