#!/bin/sh
# The product's design case: the seed article in $SHARED (skipped when the
# shared data is absent, as on a machine without ../shared).
. tests/e2e/lib.inc
SEED=${SHARED:-../shared}/corpus/seed
if [ ! -d "$SEED" ]; then
    echo "  skip [$NAME]: $SEED not present"
    exit 0
fi
DB=$TMP/db
out=$("$BIN/indexer" --db "$DB" "$SEED" 2>&1)
expect_status "index seed" "$?" 0
expect_contains "seed: one article" "$out" "holds 1 article"
j=$("$BIN/searcher" --db "$DB" --json "Kataib Hezbollah")
expect_contains "KH passage" "$(json_get "$j" 'j["results"][0]["passage"]["text"]')" "Kataib Hezbollah (KH)"
j=$("$BIN/searcher" --db "$DB" --json "Camp Liberty")
expect_contains "Camp Liberty passage" "$(json_get "$j" 'j["results"][0]["passage"]["text"]')" "Albania"
# The sidebar after the comment line is not indexed; the bibliography is
# searchable with source: only.
"$BIN/searcher" --db "$DB" "Curzon" >/dev/null
expect_status "sidebar dropped" "$?" 1
"$BIN/searcher" --db "$DB" "Odierno" >/dev/null
expect_status "bibliography not in body" "$?" 1
"$BIN/searcher" --db "$DB" "source:Odierno" >/dev/null
expect_status "bibliography via source:" "$?" 0
finish
