// zlib, for ZipEntryReader's own inflate loop (Sources/ExoFormats/Input/ZipEntryReader.swift).
#include <zlib.h>
