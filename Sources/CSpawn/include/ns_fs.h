#ifndef NS_FS_H
#define NS_FS_H

/// syncfs(2), which glibc declares only under _GNU_SOURCE: flushes the whole file system holding fd.
int ns_syncfs(int fd);

#endif
