#include "ns_memory.h"

#include <malloc.h>

int ns_limit_malloc_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}
