extension StringProtocol {
    /// The lines of a text, split at LF and at CRLF, empty lines kept so that line numbers count
    /// every line. Swift holds `"\r\n"` as one `Character`, so `split(separator: "\n")` never splits
    /// a file written with Windows line endings: it read as one line.
    public var textLines: [SubSequence] {
        split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }
}
