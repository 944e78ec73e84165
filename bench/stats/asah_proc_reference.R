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
# Partial AUC, weighted best thresholds, fixed-sensitivity and -specificity points, Wilson intervals (R's
# prop.test without continuity correction) and pROC's stratified bootstrap interval (R's generator, seed 1).
for (m in markers) {
  r <- curves[[m]]
  out(paste0(m, ".pauc_sp90"), as.numeric(auc(r, partial.auc = c(1, 0.9), partial.auc.focus = "specificity")))
  out(paste0(m, ".pauc_sp80_corrected"), as.numeric(auc(r, partial.auc = c(1, 0.8), partial.auc.focus = "specificity", partial.auc.correct = TRUE)))
  out(paste0(m, ".pauc_se90"), as.numeric(auc(r, partial.auc = c(1, 0.9), partial.auc.focus = "sensitivity")))
  out(paste0(m, ".pauc_se80_corrected"), as.numeric(auc(r, partial.auc = c(1, 0.8), partial.auc.focus = "sensitivity", partial.auc.correct = TRUE)))
  tl <- coords(r, "best", best.method = "closest.topleft", best.weights = c(2, 0.3), ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
  out(paste0(m, ".topleft.threshold"), tl$threshold[1]); out(paste0(m, ".topleft.count"), nrow(tl))
  wy <- coords(r, "best", best.method = "youden", best.weights = c(2, 0.3), ret = "threshold", transpose = FALSE)
  out(paste0(m, ".weighted_youden.threshold"), wy$threshold[1])
  all <- coords(r, "all", ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
  s90 <- all[all$sensitivity >= 0.9, ]; s90 <- s90[s90$specificity == max(s90$specificity), ]
  out(paste0(m, ".sens90.threshold"), max(s90$threshold)); out(paste0(m, ".sens90.specificity"), s90$specificity[1])
  p90 <- all[all$specificity >= 0.9, ]; p90 <- p90[p90$sensitivity == max(p90$sensitivity), ]
  out(paste0(m, ".spec90.threshold"), min(p90$threshold)); out(paste0(m, ".spec90.sensitivity"), p90$sensitivity[1])
  set.seed(1)
  b <- ci.auc(r, method = "bootstrap", boot.n = 2000, boot.stratified = TRUE, progress = "none")
  out(paste0(m, ".boot_low"), b[1]); out(paste0(m, ".boot_high"), b[3])
}
# Accuracy of s100b at its Youden threshold: cases called at value >= threshold.
thr <- coords(curves$s100b, "best", ret = "threshold", transpose = FALSE)$threshold[1]
tp <- sum(d$s100b[d$outcome == "Poor"] >= thr); fn <- sum(d$outcome == "Poor") - tp
tn <- sum(d$s100b[d$outcome == "Good"] < thr); fp <- sum(d$outcome == "Good") - tn
for (k in list(c("sens", tp, tp + fn), c("spec", tn, tn + fp), c("ppv", tp, tp + fp), c("npv", tn, tn + fn))) {
  ci <- prop.test(as.numeric(k[2]), as.numeric(k[3]), correct = FALSE)$conf.int
  out(paste0("s100b.accuracy.", k[1], "_low"), ci[1]); out(paste0("s100b.accuracy.", k[1], "_high"), ci[2])
}
