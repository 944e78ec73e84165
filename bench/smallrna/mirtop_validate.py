#!/usr/bin/env python3
"""Validate mirGFF3 files with mirtop's own checker and exit non-zero on errors.

`mirtop validate FILE` only logs what it finds and always exits 0: its
`mirtop.gff.validator.check_multiple()` calls `_check_file()` and throws away the error count.
This wrapper calls the same `mirtop.gff.validator._check_file(path)` (mirtop 0.4.x; it returns the
number of errors: missing mandatory header fields `source-ontology`, `COLDATA`, `VERSION`, `TOOLS`
count as one, then every line not starting with `##` is checked for seqID, type `ref_miRNA` or
`isomiR`, start, end, strand, a UID that decodes (`mirtop.mirna.realign.read_id`), a known
`Variant` and as many `Expression` values as `COLDATA` samples). A line the checker cannot parse
at all (it raises, e.g. KeyError for a missing `Variant`) counts as one error here, and the
following lines are still checked (this wrapper runs `_check_header()` and `_check_line()` itself,
in `_check_file()`'s order, because `_check_file()` stops at the first line that raises).

mirtop's checker reads every non-`##` line as a feature, so a single-`#` comment line or a blank
line is an error for it; that is mirtop's rule, kept as is.

Usage: mirtop_validate.py FILE.gff3 [FILE...]; prints one line per file, ERROR lines from mirtop
on stderr, exit 1 if any file has an error, 2 on a usage problem.
"""
import logging
import warnings
import sys


def check_file(validator, path):
    """mirtop's _check_file(), line by line, so that a line its checker raises on counts as one
    error and the remaining lines are still checked (_check_file itself stops at the first)."""
    header = []
    with open(path) as fh:
        for line in fh:
            if line.startswith("##"):
                header.append(line)
            else:
                break
    all_present, num_samples = validator._check_header(header)
    errors = 0
    if not all_present:
        logging.error("%s: header lacks one of the mandatory fields source-ontology, COLDATA, VERSION, TOOLS", path)
        errors += 1
    raised = 0
    with open(path) as fh:
        for num, line in enumerate(fh, 1):
            if line.startswith("##"):
                continue
            try:
                errors += validator._check_line(line, num, num_samples)
            except Exception as exc:
                raised += 1
                errors += 1
                if raised <= 5:
                    logging.error("%s line %d: mirtop's checker raised %s: %s", path, num, type(exc).__name__, exc)
    if raised > 5:
        logging.error("%s: %d lines in all made the checker raise", path, raised)
    return errors


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    warnings.filterwarnings("ignore")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s", stream=sys.stderr)
    from mirtop.gff import validator
    import mirtop
    total_bad = 0
    for path in argv[1:]:
        n = check_file(validator, path)
        status = "ok" if n == 0 else "%d error(s)" % n
        print("%s\t%s\t(mirtop %s)" % (path, status, getattr(mirtop, "__version__", "?")))
        if n:
            total_bad += 1
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
