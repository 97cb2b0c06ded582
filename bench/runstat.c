/*
 * runstat - runs a command and appends its wall time and peak RSS to a file.
 *
 *   runstat OUT COMMAND [ARG...]
 *
 * Appends one line "WALL_SECONDS MAXRSS_KIB EXIT_STATUS" to OUT, and exits
 * with the command's status (128+N if it died of signal N). The peak RSS
 * is the child's ru_maxrss from wait4(2) - the figure GNU time prints as
 * %M - and the wall time is CLOCK_MONOTONIC around fork and wait, to the
 * microsecond (GNU time's %e has 10 ms steps, too coarse for one commit).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: runstat OUT COMMAND [ARG...]\n", stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("runstat: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "runstat: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0)
        if (errno != EINTR) {
            perror("runstat: wait4");
            return 2;
        }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    FILE *f = fopen(argv[1], "a");
    if (!f) {
        fprintf(stderr, "runstat: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    fprintf(f, "%.6f %ld %d\n", wall, ru.ru_maxrss, rc);
    fclose(f);
    return rc;
}
