/// A position in a user-supplied file.
///
/// Lines and columns are 1-based.
///
/// `line == 0` means "the file as a whole" (a file that does not exist, a file that is empty).
/// `column` counts UTF-8 bytes from the start of the line, as compilers do; `nil` when unknown.
public struct InputLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The path as the user spelled it (relative to the study folder where there is one).
    public var path: String
    /// 1-based line, or 0 for the file as a whole.
    public var line: Int
    /// 1-based UTF-8 byte column within the line, or `nil` when unknown.
    public var column: Int?

    /// Creates a location.
    public init(path: String, line: Int = 0, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// `path:line:column`, `path:line` or `path`, as editors and compilers print positions.
    public var description: String {
        guard line > 0 else { return path }
        return column.map { "\(path):\(line):\($0)" } ?? "\(path):\(line)"
    }
}
