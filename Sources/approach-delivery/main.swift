import Commands

await runAsyncCommand(ApproachDeliveryCommand.self)
