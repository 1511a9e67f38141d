#include <libpq-fe.h>

// Character-literal macros do not import into Swift.
static const int NS_PG_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int NS_PG_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
static const int NS_PG_DIAG_MESSAGE_DETAIL = PG_DIAG_MESSAGE_DETAIL;
