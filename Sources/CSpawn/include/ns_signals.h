#ifndef NS_SIGNALS_H
#define NS_SIGNALS_H

/// Catches SIGTERM and SIGINT (SA_RESTART): the first one is only remembered, for the job to stop
/// between units of work; a second one of either ends the process at once with the default action
/// (an operator pressing Ctrl-C twice).
void ns_catch_stop_signals(void);

/// The first stop signal received (SIGTERM or SIGINT), or 0.
int ns_stop_signal(void);

#endif
