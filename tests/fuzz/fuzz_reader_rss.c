/* fuzz_reader_rss.c - see reader.inc. */
#define FUZZ_FORMAT TG_FORMAT_RSS
#include "reader.inc"
