/* fuzz_reader_jsonl.c - see reader.inc. */
#define FUZZ_FORMAT TG_FORMAT_JSONL
#include "reader.inc"
