# limma's moderated t on a labelled matrix (lmFit + eBayes + topTable), timed: the file read the fastest
# documented way (data.table::fread when installed, else read.delim with colClasses), then the fit.
# Usage: Rscript bench/stats/limma_timed.R MATRIX.tsv CASE CONTROL > out.tsv
# Prints the table (feature, log_fc, t, p_value, adj_p_value) and, on standard error, "timing read R compute C".
suppressMessages(library(limma))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "read_matrix.R"))
args <- commandArgs(trailingOnly = TRUE)
started <- proc.time()[["elapsed"]]
d <- read_labelled_matrix(args[1])
read <- proc.time()[["elapsed"]]
keep <- d$group %in% c(args[2], args[3])
x <- t(as.matrix(d[keep, setdiff(names(d), c("sample", "group"))]))
group <- factor(d$group[keep], levels = c(args[3], args[2]))
fit <- eBayes(lmFit(x, model.matrix(~group)))
top <- topTable(fit, coef = 2, number = Inf, sort.by = "none")
computed <- proc.time()[["elapsed"]]
cat("feature\tlog_fc\tt\tp_value\tadj_p_value\n")
cat(paste(rownames(top), sprintf("%.17g", top$logFC), sprintf("%.17g", top$t), sprintf("%.17g", top$P.Value),
          sprintf("%.17g", top$adj.P.Val), sep = "\t"), sep = "\n")
cat("\n")
message(sprintf("timing read %.3f compute %.3f", read - started, computed - read))
