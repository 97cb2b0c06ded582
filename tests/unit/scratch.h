/* scratch.h - a scratch folder for a unit test's databases: made in
 * setup, removed with everything in it in teardown. */
#ifndef TG_TEST_SCRATCH_H
#define TG_TEST_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>

/* Makes /tmp/<name>.XXXXXX into root (size n). Returns 0, or -1. */
static inline int scratch_make(char *root, size_t n, const char *name)
{
    snprintf(root, n, "/tmp/%s.XXXXXX", name);
    return mkdtemp(root) ? 0 : -1;
}

/* Removes root and all below it. Returns 0, or -1. */
static inline int scratch_remove(const char *root)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
