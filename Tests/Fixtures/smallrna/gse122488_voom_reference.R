# Writes gse122488_voom_reference.tsv: edgeR's TMM factors, filterByExpr, limma-voom and pROC on GSE122488's
# serum-exosome miRNA table (38 samples, HC = control, GBM and GII-III = case), as ExoScope's study pipeline runs them.
#   Rscript Tests/Fixtures/smallrna/gse122488_voom_reference.R \
#     ../shared/data/exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV/GSE122488_normalized_microRNA_counts.txt \
#     > Tests/Fixtures/smallrna/gse122488_voom_reference.tsv
# R 4.2.2, edgeR 3.40.2, limma 3.54.1, pROC 1.18.0 (Debian bookworm's r-bioc-edger, r-bioc-limma, r-cran-proc).
suppressMessages({library(edgeR); library(limma); library(pROC)})
f <- commandArgs(trailingOnly = TRUE)[1]
x <- as.matrix(read.delim(f, skip = 3, row.names = 1, check.names = FALSE))
group <- factor(ifelse(grepl("^HC", colnames(x)), "control", "case"), levels = c("control", "case"))
cat("# produced by gse122488_voom_reference.R (command in its header); R ", R.version$major, ".", R.version$minor,
    " edgeR ", as.character(packageVersion("edgeR")), " limma ", as.character(packageVersion("limma")),
    " pROC ", as.character(packageVersion("pROC")), "\n", sep = "")
g <- function(v) paste(sprintf("%.17g", v), collapse = "\t")
all <- calcNormFactors(DGEList(x))
for (s in colnames(x)) cat("tmm_all\t", s, "\t", g(all$samples[s, "norm.factors"]), "\n", sep = "")
y <- DGEList(x, group = group)
keep <- filterByExpr(y)
y <- y[keep, , keep.lib.sizes = FALSE]
y <- calcNormFactors(y)
for (s in colnames(x)) cat("tmm_kept\t", s, "\t", g(y$samples[s, "norm.factors"]), "\n", sep = "")
design <- model.matrix(~group)
v <- voom(y, design)
fit <- eBayes(lmFit(v, design))
cat("prior\tdf_s2\t", g(c(fit$df.prior, fit$s2.prior)), "\n", sep = "")
tt <- topTable(fit, coef = 2, n = Inf, sort.by = "none")
for (m in rownames(tt)) {
  r <- roc(group, v$E[m, ], levels = c("control", "case"), direction = "auto", quiet = TRUE)
  ci <- ci.auc(r, method = "delong")
  cat("voom\t", m, "\t", g(c(tt[m, "logFC"], tt[m, "AveExpr"], tt[m, "t"], tt[m, "P.Value"], tt[m, "adj.P.Val"],
      auc(r), ci[1], ci[3])), "\n", sep = "")
}
