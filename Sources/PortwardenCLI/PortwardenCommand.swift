import ArgumentParser

/// The root `portwarden` command.
public struct PortwardenCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "portwarden",
        abstract: "Keep the ports of a PCI DSS cardholder data environment under control.",
        version: "0.1.0",
        subcommands: []
    )

    public init() {}
}
