/* fuzz_reader_html.c - see reader.inc. */
#define FUZZ_FORMAT TG_FORMAT_HTML
#include "reader.inc"
