/*
 * tigris_int.h - what the public API's two files share (lib/tigris_*.c).
 */
#ifndef TIGRIS_INT_H
#define TIGRIS_INT_H

#include "tigris.h"
#include "tg_index.h"

struct tigris_index {
    tg_index *ix;
    char errmsg[512];    /* the API's own errors (bad article); "" otherwise */
};

#endif
