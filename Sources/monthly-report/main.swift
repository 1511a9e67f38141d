import Commands

await runAsyncCommand(MonthlyReportCommand.self)
