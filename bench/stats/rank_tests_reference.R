# Kruskal-Wallis, Spearman and Jonckheere-Terpstra references for ExoScope's RankTestsTests.
# Usage: Rscript bench/stats/rank_tests_reference.R Tests/Fixtures/stats/aSAH.csv Tests/Fixtures/stats/lung.tsv
# kruskal.test and cor.test(method = "spearman", exact = FALSE) from R's stats; Jonckheere-Terpstra (no
# package in Debian carries it) by its definition: J = sum over ordered group pairs of #(later > earlier) +
# ties / 2, null mean (N^2 - sum n^2) / 4, tie-corrected variance of Hollander & Wolfe (1999, eq. 6.19).
args <- commandArgs(trailingOnly = TRUE)
a <- read.csv(args[1])
l <- read.delim(args[2])
l <- l[!is.na(l$ph.ecog), ]
out <- function(key, value) cat(key, "\t", sprintf("%.17g", value), "\n", sep = "")
jt <- function(x, g) {
  levels <- sort(unique(g)); J <- 0
  for (i in seq_along(levels)) for (k in seq_along(levels)) if (i < k) {
    lo <- x[g == levels[i]]; hi <- x[g == levels[k]]
    J <- J + sum(outer(hi, lo, ">")) + 0.5 * sum(outer(hi, lo, "=="))
  }
  n <- as.numeric(table(g)); t <- as.numeric(table(x)); N <- length(x)
  v <- (N * (N - 1) * (2 * N + 5) - sum(n * (n - 1) * (2 * n + 5)) - sum(t * (t - 1) * (2 * t + 5))) / 72 +
    sum(n * (n - 1) * (n - 2)) * sum(t * (t - 1) * (t - 2)) / (36 * N * (N - 1) * (N - 2)) +
    sum(n * (n - 1)) * sum(t * (t - 1)) / (8 * N * (N - 1))
  z <- (J - (N^2 - sum(n^2)) / 4) / sqrt(v)
  c(J, z, 2 * pnorm(-abs(z)))
}
cat("# ", R.version.string, "\n", sep = "")
k <- kruskal.test(s100b ~ wfns, data = a); out("asah.kw.h", k$statistic); out("asah.kw.p", k$p.value)
k <- kruskal.test(age ~ ph.ecog, data = l); out("lung.kw.h", k$statistic); out("lung.kw.p", k$p.value)
s <- suppressWarnings(cor.test(a$s100b, a$ndka, method = "spearman", exact = FALSE))
out("asah.spearman.rho", s$estimate); out("asah.spearman.p", s$p.value)
s <- suppressWarnings(cor.test(l$age, l$time, method = "spearman", exact = FALSE))
out("lung.spearman.rho", s$estimate); out("lung.spearman.p", s$p.value)
r <- jt(a$s100b, a$wfns); out("asah.jt.j", r[1]); out("asah.jt.z", r[2]); out("asah.jt.p", r[3])
r <- jt(l$age, l$ph.ecog); out("lung.jt.j", r[1]); out("lung.jt.z", r[2]); out("lung.jt.p", r[3])
