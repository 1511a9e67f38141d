import Commands

await runAsyncCommand(RateCalcCommand.self)
