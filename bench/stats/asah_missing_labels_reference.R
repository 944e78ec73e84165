# pROC on a labelled matrix whose label column has missing values, for `exoscope stats` (issue 15: a sample
# without a label is in neither group, as pROC drops an NA response).
# Usage: Rscript bench/stats/asah_missing_labels_reference.R Tests/Fixtures/stats \
#          > Tests/Fixtures/stats/aSAH.missing-labels.pROC.tsv
# Writes aSAH.missing-labels.tsv into the folder given: aSAH.matrix.tsv with the outcome of eight patients
# missing, spelled four ways (NA, empty, NaN, N/A; two each, cases and controls alike). pROC reads them as NA
# (read.delim with na.strings) and roc() leaves them out; the AUC and DeLong interval per marker are printed with
# 17 significant digits, with the group sizes pROC used, with and without levels = c("Good", "Poor").
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
d <- read.delim(file.path(args[1], "aSAH.matrix.tsv"), colClasses = c("character", "character", rep("numeric", 3)))
rows <- c(3, 11, 29, 40, 57, 71, 96, 108)
spelling <- rep(c("NA", "", "NaN", "N/A"), 2)
lines <- readLines(file.path(args[1], "aSAH.matrix.tsv"))
for (i in seq_along(rows)) {
  fields <- strsplit(lines[rows[i] + 1], "\t")[[1]]
  fields[2] <- spelling[i]
  lines[rows[i] + 1] <- paste(fields, collapse = "\t")
}
writeLines(lines, file.path(args[1], "aSAH.missing-labels.tsv"))
m <- read.delim(file.path(args[1], "aSAH.missing-labels.tsv"), na.strings = c("NA", "", "NaN", "N/A"),
                colClasses = c("character", "character", rep("numeric", 3)))
stopifnot(sum(is.na(m$outcome)) == length(rows))
out <- function(key, value) cat(key, "\t", sprintf("%.17g", value), "\n", sep = "")
cat("# pROC ", as.character(packageVersion("pROC")), ", ", R.version.string, "\n", sep = "")
cat("# Rscript bench/stats/asah_missing_labels_reference.R Tests/Fixtures/stats\n")
out("unlabelled", sum(is.na(m$outcome)))
for (marker in c("s100b", "ndka", "wfns")) {
  r <- roc(m$outcome, m[[marker]], levels = c("Good", "Poor"), direction = "<", quiet = TRUE)
  out(paste0(marker, ".n_case"), length(r$cases)); out(paste0(marker, ".n_control"), length(r$controls))
  out(paste0(marker, ".auc"), as.numeric(auc(r)))
  ci <- ci.auc(r, method = "delong", conf.level = 0.95)
  out(paste0(marker, ".ci_low"), ci[1]); out(paste0(marker, ".ci_high"), ci[3])
}
