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
# The issue's acceptance queries: every form of the name finds the passage
# that introduces KH; the MEK's departure is found by its acronym with
# Albania, by another spelling of its name, and by the camp's name.
for q in "KH" "Kataib Hezbollah" "Hizballah"; do
    j=$("$BIN/searcher" --db "$DB" --json "$q")
    expect_contains "'$q' passage" "$(json_get "$j" 'j["results"][0]["passage"]["text"]')" "Kataib Hezbollah (KH). KH was formed"
done
for q in "MEK Albania" "Mujahedin-e Khalq" "Camp Liberty"; do
    j=$("$BIN/searcher" --db "$DB" --json "$q")
    expect_contains "'$q' passage" "$(json_get "$j" 'j["results"][0]["passage"]["text"]')" "left Camp Liberty in Baghdad and were flown to Albania"
done
# The sidebar after the comment line is not indexed; the bibliography is
# searchable with source: only.
"$BIN/searcher" --db "$DB" "Curzon" >/dev/null
expect_status "sidebar dropped" "$?" 1
"$BIN/searcher" --db "$DB" "Odierno" >/dev/null
expect_status "bibliography not in body" "$?" 1
"$BIN/searcher" --db "$DB" "source:Odierno" >/dev/null
expect_status "bibliography via source:" "$?" 0
finish
