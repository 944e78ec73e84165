# limma with covariates and confidence intervals, for DifferentialExpressionTests.
# Usage: Rscript bench/stats/limma_covariates_reference.R Tests/Fixtures/stats/mirna-300x40.tsv > out.tsv
# Covariates made from each sample's 0-based position i: age = 40 + (7 i mod 31), batch = "b" (i mod 3).
# Models ~ group (plain) and ~ group + age + batch (covariates), control "healthy" as reference level; lmFit
# (missing values left out gene by gene), eBayes defaults, topTable(coef = "grouptumour", confint = TRUE).
suppressMessages(library(limma))
d <- read.delim(commandArgs(trailingOnly = TRUE)[1], check.names = FALSE, na.strings = c("NA", "NaN", ""))
i <- seq_len(nrow(d)) - 1
age <- 40 + (7 * i) %% 31
batch <- factor(paste0("b", i %% 3))
group <- factor(d$group, levels = c("healthy", "tumour"))
y <- t(as.matrix(d[, setdiff(names(d), c("sample", "group"))]))
f <- function(x) sprintf("%.17g", x)
cat("# limma ", as.character(packageVersion("limma")), ", ", R.version.string, "\n", sep = "")
cat("model\tfeature\tlog_fc\tci_low\tci_high\tt\tp_value\tadj_p_value\tb\n")
for (model in c("plain", "covariates")) {
  design <- if (model == "plain") model.matrix(~group) else model.matrix(~group + age + batch)
  fit <- eBayes(lmFit(y, design))
  top <- topTable(fit, coef = "grouptumour", number = Inf, sort.by = "none", confint = TRUE)
  cat(paste(model, rownames(top), f(top$logFC), f(top$CI.L), f(top$CI.R), f(top$t), f(top$P.Value), f(top$adj.P.Val),
            f(top$B), sep = "\t"), sep = "\n")
  cat("\n")
}
