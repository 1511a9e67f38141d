#ifndef NS_SPAWN_H
#define NS_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` (NULL-terminated), its stdin/stdout/stderr on the given
/// descriptors, in a process group of its own, behind a small guard process: when the thread that
/// started it dies (PR_SET_PDEATHSIG, even by SIGKILL) the guard kills the child's whole group, so
/// a killed batch job never leaves a pg_dump — nor pg_dump's parallel workers — writing on.
/// Returns the guard's pid, which exits with the child's status (128 + N for signal N), or -errno
/// when the fork or the exec failed (an exec failure is reported back through a close-on-exec pipe).
pid_t ns_spawn(const char *path, char *const argv[], char *const envp[], int in_fd, int out_fd, int err_fd);

/// pipe2(O_CLOEXEC): no other child started meanwhile inherits the pipe. 0 or -1 with errno.
int ns_pipe_cloexec(int fds[2]);

/// Exit code of a waitpid status, or 128 + the signal number for a child killed by a signal.
int ns_wait_status_code(int status);

#endif
