import Commands

await runAsyncCommand(InvoiceCommand.self)
