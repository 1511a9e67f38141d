import Commands

await runAsyncCommand(StatusCollectCommand.self)
