# References for ExoQuant's CountNormalization (Tests/ExoQuantTests/CountNormalizationTests.swift) and voom with TMM
# (Tests/ExoDiagnosisTests/VoomDifferentialExpressionTests.swift), from Debian's r-bioc-edger 3.40.2,
# r-bioc-limma 3.54.1 and r-bioc-deseq2 1.38.3 (R 4.2.2). Usage:
#   Rscript bench/stats/count_normalization_reference.R sparse OUT.tsv
#       writes the seeded sparse count fixture (200 miRNAs x 8 samples, most upper quartiles 0)
#   Rscript bench/stats/count_normalization_reference.R factors MATRIX
#       prints every factor the tests compare with (17 digits) for a .tsv (row names first) or a .csv matrix
#   Rscript bench/stats/count_normalization_reference.R voom GSE122488_FOLDER > OUT.tsv
#       voom(calcNormFactors(DGEList(x)), design) on GSE122488's controls and glioblastomas: the norm factors,
#       then log-CPM and weights of every 25th miRNA, the prior and the moderated table of those miRNAs
suppressMessages({ library(edgeR); library(DESeq2) })
args <- commandArgs(trailingOnly = TRUE)
f <- function(x) sprintf("%.17g", x)
line <- function(kind, key, x) cat(kind, "\t", key, "\t", paste(f(x), collapse = "\t"), "\n", sep = "")
read_counts <- function(path) {
  if (grepl("\\.csv$", path)) as.matrix(read.csv(path, row.names = 1, check.names = FALSE))
  else as.matrix(read.delim(path, row.names = 1, check.names = FALSE))
}
cat("# edgeR ", as.character(packageVersion("edgeR")), ", limma ", as.character(packageVersion("limma")),
    ", DESeq2 ", as.character(packageVersion("DESeq2")), ", ", R.version.string, "\n", sep = "")
if (args[1] == "sparse") {
  set.seed(2026)
  x <- matrix(rnbinom(200 * 8, mu = 0.25, size = 0.3), 200, 8)
  x[, 8] <- x[, 8] + rpois(200, 0.3)
  dimnames(x) <- list(sprintf("miR-%03d", 1:200), sprintf("S%d", 1:8))
  write.table(data.frame(miRNA = rownames(x), x, check.names = FALSE), args[2], sep = "\t", quote = FALSE,
              row.names = FALSE)
} else if (args[1] == "factors") {
  x <- read_counts(args[2])
  y <- DGEList(x)
  line("lib.size", "", y$samples$lib.size)
  line("TMM", "", calcNormFactors(y)$samples$norm.factors)
  for (r in seq_len(ncol(x))) line("TMM.refColumn", r, calcNormFactors(y, refColumn = r)$samples$norm.factors)
  line("TMM.doWeighting=FALSE", "", calcNormFactors(y, doWeighting = FALSE)$samples$norm.factors)
  line("RLE", "", calcNormFactors(y, method = "RLE")$samples$norm.factors)
  line("cpm(calcNormFactors(y))[3,]", "", cpm(calcNormFactors(y))[3, ])
  r <- round(x)
  dds <- DESeqDataSetFromMatrix(r, data.frame(row.names = colnames(x)), ~1)
  ratio <- try(sizeFactors(estimateSizeFactors(dds)), silent = TRUE)
  line("DESeq2.ratio(round)", "", if (inherits(ratio, "try-error")) NA else ratio)
  line("DESeq2.poscounts(round)", "", sizeFactors(estimateSizeFactors(dds, type = "poscounts")))
} else if (args[1] == "voom") {
  folder <- args[2]
  x <- as.matrix(read.csv(file.path(folder, "GSE122488_expression_cpm.csv"), row.names = 1, check.names = FALSE))
  s <- read.csv(file.path(folder, "GSE122488_samples.csv"))
  group <- s$group[match(colnames(x), s$sample_id)]
  keep <- group %in% c("control", "glioblastoma")
  x <- x[, keep]
  design <- model.matrix(~factor(group[keep], levels = c("control", "glioblastoma")))
  y <- calcNormFactors(DGEList(x))
  v <- voom(y, design)
  line("norm.factors", "", y$samples$norm.factors)
  line("lib.size", "", v$targets$lib.size)
  shown <- seq(1, nrow(x), by = 25)
  for (g in shown) {
    line("weights", rownames(x)[g], v$weights[g, ])
    line("logcpm", rownames(x)[g], v$E[g, ])
  }
  fit <- eBayes(lmFit(v, design))
  top <- topTable(fit, coef = 2, number = Inf, sort.by = "none", confint = TRUE)
  cat("prior\t", f(fit$df.prior), "\t", f(fit$s2.prior), "\n", sep = "")
  top <- top[shown, ]
  cat(paste("table", rownames(top), f(top$logFC), f(top$CI.L), f(top$CI.R), f(top$AveExpr), f(top$t),
            f(top$P.Value), f(top$adj.P.Val), f(top$B), sep = "\t"), sep = "\n")
}
