#include "ns_signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t received = 0;

static void on_stop(int signal_number) {
    if (received != 0) {
        signal(signal_number, SIG_DFL);
        raise(signal_number);
        return;
    }
    received = signal_number;
}

void ns_catch_stop_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
}

int ns_stop_signal(void) { return received; }
