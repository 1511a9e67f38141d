import Commands

await runAsyncCommand(UsageAggregateCommand.self)
