/* fuzz_reader_wxr.c - see reader.inc. */
#define FUZZ_FORMAT TG_FORMAT_WORDPRESS
#include "reader.inc"
