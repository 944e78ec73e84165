# cv.glmnet as a user runs it, for bench/stats/panel_speed.sh.
# Usage: Rscript bench/stats/cv_glmnet.R MATRIX.tsv CASE > out.tsv
# Reads the matrix with read.delim, runs the 10-fold cross-validated lasso path (family binomial, deviance,
# the default 100 lambda values, fold ids from set.seed(1)), and prints the features kept at lambda.1se with
# their coefficients. The seconds spent inside cv.glmnet alone go to standard error.
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
d <- read.delim(args[1], check.names = FALSE)
x <- as.matrix(d[, -(1:2)])
y <- as.integer(d[[2]] == args[2])
set.seed(1)
started <- proc.time()[["elapsed"]]
cv <- cv.glmnet(x, y, family = "binomial", nfolds = 10)
message(sprintf("cv.glmnet %.2f", proc.time()[["elapsed"]] - started))
beta <- coef(cv, s = "lambda.1se")[-1, 1]
cat("feature\tcoefficient\n")
cat(paste(names(beta)[beta != 0], sprintf("%.17g", beta[beta != 0]), sep = "\t"), sep = "\n")
cat("\n")
