# Reference values from pROC (Debian r-cran-proc) on its aSAH data, for ExoScope's ROC tests.
# Usage: Rscript bench/stats/asah_proc_reference.R Tests/Fixtures/stats/aSAH.csv > Tests/Fixtures/stats/aSAH.pROC.tsv
# Every number is printed with 17 significant digits. Curves: roc(outcome, marker) with the defaults
# (levels Good = control, Poor = case; direction detected, controls < cases for all three markers).
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$outcome <- factor(d$outcome, levels = c("Good", "Poor"))
markers <- c("s100b", "ndka", "wfns")
curves <- lapply(markers, function(m) roc(d$outcome, d[[m]], levels = c("Good", "Poor"), direction = "<", quiet = TRUE))
names(curves) <- markers
out <- function(key, value) cat(key, "\t", sprintf("%.17g", value), "\n", sep = "")
cat("# pROC ", as.character(packageVersion("pROC")), ", ", R.version.string, "\n", sep = "")
cat("# Rscript bench/stats/asah_proc_reference.R Tests/Fixtures/stats/aSAH.csv\n")
for (m in markers) {
  r <- curves[[m]]
  out(paste0(m, ".auc"), as.numeric(auc(r)))
  out(paste0(m, ".var"), var(r, method = "delong"))
  ci <- ci.auc(r, method = "delong", conf.level = 0.95)
  out(paste0(m, ".ci_low"), ci[1]); out(paste0(m, ".ci_high"), ci[3])
  best <- coords(r, "best", best.method = "youden", ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
  for (i in seq_len(nrow(best))) {
    out(paste0(m, ".youden", i, ".threshold"), best$threshold[i])
    out(paste0(m, ".youden", i, ".sensitivity"), best$sensitivity[i])
    out(paste0(m, ".youden", i, ".specificity"), best$specificity[i])
  }
}
pairs <- list(c("wfns", "s100b"), c("wfns", "ndka"), c("ndka", "s100b"))
for (p in pairs) {
  a <- curves[[p[1]]]; b <- curves[[p[2]]]
  key <- paste0(p[1], "-", p[2])
  out(paste0(key, ".cov"), cov(a, b, method = "delong"))
  t <- roc.test(a, b, method = "delong", paired = TRUE)
  out(paste0(key, ".paired_z"), t$statistic); out(paste0(key, ".paired_p"), t$p.value)
  out(paste0(key, ".paired_ci_low"), t$conf.int[1]); out(paste0(key, ".paired_ci_high"), t$conf.int[2])
  u <- roc.test(a, b, method = "delong", paired = FALSE)
  out(paste0(key, ".unpaired_t"), u$statistic); out(paste0(key, ".unpaired_df"), u$parameter)
  out(paste0(key, ".unpaired_p"), u$p.value)
}
# The joint test that the three AUCs are equal (DeLong et al. 1988), which pROC does not offer: computed here
# from pROC's DeLong variances and covariances with L the successive differences.
theta <- sapply(curves, function(r) as.numeric(auc(r)))
S <- matrix(0, 3, 3)
for (i in 1:3) for (j in 1:3) S[i, j] <- if (i == j) var(curves[[i]], method = "delong") else cov(curves[[i]], curves[[j]], method = "delong")
L <- rbind(c(1, -1, 0), c(0, 1, -1))
chi <- as.numeric(t(L %*% theta) %*% solve(L %*% S %*% t(L)) %*% (L %*% theta))
out("s100b-ndka-wfns.chisq", chi)
out("s100b-ndka-wfns.p", pchisq(chi, df = 2, lower.tail = FALSE))
