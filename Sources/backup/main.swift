import Commands

await runAsyncCommand(BackupCommand.self)
