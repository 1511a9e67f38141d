#define _GNU_SOURCE
#include "ns_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int ns_wait_status_code(int status);

static void exec_child(const char *path, char *const argv[], char *const envp[],
                       int in_fd, int out_fd, int err_fd, int report_fd) {
    setpgid(0, 0);  // its own process group: its workers (pg_dump -j) join it
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct sigaction dfl = {0};
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, NULL);
    sigaction(SIGTERM, &dfl, NULL);
    sigaction(SIGCHLD, &dfl, NULL);
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) goto failed;
    execve(path, argv, envp);
failed:;
    int code = errno;
    ssize_t ignored = write(report_fd, &code, sizeof code);
    (void)ignored;
    _exit(127);
}

/// The guard between the job and its child: dies with the job's thread (PR_SET_PDEATHSIG), and
/// then kills the child's whole process group, so a child's own workers (pg_dump -j N forks N)
/// end with the job too — PR_SET_PDEATHSIG alone reaches only the child itself. It also ends
/// whatever of the group is left when the child exits, and exits with the child's status.
static void guard_after_fork(const char *path, char *const argv[], char *const envp[],
                             int in_fd, int out_fd, int err_fd, pid_t parent, int report_fd) {
    // Only async-signal-safe calls from here on: the parent is multithreaded.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGTERM);
    sigaddset(&watched, SIGCHLD);
    sigprocmask(SIG_BLOCK, &watched, NULL);
    if (getppid() != parent) _exit(127);
    pid_t child = fork();
    if (child < 0) {
        int code = errno;
        ssize_t ignored = write(report_fd, &code, sizeof code);
        (void)ignored;
        _exit(127);
    }
    if (child == 0) exec_child(path, argv, envp, in_fd, out_fd, err_fd, report_fd);
    setpgid(child, child);
    close_range(0, ~0U, 0);  // the guard holds no pipe open: readers see EOF when the child is done
    for (;;) {
        int signal_number = 0;
        if (sigwait(&watched, &signal_number) != 0) continue;
        if (signal_number == SIGTERM) {
            kill(-child, SIGKILL);
            int status;
            while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
            _exit(128 + SIGKILL);
        }
        int status;
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) {
            kill(-child, SIGKILL);  // workers the child left behind
            _exit(ns_wait_status_code(status));
        }
    }
}

pid_t ns_spawn(const char *path, char *const argv[], char *const envp[], int in_fd, int out_fd, int err_fd) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -errno;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int code = errno;
        close(report[0]);
        close(report[1]);
        return -code;
    }
    if (pid == 0) guard_after_fork(path, argv, envp, in_fd, out_fd, err_fd, parent, report[1]);
    close(report[1]);
    int code = 0;
    ssize_t got;
    do { got = read(report[0], &code, sizeof code); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof code) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return -code;
    }
    return pid;
}

int ns_wait_status_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

int ns_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
