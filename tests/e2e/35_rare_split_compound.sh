#!/bin/sh
# Names in every spelling (issue 19), three failures of the development
# sets, on an archive written for them (tests/data/rare-split), as
# published and in capitals and in lower case:
# - a rare spelling one letter short of a far commoner one (Tennesse,
#   Tennessee) takes it although their few shared contexts say no, while a
#   letter changed stays another name (Maria is not Mario), and a common
#   word another word (Boeing is not being);
# - a word typed as one that the archive writes as three, one of them of
#   two letters (Kukluxklan: Ku Klux Klan; Daressalaam: Dar es Salaam)
#   found nothing;
# - a long form with a compound word (Extraterrestrial) is linked to the
#   acronym that takes both its parts' initials (SETI), never defined;
# - an umlaut typed found only the letter without it (Müller: Muller, not
#   Mueller);
# - romanisation pairs across sound classes were not found: y/j
#   (Binyamin, Benjamin), z/d (Ramazan, Ramadan);
# - two words typed that the archive joins only in the plural were not
#   joined ("war plane": warplanes).
. tests/e2e/lib.inc
SRC=tests/data/rare-split/archive.jsonl

for variant in mixed upper lower; do
    arc=$TMP/$variant.jsonl
    case_copy "$SRC" "$arc" "$variant"
    db=$TMP/$variant.db
    "$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null
    v=" ($variant)"

    got=$("$BIN/searcher" --db "$db" --json -n 50 Tennesse | python3 -c 'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin)["results"]))')
    expect_eq "Tennesse finds its own and Tennessee$v" "$(echo "$got" | tr ' ' '\n' | grep -c '^t[en]')" "29"
    expect_eq "Tennesse: its own articles first$v" \
        "$(result_top "$db" Tennesse 5 | tr ' ' '\n' | sort | tr '\n' ' ')" "te1 te2 te3 te4 te5 "
    expect_eq "Maria is not Mario$v" "$(result_ids "$db" Maria)" "ma1 ma2 ma3 ma4 ma5"
    expect_eq "Boeing is not the common word being$v" "$(result_ids "$db" Boeing)" "bo1 bo2 bo3 bo4 bo5"
    # ... but in a long word so small a change is a slip: two vowels swapped.
    got=$(result_top "$db" Christainity 5)
    expect_eq "Christainity: its own first$v" "$(echo "$got" | cut -d' ' -f1-2 | tr ' ' '\n' | sort | tr '\n' ' ')" "ct1 ct2 "
    expect_eq "Christainity finds Christianity$v" "$(echo "$got" | tr ' ' '\n' | grep -c '^ch')" "3"

    expect_eq "Kukluxklan finds Ku Klux Klan$v" "$(result_ids "$db" Kukluxklan)" "kk1 kk2 kk3"
    expect_eq "Daressalaam finds Dar es Salaam$v" \
        "$(result_top "$db" Daressalaam 3 | tr ' ' '\n' | sort | tr '\n' ' ')" "ds1 ds2 ds3 "

    # An umlaut typed is also written out (ü: ue), as typed when the
    # archive writes it so a fair share of the time, else one more
    # spelling after the word typed.
    expect_eq "Müller finds Mueller and Muller$v" "$(result_ids "$db" "Müller")" "ml1 ml2 mu1 mu2 mu3"
    expect_eq "Århus finds Aarhus and Arhus$v" "$(result_ids "$db" "Århus" | tr ' ' '\n' | grep -c '^a[ar]')" "15"
    expect_eq "Zürich: Zurich first, Zuerich found$v" \
        "$(result_ids "$db" "Zürich" | tr ' ' '\n' | grep -c '^z[ux]')" "13"
    expect_eq "Zürich: Zuerich last$v" "$("$BIN/searcher" --db "$db" --json -n 20 "Zürich" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][-1]["id"])')" "zx1"

    # Romanisation pairs across sound classes: y/j, z/d.
    expect_eq "Binyamin finds Benjamin$v" "$(result_ids "$db" Binyamin | tr ' ' '\n' | grep -c '^b[jy]')" "9"
    expect_eq "Ramazan finds Ramadan$v" "$(result_ids "$db" Ramazan)" "rd1 rd2 rd3 rd4 rd5 rz1"
    # tz before an h is no zh: Yitzchak, Yitzhak.
    expect_eq "Yitzchak finds Yitzhak$v" "$(result_ids "$db" Yitzchak)" "yc1 yh1 yh2 yh3"
    # ... also for a spelling no article has: c/ch, c/z.
    expect_eq "Lachin searched as Lacin$v" "$(result_ids "$db" Lachin)" "lc1 lc2 lc3"
    expect_eq "Hercegovina searched as Herzegovina$v" "$(result_ids "$db" Hercegovina)" "hz1 hz2 hz3"
    # ... but a short name meets too many words so: Yury is no jury.
    expect_eq "Yury finds Yuri, not jury$v" "$(result_ids "$db" Yury)" "yu1 yu2 yu3 yu4 yy1 yy2"

    # Two words typed that the archive joins only in the plural.
    expect_eq "war plane finds warplanes first$v" \
        "$(result_top "$db" "war plane" 3 | tr ' ' '\n' | sort | tr '\n' ' ')" "wp1 wp2 wp3 "

    q="Search for Extraterrestrial Intelligence"
    expect_contains "SETI linked$v" "$("$BIN/searcher" --db "$db" --explain -n 1 "$q")" "= SETI ("
    expect_eq "the long form finds SETI alone$v" \
        "$(result_top "$db" "$q" 5 | tr ' ' '\n' | sort | tr '\n' ' ')" "sl1 sl2 so1 so2 so3 "
done
finish
