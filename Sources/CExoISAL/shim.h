// ISA-L's igzip inflate, for the streaming gzip reader of FASTQ files (Sources/ExoFormats/Input/ByteStream.swift).
#include <isa-l/igzip_lib.h>
