import PortwardenCLI

@main
enum Entrypoint {
    static func main() async {
        await PortwardenCommand.main()
    }
}
