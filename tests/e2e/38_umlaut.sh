#!/bin/sh
# A name typed with a German umlaut (ä, ö, ü) also finds it written with
# ae, oe, ue, the language's own spelling of the letter, whatever the
# contexts: Jürgen finds Jurgen and Juergen (two people here, sharing no
# words); Müller finds Mueller where the archive has no Muller (issue 19).
. tests/e2e/lib.inc
arc=tests/data/umlaut/archive.jsonl
db=$TMP/umlaut.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

expect_eq "Jürgen: Jurgen and Juergen" "$(result_ids "$db" "Jürgen")" "ju1 ju2 ju3 ju4 ju5 ju6 jue1 jue2 jue3 jue4 jue5 jue6 jue7 jue8"
expect_eq "jürgen typed in lower case too" "$(result_ids "$db" "jürgen")" "ju1 ju2 ju3 ju4 ju5 ju6 jue1 jue2 jue3 jue4 jue5 jue6 jue7 jue8"
expect_eq "Müller: Mueller" "$(result_ids "$db" "Müller")" "mu1 mu2"
expect_contains "the evidence shown" "$("$BIN/searcher" --db "$db" --explain -n 1 "Jürgen")" \
    "Juergen (8 articles, the letter written out)"
# typed without the umlaut, Jurgen is another spelling, judged by contexts
expect_eq "Jurgen typed: its own" "$(result_ids "$db" "Jurgen")" "ju1 ju2 ju3 ju4 ju5 ju6"
finish
