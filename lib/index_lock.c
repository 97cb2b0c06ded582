/*
 * index_lock.c - who holds a database's write lock (index_int.h).
 *
 * Xapian says only that a database is locked. Its lock is an open file
 * description on DB/flintlock (on Linux an OFD lock, whose holder F_GETLK
 * does not report), so the holder is found the way fuser finds it: by
 * the processes' open files under /proc. A process of another user is not
 * visible unless we are root; then the message goes without a PID.
 */
#include "index_int.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Is target DB/flintlock or DB/shard-N/flintlock (a parallel build)? */
static int is_lock_of(const char *target, const char *db, size_t dblen)
{
    if (strncmp(target, db, dblen) || target[dblen] != '/')
        return 0;
    const char *rest = target + dblen + 1;
    if (!strcmp(rest, "flintlock"))
        return 1;
    if (strncmp(rest, "shard-", 6))
        return 0;
    rest += 6;
    size_t digits = strspn(rest, "0123456789");
    return digits > 0 && !strcmp(rest + digits, "/flintlock");
}

long tg_lock_holder(const char *path)
{
    char db[PATH_MAX];
    if (!realpath(path, db))
        return 0;
    size_t dblen = strlen(db);
    DIR *proc = opendir("/proc");
    if (!proc)
        return 0;
    /* Another process first: this one may have the file open briefly
     * (a failed attempt) without holding the lock. */
    long self = (long)getpid(), found = 0, self_holds = 0;
    struct dirent *p;
    while (!found && (p = readdir(proc))) {
        char *end;
        long pid = strtol(p->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        char fddir[64];
        snprintf(fddir, sizeof fddir, "/proc/%ld/fd", pid);
        DIR *fds = opendir(fddir);
        if (!fds)
            continue;   /* gone, or another user's */
        struct dirent *f;
        while (!found && (f = readdir(fds))) {
            if (f->d_name[0] == '.')
                continue;
            char link[sizeof fddir + sizeof f->d_name + 2], target[PATH_MAX];
            snprintf(link, sizeof link, "%s/%s", fddir, f->d_name);
            ssize_t n = readlink(link, target, sizeof target - 1);
            if (n <= 0)
                continue;
            target[n] = '\0';
            if (is_lock_of(target, db, dblen)) {
                if (pid == self)
                    self_holds = 1;
                else
                    found = pid;
            }
        }
        closedir(fds);
    }
    closedir(proc);
    return found ? found : self_holds ? self : 0;
}

void tg_locked_message(const char *path, char *errbuf, size_t errlen)
{
    long pid = tg_lock_holder(path);
    if (pid == (long)getpid())
        snprintf(errbuf, errlen,
                 "cannot open database %s for writing: it is locked by PID %ld (this process "
                 "has a writer open on it already)", path, pid);
    else if (pid)
        snprintf(errbuf, errlen,
                 "cannot open database %s for writing: it is locked by PID %ld (another "
                 "indexer; wait for it to finish, or stop it)", path, pid);
    else
        snprintf(errbuf, errlen,
                 "cannot open database %s for writing: it is locked by another indexer "
                 "(its PID is not visible to this user)", path);
}
