/* fuzz_reader_gzip.c - see reader.inc. */
/* The gzip input path with format sniffing, and a 1 MiB cap on the
 * decompressed size (a bomb stops there). Seeds: the fixtures gzipped. */
#define FUZZ_MAX_BYTES ((uint64_t)1 << 20)
#define FUZZ_FORMAT TG_FORMAT_AUTO
#include "reader.inc"
