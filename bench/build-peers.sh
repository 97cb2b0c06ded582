#!/bin/sh
# Builds the peers (and the timing helper) into $BB (default build/bench),
# each when its source changed. Shared by bench/run.sh and scripts/eval.sh.
set -eu
BB=${BB:-build/bench}
mkdir -p "$BB"
CC=${CC:-cc}
CXX=${CXX:-c++}
stale() { [ ! -x "$1" ] || [ "$2" -nt "$1" ]; }
if stale $BB/runstat bench/runstat.c; then
    $CC -std=c11 -O2 -Wall -Wextra bench/runstat.c -o $BB/runstat
fi
if stale $BB/fts5_baseline bench/fts5_baseline.c; then
    $CC -std=c11 -O2 -Wall -Wextra bench/fts5_baseline.c -o $BB/fts5_baseline \
        $(pkg-config --cflags --libs sqlite3 jansson)
fi
if stale $BB/xapian_baseline bench/xapian_baseline.cc; then
    $CXX -std=c++17 -O2 -Wall -Wextra bench/xapian_baseline.cc -o $BB/xapian_baseline \
        $(xapian-config --cxxflags) $(xapian-config --libs) $(pkg-config --cflags --libs jansson)
fi
