import Commands

await runAsyncCommand(NotifyCommand.self)
