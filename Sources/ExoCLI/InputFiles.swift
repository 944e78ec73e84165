import ExoCore
import ExoFormats
import Foundation

/// Reads an RDML file named on the command line; its problems are added to `problems` instead of thrown, so
/// one run reports the problems of every file.
func readRDML(_ path: String, problems: inout [InputError]) -> RDMLDocument? {
    do {
        return try RDMLReader.read(url: URL(fileURLWithPath: path), displayPath: path)
    } catch {
        problems += error.errors
        return nil
    }
}
