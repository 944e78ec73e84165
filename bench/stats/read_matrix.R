# Shared by the timed peer scripts: reads a labelled matrix (sample, group, then one numeric column per feature)
# the fastest documented way, data.table::fread with typed columns, or read.delim with colClasses when
# data.table is absent. Usage: source(file.path(script_dir(), "read_matrix.R")); d <- read_labelled_matrix(path)
read_labelled_matrix <- function(path) {
  header <- strsplit(readLines(path, n = 1), "\t")[[1]]
  classes <- c("character", "character", rep("numeric", length(header) - 2))
  if (requireNamespace("data.table", quietly = TRUE)) {
    data.table::fread(path, sep = "\t", header = TRUE, data.table = FALSE, check.names = FALSE, colClasses = classes)
  } else {
    read.delim(path, check.names = FALSE, colClasses = classes)
  }
}
