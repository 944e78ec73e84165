# cv.glmnet as an R user who cares would run it, for bench/stats/panel_speed.sh.
# Usage: Rscript bench/stats/cv_glmnet.R MATRIX.tsv CASE > out.tsv
# Reads the matrix the fastest documented way (data.table::fread with typed columns; read.delim with colClasses
# when data.table is absent), runs the 10-fold cross-validated lasso path (family binomial, deviance, the default
# 100 lambda values and thresh, fold ids from set.seed(1)), and prints the features kept at lambda.1se with their
# coefficients. On standard error: "timing read R compute C" (seconds; R's start-up and library loading are in
# neither, only in the whole process).
suppressMessages(library(glmnet))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))), "read_matrix.R"))
args <- commandArgs(trailingOnly = TRUE)
started <- proc.time()[["elapsed"]]
d <- read_labelled_matrix(args[1])
x <- as.matrix(d[, -(1:2)])
y <- as.integer(d[[2]] == args[2])
read <- proc.time()[["elapsed"]]
set.seed(1)
cv <- cv.glmnet(x, y, family = "binomial", nfolds = 10)
computed <- proc.time()[["elapsed"]]
beta <- coef(cv, s = "lambda.1se")[-1, 1]
cat("feature\tcoefficient\n")
cat(paste(names(beta)[beta != 0], sprintf("%.17g", beta[beta != 0]), sep = "\t"), sep = "\n")
cat("\n")
message(sprintf("timing read %.3f compute %.3f", read - started, computed - read))
