# limma's moderated t on a labelled matrix, as `exoscope stats de` prints it.
# Usage: Rscript bench/stats/limma_reference.R MATRIX.tsv CASE CONTROL > out.tsv
# Model ~ group with the control as reference level (coefficient = case − control), lmFit (missing values
# left out gene by gene), eBayes with the defaults, topTable(sort.by = "none"), 17 significant digits. The
# first lines (#) give the versions, the command and the prior.
suppressMessages(library(limma))
args <- commandArgs(trailingOnly = TRUE)
d <- read.delim(args[1], check.names = FALSE, na.strings = c("NA", "NaN", ""))
group <- factor(d$group, levels = c(args[3], args[2]))
y <- t(as.matrix(d[, setdiff(names(d), c("sample", "group"))]))
fit <- eBayes(lmFit(y, model.matrix(~group)))
top <- topTable(fit, coef = 2, number = Inf, sort.by = "none")
cat("# limma ", as.character(packageVersion("limma")), ", ", R.version.string, "\n", sep = "")
cat("# Rscript bench/stats/limma_reference.R ", basename(args[1]), " ", args[2], " ", args[3], "\n", sep = "")
cat("# df.prior ", sprintf("%.17g", fit$df.prior), " s2.prior ", sprintf("%.17g", fit$s2.prior),
    " var.prior ", sprintf("%.17g", fit$var.prior[2]), "\n", sep = "")
cat("feature\tlog_fc\tave_expr\tt\tp_value\tadj_p_value\tb\n")
f <- function(x) sprintf("%.17g", x)
cat(paste(rownames(top), f(top$logFC), f(top$AveExpr), f(top$t), f(top$P.Value), f(top$adj.P.Val), f(top$B), sep = "\t"), sep = "\n")
cat("\n")
