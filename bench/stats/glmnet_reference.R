# glmnet's penalised logistic regression on a labelled matrix, for ExoScope's PenalizedLogisticTests.
# Usage: Rscript bench/stats/glmnet_reference.R MATRIX.tsv CASE > out.tsv
# Three default paths (alpha 1, 0.5, 0: lasso, elastic net, ridge) with thresh = 1e-20 so that each
# coefficient is the exact minimiser at its lambda, then cv.glmnet (lasso, deviance) with the fixed
# fold ids 1..10 repeated in sample order. Every number to 17 significant digits; lines starting # give
# versions and the command. Path rows: path, alpha, step, lambda, dev_ratio, intercept, one column per
# feature; cv rows: cv, step, lambda, cvm, cvsd, then lambda.min and lambda.1se steps.
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
d <- read.delim(args[1], check.names = FALSE)
x <- as.matrix(d[, -(1:2)])
y <- as.integer(d[[2]] == args[2])
f <- function(v) sprintf("%.17g", v)
cat("# glmnet ", as.character(packageVersion("glmnet")), ", ", R.version.string, "\n", sep = "")
cat("# Rscript bench/stats/glmnet_reference.R ", basename(args[1]), " ", args[2], "\n", sep = "")
cat(paste(c("path", "alpha", "step", "lambda", "dev_ratio", "intercept", colnames(x)), collapse = "\t"), "\n", sep = "")
for (alpha in c(1, 0.5, 0)) {
  fit <- glmnet(x, y, family = "binomial", alpha = alpha, thresh = 1e-20, maxit = 1e8)
  beta <- as.matrix(fit$beta)
  for (k in seq_along(fit$lambda)) {
    cat(paste(c("path", f(alpha), k, f(fit$lambda[k]), f(fit$dev.ratio[k]), f(fit$a0[k]), f(beta[, k])),
              collapse = "\t"), "\n", sep = "")
  }
}
foldid <- rep_len(1:10, nrow(x))
cv <- cv.glmnet(x, y, family = "binomial", foldid = foldid, thresh = 1e-20, maxit = 1e8)
for (k in seq_along(cv$lambda)) {
  cat(paste(c("cv", k, f(cv$lambda[k]), f(cv$cvm[k]), f(cv$cvsd[k])), collapse = "\t"), "\n", sep = "")
}
cat("cv_choice\t", which(cv$lambda == cv$lambda.min), "\t", which(cv$lambda == cv$lambda.1se), "\n", sep = "")
