/* fuzz_reader_blogger.c - see reader.inc. */
#define FUZZ_FORMAT TG_FORMAT_BLOGGER
#include "reader.inc"
