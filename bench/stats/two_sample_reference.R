# Welch t and Mann–Whitney (wilcox.test) per feature of a labelled matrix, with R's defaults, for ExoScope's
# tests. Usage: Rscript bench/stats/two_sample_reference.R MATRIX.tsv CASE CONTROL > out.tsv
# Missing values are left out per feature; 17 significant digits. Two hand-made examples follow the features
# (rows 'example-exact' without ties, 'example-ties' with ties, which takes the corrected normal approximation).
args <- commandArgs(trailingOnly = TRUE)
d <- read.delim(args[1], check.names = FALSE, na.strings = c("NA", "NaN", ""))
features <- setdiff(names(d), c("sample", "group"))
cat("# ", R.version.string, "\n", sep = "")
cat("# Rscript bench/stats/two_sample_reference.R ", basename(args[1]), " ", args[2], " ", args[3], "\n", sep = "")
cat("feature\twelch_t\twelch_df\twelch_p\twilcoxon_w\twilcoxon_p\twelch_ci_low\twelch_ci_high\n")
f <- function(x) sprintf("%.17g", x)
row <- function(name, x, y) {
  w <- t.test(x, y)
  m <- suppressWarnings(wilcox.test(x, y))
  cat(name, f(w$statistic), f(w$parameter), f(w$p.value), f(m$statistic), f(m$p.value), f(w$conf.int[1]), f(w$conf.int[2]), sep = "\t")
  cat("\n")
}
for (g in features) {
  x <- d[[g]][d$group == args[2]]; y <- d[[g]][d$group == args[3]]
  row(g, x[!is.na(x)], y[!is.na(y)])
}
row("example-exact", c(1.1, 2.2, 3.3, 4.4), c(0.5, 2.5, 5.5, 6.5, 7.5))
row("example-ties", c(1, 2, 2, 3, 4, 4, 5), c(2, 3, 3, 6, 7, 8))
