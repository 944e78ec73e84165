import ArgumentParser
import ExoPipeline
import ExoStore
import Foundation

extension Exoscope {
    /// Local accounts and their tokens (docs/access.md).
    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the server's accounts, roles, study memberships and bearer tokens.",
            subcommands: [Add.self, Remove.self, List.self, Token.self, RevokeToken.self])
    }
}

extension Exoscope.User {
    /// Adds an account or changes one.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account, or change its role, password and studies.",
            discussion: """
                The password is read from standard input (--password-stdin), never from the command line; \
                instrument accounts have none and use tokens. An admin sees every study; other roles see the \
                studies given with --study.
                """)

        @Argument(help: "The account name (letters, digits, '.', '_', '@', '-').")
        var name: String
        @Option(help: "admin, analyst, clinician or instrument.")
        var role: String

        func validate() throws {
            guard AccountRole(rawValue: role) != nil else {
                throw ValidationError(
                    "unknown role '\(role)'; the roles are \(AccountRole.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }
        @Option(name: .customLong("study"), help: "A study the account is a member of (repeat for several).")
        var studies: [String] = []
        @Flag(help: "Read the password from the first line of standard input.")
        var passwordStdin = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let password = passwordStdin ? readLine(strippingNewline: true) ?? "" : nil
                let summary = try await AccountOperations.saveAccount(
                    .init(
                        databasePath: database.resolvedPath(studyDirectory: nil), name: name,
                        role: AccountRole(rawValue: role) ?? .clinician,
                        password: password, studies: studies, actor: currentActor()))
                if outputOptions.json {
                    try printJSON(summary)
                } else if !outputOptions.quiet {
                    let member =
                        summary.role == AccountRole.admin.rawValue
                        ? "every study" : summary.studies.isEmpty ? "no study" : summary.studies.joined(separator: ", ")
                    printLine("Account \(summary.name): \(summary.role), \(member)")
                }
            }
        }
    }

    /// Removes an account.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an account and revoke its tokens.")

        @Argument(help: "The account name.")
        var name: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                try await AccountOperations.removeAccount(
                    databasePath: database.resolvedPath(studyDirectory: nil), name: name, actor: currentActor())
                if !outputOptions.quiet { printLine("Removed \(name); its tokens are revoked") }
            }
        }
    }

    /// Lists the accounts.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts, their roles and studies.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let accounts = try await AccountOperations.accounts(
                    databasePath: database.resolvedPath(studyDirectory: nil))
                if outputOptions.json {
                    try printJSON(accounts)
                    return
                }
                printLine("name\trole\tstudies\tcreated")
                for account in accounts {
                    printLine(
                        "\(account.name)\t\(account.role)\t\(account.studies.joined(separator: ","))\t\(account.createdAt)"
                    )
                }
            }
        }
    }

    /// Makes a bearer token.
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a bearer token for an account (printed once; store it like a password).",
            discussion: "An instrument token is limited to one study (--study) and may only post live readings.")

        @Argument(help: "The account name.")
        var name: String
        @Option(help: "Limit the token to this study.")
        var study: String?
        @Option(help: "Days until the token expires (default: never).")
        var days: Int?
        @Option(help: "What the token is for (an instrument's name, a script's).")
        var label = ""
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let issued = try await AccountOperations.issueToken(
                    databasePath: database.resolvedPath(studyDirectory: nil), account: name, study: study, days: days,
                    label: label, actor: currentActor())
                if outputOptions.json {
                    try printJSON(issued)
                } else {
                    printLine(issued.token)
                }
            }
        }
    }

    /// Revokes a bearer token.
    struct RevokeToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-token", abstract: "Revoke a bearer token by its id (the part after 'exo_').")

        @Argument(help: "The token id (12 hexadecimal digits).")
        var id: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                try await AccountOperations.revokeToken(
                    databasePath: database.resolvedPath(studyDirectory: nil), id: id, actor: currentActor())
                if !outputOptions.quiet { printLine("Revoked token \(id)") }
            }
        }
    }
}
