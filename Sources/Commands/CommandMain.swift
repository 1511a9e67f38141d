import ArgumentParser

/// Starts an async root command from a `main.swift`. Top-level code resolves `Command.main()`
/// to ArgumentParser's synchronous overload, which refuses async commands; inside this generic
/// function the async overload is the more specific one.
public func runAsyncCommand<Command: AsyncParsableCommand>(_ command: Command.Type) async {
    await command.main(nil)
}
