# limma's voom + lmFit + eBayes on a count matrix, and R's lowess on the cars data, for ExoScope's voom tests.
# Usage: Rscript bench/stats/voom_reference.R Tests/Fixtures/stats/counts-200x24.tsv > out.tsv
# Design ~ group (healthy the reference level); topTable(coef = 2, sort.by = "none", confint = TRUE). Rows:
# lowess (cars, f = 2/3 and 0.25), weights and log-CPM of the first three miRNAs, the table, the prior.
suppressMessages(library(limma))
d <- read.delim(commandArgs(trailingOnly = TRUE)[1], check.names = FALSE)
counts <- t(as.matrix(d[, -(1:2)]))
design <- model.matrix(~factor(d$group, levels = c("healthy", "tumour")))
f <- function(x) sprintf("%.17g", x)
cat("# limma ", as.character(packageVersion("limma")), ", ", R.version.string, "\n", sep = "")
for (span in c(2/3, 0.25)) {
  l <- lowess(cars$speed, cars$dist, f = span)
  cat("lowess\t", f(span), "\t", paste(f(l$y), collapse = "\t"), "\n", sep = "")
}
cat("cars_speed\t\t", paste(f(cars$speed), collapse = "\t"), "\n", sep = "")
cat("cars_dist\t\t", paste(f(cars$dist), collapse = "\t"), "\n", sep = "")
v <- voom(counts, design)
for (g in 1:3) {
  cat("weights\t", rownames(counts)[g], "\t", paste(f(v$weights[g, ]), collapse = "\t"), "\n", sep = "")
  cat("logcpm\t", rownames(counts)[g], "\t", paste(f(v$E[g, ]), collapse = "\t"), "\n", sep = "")
}
fit <- eBayes(lmFit(v, design))
top <- topTable(fit, coef = 2, number = Inf, sort.by = "none", confint = TRUE)
cat("prior\t", f(fit$df.prior), "\t", f(fit$s2.prior), "\n", sep = "")
cat(paste("table", rownames(top), f(top$logFC), f(top$CI.L), f(top$CI.R), f(top$AveExpr), f(top$t), f(top$P.Value),
          f(top$adj.P.Val), f(top$B), sep = "\t"), sep = "\n")
cat("\n")
