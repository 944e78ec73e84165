import Foundation

/// libFuzzer's set-up hook: resolves the target named by `EXOSCOPE_FUZZ_TARGET` before the first input, so that an
/// unknown name exits with status 2 and the list of targets instead of being reported as a crash.
///
/// - Parameters:
///   - argc: libFuzzer's argument count (unused).
///   - argv: libFuzzer's arguments (unused).
/// - Returns: 0.
@_cdecl("LLVMFuzzerInitialize")
func fuzzInitialize(
    _ argc: UnsafeMutablePointer<CInt>?,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    _ = FuzzTarget.selected
    return 0
}

/// The libFuzzer entry point: runs the selected target on one input.
///
/// Built only with `-sanitize=fuzzer` (see `scripts/fuzz.sh`), which supplies `main`.
///
/// - Parameters:
///   - bytes: the input.
///   - count: its length in bytes.
/// - Returns: 0 (libFuzzer reserves other values).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    FuzzTarget.selected.run(data)
    return 0
}
