# pROC on every feature of a labelled matrix: AUC and DeLong 95 % CI, as `exoscope stats roc` prints them.
# Usage: Rscript bench/stats/proc_roc_matrix.R MATRIX.tsv CASE CONTROL > out.tsv
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
d <- read.delim(args[1], check.names = FALSE)
features <- setdiff(names(d), c("sample", "group"))
cat("feature\tauc\tci_low\tci_high\n")
for (f in features) {
  r <- roc(d$group, d[[f]], levels = c(args[3], args[2]), direction = "<", quiet = TRUE)
  ci <- ci.auc(r, method = "delong")
  cat(f, "\t", sprintf("%.17g", ci[2]), "\t", sprintf("%.17g", ci[1]), "\t", sprintf("%.17g", ci[3]), "\n", sep = "")
}
