#!/usr/bin/env bash
# Builds a throwaway package that depends on ExoScope by path and uses its ExoStats and ExoPipeline products, as a
# lab's own tool or a server would. Fails when the manifest carries unsafe flags (SwiftPM refuses those in any
# versioned dependency) or when the products do not build for a dependant.
# Usage: scripts/check-as-dependency.sh   (CI runs it; the build goes to a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD
if grep -n 'unsafeFlags' Package.swift; then
    echo "error: Package.swift uses unsafeFlags, which makes ExoScope unusable as a versioned dependency" >&2
    exit 1
fi
consumer=$(mktemp -d "${TMPDIR:-/tmp}/exoscope-consumer.XXXXXX")
trap 'rm -rf "$consumer"' EXIT
mkdir -p "$consumer/Sources/consumer"
cat > "$consumer/Package.swift" <<MANIFEST
// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "consumer",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "exoscope", path: "$repository")],
    targets: [
        .executableTarget(
            name: "consumer",
            dependencies: [
                .product(name: "ExoStats", package: "exoscope"),
                .product(name: "ExoPipeline", package: "exoscope"),
            ])
    ]
)
MANIFEST
cat > "$consumer/Sources/consumer/main.swift" <<'SOURCE'
import ExoPipeline
import ExoStats

// Benjamini–Hochberg from ExoStats, and the demo cohort's parameters from ExoPipeline.
let adjusted = MultipleTesting.benjaminiHochberg([0.01, 0.04, 0.03])
let parameters = DemoStudy.Parameters()
print("BH", adjusted, "demo seed", parameters.seed)
SOURCE
swift build --package-path "$consumer" -q
"$(swift build --package-path "$consumer" --show-bin-path)/consumer"
echo "ExoScope builds as a dependency (ExoStats, ExoPipeline)"
