# R's own files for `exoscope stats`: pROC's aSAH written as R users write it, and pROC on two of three groups.
# Usage: Rscript bench/stats/asah_rownames_reference.R Tests/Fixtures/stats > Tests/Fixtures/stats/aSAH.group3.pROC.tsv
# Writes aSAH.rownames.csv (write.csv: row names under an empty first header cell "") and aSAH.rownames.tsv
# (write.table with sep = "\t": a header one field shorter than the rows) into the folder given. Both carry a
# three-group label, group3: outcome, with the patients dead at six months (gos6 1) as "Dead" instead of "Poor".
# pROC's roc(group3, marker, levels = c("Good", "Poor")) leaves the "Dead" patients out; its AUC and DeLong
# interval per marker are printed with 17 significant digits, with the group sizes pROC used.
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
data(aSAH, package = "pROC")
d <- aSAH
d$group3 <- as.character(d$outcome)
d$group3[d$gos6 == "1"] <- "Dead"
write.csv(d, file.path(args[1], "aSAH.rownames.csv"))
write.table(d, file.path(args[1], "aSAH.rownames.tsv"), sep = "\t")
out <- function(key, value) cat(key, "\t", sprintf("%.17g", value), "\n", sep = "")
cat("# pROC ", as.character(packageVersion("pROC")), ", ", R.version.string, "\n", sep = "")
cat("# Rscript bench/stats/asah_rownames_reference.R Tests/Fixtures/stats\n")
out("left_out", sum(d$group3 == "Dead"))
for (m in c("s100b", "ndka", "wfns")) {
  r <- roc(d$group3, as.numeric(as.character(d[[m]])), levels = c("Good", "Poor"), direction = "<", quiet = TRUE)
  out(paste0(m, ".n_case"), length(r$cases)); out(paste0(m, ".n_control"), length(r$controls))
  out(paste0(m, ".auc"), as.numeric(auc(r)))
  ci <- ci.auc(r, method = "delong", conf.level = 0.95)
  out(paste0(m, ".ci_low"), ci[1]); out(paste0(m, ".ci_high"), ci[3])
}
