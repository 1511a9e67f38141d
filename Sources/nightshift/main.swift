import Commands

await runAsyncCommand(NightshiftCommand.self)
