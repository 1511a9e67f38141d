#ifndef NS_MEMORY_H
#define NS_MEMORY_H

/// mallopt(M_ARENA_MAX, count): glibc's malloc.h is not part of Swift's Glibc module.
int ns_limit_malloc_arenas(int count);

#endif
