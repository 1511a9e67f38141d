#define _GNU_SOURCE
#include <unistd.h>
#include "ns_fs.h"

int ns_syncfs(int fd) { return syncfs(fd); }
