/* fuzz_reader_text.c - see reader.inc. */
#define FUZZ_FORMAT TG_FORMAT_TEXT
#include "reader.inc"
