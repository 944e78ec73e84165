# pROC's unpaired DeLong test between two independent sets of samples, for `exoscope stats roc --unpaired`.
# Usage: Rscript bench/stats/asah_unpaired_reference.R Tests/Fixtures/stats > Tests/Fixtures/stats/aSAH.unpaired.pROC.tsv
# Splits aSAH.matrix.tsv (in the folder given) into aSAH.cohort1.tsv (patients 1-56) and aSAH.cohort2.tsv
# (57-113), as a discovery and a validation set, and prints per marker the AUC in each (direction "<", cases
# higher) and roc.test(r1, r2, method = "delong", paired = FALSE): D (t), df and p, with 17 significant digits.
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
lines <- readLines(file.path(args[1], "aSAH.matrix.tsv"))
writeLines(lines[1:57], file.path(args[1], "aSAH.cohort1.tsv"))
writeLines(c(lines[1], lines[58:length(lines)]), file.path(args[1], "aSAH.cohort2.tsv"))
read <- function(name) read.delim(file.path(args[1], name), colClasses = c("character", "character", rep("numeric", 3)))
a <- read("aSAH.cohort1.tsv"); b <- read("aSAH.cohort2.tsv")
out <- function(key, value) cat(key, "\t", sprintf("%.17g", value), "\n", sep = "")
cat("# pROC ", as.character(packageVersion("pROC")), ", ", R.version.string, "\n", sep = "")
cat("# Rscript bench/stats/asah_unpaired_reference.R Tests/Fixtures/stats\n")
for (marker in c("s100b", "ndka", "wfns")) {
  r1 <- roc(a$outcome, a[[marker]], levels = c("Good", "Poor"), direction = "<", quiet = TRUE)
  r2 <- roc(b$outcome, b[[marker]], levels = c("Good", "Poor"), direction = "<", quiet = TRUE)
  t <- roc.test(r1, r2, method = "delong", paired = FALSE)
  out(paste0(marker, ".auc"), as.numeric(auc(r1))); out(paste0(marker, ".auc_2"), as.numeric(auc(r2)))
  out(paste0(marker, ".t"), t$statistic); out(paste0(marker, ".df"), t$parameter); out(paste0(marker, ".p"), t$p.value)
}
