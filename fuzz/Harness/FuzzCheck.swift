/// Property checks inside targets: a violated property is reported like a crash, so libFuzzer
/// writes the input to a crash file.
enum FuzzCheck {
    /// Stops the process with `message` when `condition` is false.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz property violated: \(message())") }
    }
}
