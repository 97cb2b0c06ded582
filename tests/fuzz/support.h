/*
 * support.h - shared by the libFuzzer targets of tests/fuzz/ (see
 * tests/fuzz/README.md). Each fuzz_*.c defines LLVMFuzzerTestOneInput; the
 * same object links either with libFuzzer (make fuzz) or with
 * regress_main.c, which replays kept inputs (make check).
 */
#ifndef TG_FUZZ_SUPPORT_H
#define TG_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The repository root: $TG_REPO, else the directory the target was built
 * from (TG_FUZZ_ROOT). Static. */
const char *tg_fuzz_root(void);

/* A database indexed once per process from corpus/ and tests/data/reader
 * into a temporary directory (removed at exit). Its path (static), or
 * exits with a message. */
const char *tg_fuzz_index(void);

/* An oracle failed: print what and abort, so libFuzzer keeps the input. */
#define TG_FUZZ_CHECK(cond)                                                      \
    do {                                                                         \
        if (!(cond))                                                             \
            tg_fuzz_fail(__FILE__, __LINE__, #cond);                             \
    } while (0)
void tg_fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

#endif
