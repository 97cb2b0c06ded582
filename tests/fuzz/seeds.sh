#!/bin/sh
# Prints the seed inputs of fuzz target $1, one path a line (relative to
# the repository root): the fixtures of tests/data and corpus/, and the
# small hand-written seeds of tests/fuzz/seeds/. Used by `make fuzz`
# (links them into a seed directory) and by `make check` (replays them).
set -eu
R=tests/data/reader
case "$1" in
reader_text)    ls $R/*.txt corpus/00[1-9]_*.txt ;;
reader_jsonl)   ls $R/articles.jsonl ;;
reader_html)    ls $R/html/* ;;
reader_blogger) ls $R/blogger.xml $R/broken.xml ;;
reader_wxr)     ls $R/wordpress.xml ;;
reader_rss)     ls $R/feed-rss.xml tests/data/faults/*.xml ;;
reader_atom)    ls $R/feed-atom.xml $R/blogger.xml ;;
reader_gzip)    ls $R/*.* $R/html/* ;;
text)           ls $R/*.txt corpus/00[1-5]_*.txt ;;
query)          ls tests/fuzz/seeds/query/* tests/data/faults/*.query ;;
qbuild)         ls tests/fuzz/seeds/qbuild/* ;;
record)         ls tests/fuzz/seeds/record/* ;;
http)           ls tests/fuzz/seeds/http/* ;;
*) echo "seeds.sh: no seeds for '$1'" >&2; exit 1 ;;
esac
