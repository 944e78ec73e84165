# Reference values for Tests/ExoQCTests/ReleaseStatisticsTests.swift.
# Run: Rscript bench/qc/qc_reference.R   (R 4.x, metafor from Debian's r-cran-metafor)
suppressMessages(library(metafor))
options(digits = 17)

# ICH Q1E shelf life: earliest time at which the one-sided 95 % confidence bound of the mean meets the limit.
t <- c(0, 1, 2, 3, 6, 9, 12)
conc <- c(10.2, 10.0, 9.9, 9.7, 9.3, 8.8, 8.5)
fit <- lm(conc ~ t)
lower <- function(x, level) predict(fit, data.frame(t = x), interval = "confidence", level = level)[, "lwr"]
upper <- function(x, level) predict(fit, data.frame(t = x), interval = "confidence", level = level)[, "upr"]
cat("decreasing, min 7:", uniroot(function(x) lower(x, 0.90) - 7, c(0, 100), tol = 1e-13)$root, "\n")
cat("coef:", coef(fit), " sigma:", summary(fit)$sigma, "\n")

mode <- c(101, 102, 101.5, 103, 104.2, 105.1, 107)
fit <- lm(mode ~ t)
cat("increasing, max 115:", uniroot(function(x) upper(x, 0.90) - 115, c(0, 100), tol = 1e-13)$root, "\n")
# Both limits: two-sided 95 % (each side 97.5 %); the upper bound reaches 115 first.
cat("both 90-115:", uniroot(function(x) upper(x, 0.95) - 115, c(0, 100), tol = 1e-13)$root, "\n")

# Lot comparison: Welch interval and Hedges' g (metafor's SMD, exact correction, vtype LS).
msc <- c(3.1, 2.8, 3.6, 3.3)
nk <- c(4.2, 4.9, 4.4, 5.1, 4.6)
w <- t.test(msc, nk)
cat("welch diff:", mean(msc) - mean(nk), " ci:", w$conf.int, " p:", w$p.value, "\n")
e <- escalc("SMD", m1i = mean(msc), sd1i = sd(msc), n1i = 4, m2i = mean(nk), sd2i = sd(nk), n2i = 5)
cat("hedges g:", e$yi, " ci:", e$yi - qnorm(0.975) * sqrt(e$vi), e$yi + qnorm(0.975) * sqrt(e$vi), "\n")
