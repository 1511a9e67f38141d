import Commands

await runAsyncCommand(EngineerStatusCommand.self)
