import Commands

await runAsyncCommand(MaintenanceCommand.self)
