package import ArgumentParser
import ExoCore
package import ExoPipeline
package import ExoStore
import Foundation

/// sysexits(3) codes ExoScope uses, documented in the README.
package enum ExitStatus {
    package static let usage = ExitCode(64)
    package static let dataError = ExitCode(65)
    package static let noInput = ExitCode(66)
    package static let cannotCreate = ExitCode(73)
    package static let ioError = ExitCode(74)
    package static let temporaryFailure = ExitCode(75)

    /// The code of a store failure: a busy database may work later (75), a read-only one is output that cannot be
    /// written (73), a full disk or a failing one is an I/O error (74), a file that is not a database is bad input
    /// (65).
    package static func of(_ error: StoreError) -> ExitCode {
        switch error {
        case .cannotOpen, .diskFull, .ioFailure: ioError
        case .notFound: noInput
        case .migrationMismatch, .conflict, .notADatabase: dataError
        case .busy: temporaryFailure
        case .readOnly: cannotCreate
        }
    }

    /// The code of an operation's failure: a usage error (64), input not found (66), output that cannot be created
    /// (73) or input data that cannot be used (65).
    package static func of(_ error: OperationError) -> ExitCode {
        switch error {
        case .usage: usage
        case .notFound: noInput
        case .cannotCreate: cannotCreate
        case .invalidData: dataError
        }
    }
}

/// Runs `body`; user-fixable failures become one stderr message and a sysexits code.
///
/// The only place
/// where errors become text.
///
/// An operation's ``NotedFailure`` prints its messages first (unless `quiet`), then its error.
func withUserFacingErrors<T>(debug: Bool = false, quiet: Bool = false, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let failure as NotedFailure {
        printMessages(failure.messages, quiet: quiet)
        return try await withUserFacingErrors(debug: debug, quiet: quiet) { throw failure.error }
    } catch let error as InputErrorList {
        printError(error.description)
        throw error.errors.allSatisfy({ $0.kind == .fileNotFound }) ? ExitStatus.noInput : ExitStatus.dataError
    } catch let error as InputError {
        printError(error.description)
        throw error.kind == .fileNotFound ? ExitStatus.noInput : ExitStatus.dataError
    } catch let error as StoreError {
        printError("error: \(error.description)")
        throw ExitStatus.of(error)
    } catch let error as OperationError {
        printError("error: \(error.message)")
        throw ExitStatus.of(error)
    } catch let error as ValidationError {
        // A check of the arguments that needed the input first: a usage error like any other (64).
        printError("error: \(error.message)")
        throw ExitStatus.usage
    } catch let error as ExitCode {
        throw error
    } catch let error as CocoaError where error.code == .fileWriteNoPermission || error.code == .fileWriteUnknown {
        printError("error: cannot write \(error.filePath ?? "output"): permission denied or disk full")
        throw ExitStatus.cannotCreate
    } catch let error where StoreError(error) != nil {
        // An SQLite failure that escaped without its database path: still a clear message and code.
        let mapped = StoreError(error) ?? .ioFailure(path: nil)
        printError("error: \(mapped.description)")
        throw ExitStatus.of(mapped)
    } catch {
        printError(
            debug ? "internal error: \(String(reflecting: error))" : "internal error (run with --debug for details)")
        throw ExitCode.failure
    }
}

extension CocoaError {
    var filePath: String? { (userInfo[NSFilePathErrorKey] as? String) ?? (userInfo[NSURLErrorKey] as? URL)?.path }
}
