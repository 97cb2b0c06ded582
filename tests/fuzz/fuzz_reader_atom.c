/* fuzz_reader_atom.c - see reader.inc. */
#define FUZZ_FORMAT TG_FORMAT_ATOM
#include "reader.inc"
