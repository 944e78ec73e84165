# pROC on every feature of a labelled matrix: AUC and DeLong 95 % CI, as `exoscope stats roc` prints them.
# Usage: Rscript bench/stats/proc_roc_matrix.R MATRIX.tsv CASE CONTROL > out.tsv
# Reads the file the fastest documented way (data.table::fread, when installed; else read.delim with colClasses)
# and prints the seconds spent reading and computing to standard error: "timing read R compute C".
suppressMessages(library(pROC))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "read_matrix.R"))
args <- commandArgs(trailingOnly = TRUE)
started <- proc.time()[["elapsed"]]
d <- read_labelled_matrix(args[1])
read <- proc.time()[["elapsed"]]
features <- setdiff(names(d), c("sample", "group"))
out <- character(length(features))
for (i in seq_along(features)) {
  r <- roc(d$group, d[[features[i]]], levels = c(args[3], args[2]), direction = "<", quiet = TRUE)
  ci <- ci.auc(r, method = "delong")
  out[i] <- paste0(features[i], "\t", sprintf("%.17g", ci[2]), "\t", sprintf("%.17g", ci[1]), "\t", sprintf("%.17g", ci[3]))
}
computed <- proc.time()[["elapsed"]]
cat("feature\tauc\tci_low\tci_high\n", paste0(out, "\n"), sep = "")
message(sprintf("timing read %.3f compute %.3f", read - started, computed - read))
