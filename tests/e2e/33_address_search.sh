#!/bin/sh
# An e-mail address or host name is not a mention of its words (Szechuan
# in lin@szechuan.lab.example.edu), but typed as it is written it finds
# the articles that hold it, and a part of it (tu-muenchen.de) the
# addresses within that domain, with the address marked in the snippet.
. tests/e2e/lib.inc
db=$TMP/addr.db
"$BIN/indexer" -q --db "$db" tests/data/addresses/archive.jsonl
expect_status "indexing" "$?" 0

expect_eq "Szechuan: the prose mention only" "$(result_ids "$db" Szechuan)" "sz1"
expect_eq "Muenchen: the prose mention only" "$(result_ids "$db" Muenchen)" "tm1"
expect_eq "an e-mail address typed" "$(result_ids "$db" lin@szechuan.lab.example.edu)" "sz2"
expect_eq "a host name typed" "$(result_ids "$db" szechuan.lab.example.edu)" "sz2"
expect_eq "a domain: every address in it" "$(result_ids "$db" tu-muenchen.de)" "tm2 tm3"
expect_eq "another domain" "$(result_ids "$db" example.edu)" "sz2 tm3"
expect_eq "a whole address only where it is" "$(result_ids "$db" berger@informatik.tu-muenchen.de)" "tm2"
json=$("$BIN/searcher" --db "$db" --json -n 1 "berger@informatik.tu-muenchen.de")
expect_eq "parsed as an address" "$(json_get "$json" 'j["parsed"]')" 'address:"berger informatik tu muenchen de"'
hl=$(json_get "$json" '" ".join(j["results"][0]["passage"]["text"][a:b] for a,b in j["results"][0]["passage"]["highlights"])')
expect_eq "the address marked" "$hl" "berger informatik tu muenchen de"
# The rest of a signature is text as before.
expect_eq "graphics lab" "$(result_ids "$db" '"graphics lab"')" "sz2"
finish
