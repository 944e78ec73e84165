# glmnet's lasso and elastic-net paths on a real p > n set, for ExoScope's PenalizedLogisticRealDataTests.
# Usage: Rscript bench/stats/glmnet_real_reference.R ../shared/data/exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV > out.tsv
# Data: GEO GSE122488, small-RNA-seq of serum exosomes (16 healthy controls, 12 glioblastoma, 10 glioma grade
# II-III; Ebrahimkhani et al. 2018), CPM per miRNA. Kept: the miRNAs with CPM >= 1 in at least half the samples
# (540 of 1,939), as log2(CPM + 1), in file order; outcome is_case (22 tumours against 16 controls): p = 540 > n = 38.
# Fits glmnet's default paths for alpha 1 and 0.5 with thresh = 1e-20 (maxit 1e8), so each coefficient is the
# exact minimiser at its lambda (at thresh 1e-16 glmnet still breaks the optimality conditions by up to 1e-9
# here, and its coefficients differ from these by up to 2.4e-5), and prints, per step, lambda, dev_ratio, the
# intercept and the non-zero coefficients as feature=value (17 significant digits), then glmnet's own largest KKT violation at that step on
# the standardised scale (gradient of the mean log-likelihood against lambda * penalty; for the record only).
suppressMessages(library(glmnet))
folder <- commandArgs(trailingOnly = TRUE)[1]
d <- read.csv(file.path(folder, "GSE122488_expression_cpm.csv"), check.names = FALSE)
s <- read.csv(file.path(folder, "GSE122488_samples.csv"))
stopifnot(identical(s$sample_id, colnames(d)[-1]))
cpm <- as.matrix(d[, -1])
rownames(cpm) <- d$miRNA
keep <- rowSums(cpm >= 1) >= ncol(cpm) / 2
x <- t(log2(cpm[keep, ] + 1))
y <- s$is_case
f <- function(v) sprintf("%.17g", v)
cat("# glmnet ", as.character(packageVersion("glmnet")), ", ", R.version.string, "\n", sep = "")
cat("# Rscript bench/stats/glmnet_real_reference.R .../GSE122488_smallRNAseq_serum_EV: ", ncol(x), " miRNAs x ",
    nrow(x), " samples, ", sum(y), " cases\n", sep = "")
cat("# path\talpha\tstep\tlambda\tdev_ratio\tintercept\tkkt_gap\tfeature=coefficient...\n")
n <- nrow(x)
xs <- scale(x, scale = apply(x, 2, function(v) sqrt(mean((v - mean(v))^2))))
for (alpha in c(1, 0.5)) {
  fit <- glmnet(x, y, family = "binomial", alpha = alpha, thresh = 1e-20, maxit = 1e8)
  beta <- as.matrix(fit$beta)
  for (k in seq_along(fit$lambda)) {
    eta <- fit$a0[k] + x %*% beta[, k]
    r <- y - 1 / (1 + exp(-eta))
    g <- as.vector(crossprod(xs, r)) / n
    b <- beta[, k] * attr(xs, "scaled:scale")
    l <- fit$lambda[k]
    gap <- ifelse(b == 0, pmax(0, abs(g) - l * alpha), abs(g - l * (alpha * sign(b) + (1 - alpha) * b)))
    gap <- max(gap, abs(mean(r)))
    nz <- which(beta[, k] != 0)
    pairs <- if (length(nz) > 0) paste0(colnames(x)[nz], "=", f(beta[nz, k])) else character(0)
    cat(paste(c("path", f(alpha), k, f(l), f(fit$dev.ratio[k]), f(fit$a0[k]), sprintf("%.3g", gap), pairs),
              collapse = "\t"), "\n", sep = "")
  }
}
