#!/bin/sh
# Names in every spelling (issue 19) on a small archive written for it
# (tests/data/spellings), as published and as an UPPER- and a lower-case
# copy: a rare spelling widens to the common one, a spelling no article
# uses is searched as the archive writes it ("Showing results for"),
# words joined or apart, a long form whose acronym is never defined; and
# the look-alikes stay apart (treasure and the Treasury, band and bond,
# Golan and colon, Iran and Oran, leaking and lacking); English spelt two
# ways is one word (neighbour, neighbor; organise, organize); a name's
# vowels are free, also without capitals (Muhammad, Mohammed).
. tests/e2e/lib.inc
SRC=tests/data/spellings/archive.jsonl

none_of() {  # none_of WHAT IDS PREFIX
    case " $2" in *" $3"*) fail "$1: $3* found in: $2" ;; *) ok ;; esac
}

for variant in mixed upper lower; do
    arc=$TMP/$variant.jsonl
    case_copy "$SRC" "$arc" "$variant"
    db=$TMP/$variant.db
    "$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null
    v=" ($variant)"

    # A rare spelling the archive has widens to the common one.
    expect_eq "Tchernenko finds every spelling$v" "$(result_ids "$db" Tchernenko)" "ch1 ch2 ch3 ch4 ch5"
    # ... also when a consonant more or fewer puts it under another sound key.
    expect_eq "Azerbaidzhan finds Azerbaijan$v" "$(result_ids "$db" Azerbaidzhan)" "aj1 aj2 aj3 aj4 az1 az2"
    expect_eq "jehad finds jihad$v" "$(result_ids "$db" jehad)" "jh1 jh2 jh3 jh4"
    expect_eq "neighbour finds neighbor$v" "$(result_ids "$db" neighbour)" "nb1 nb2"
    expect_eq "organise finds organize$v" "$(result_ids "$db" organise)" "og1 og2"
    # A name's vowels are free where its consonants agree, in any case.
    expect_eq "Muhammad finds Mohammed$v" "$(result_ids "$db" Muhammad)" "mh1 mh2 mo1 mo2 mo3"

    # The nearer spelling before commoner words a little farther off under
    # the same sound key (Khaled: Khalid before healed, hailed, holed).
    got=$(result_ids "$db" Khaled)
    for id in kd1 kd2 kd3; do expect_contains "Khaled finds Khalid in $id$v" " $got " " $id "; done
    none_of "Khaled: not hailed$v" "$got" hi
    none_of "Khaled: not hauled$v" "$got" hu
    # A name written five ways besides the one typed finds every one.
    expect_eq "Shevardnadse finds every spelling$v" "$(result_ids "$db" Shevardnadse)" \
        "sv1 sv10 sv11 sv2 sv3 sv4 sv5 sv6 sv7 sv8 sv9"
    # A short name of one consonant class has spellings too.
    expect_eq "Hanah finds Hannah and Hanna$v" "$(result_ids "$db" Hanah)" "hn1 hn2 hn3 hn4 hn5 hn6"
    # A spelling no article uses: the archive's, and it says so.
    j=$("$BIN/searcher" --db "$db" --json -n 20 Brezhnyev)
    expect_eq "Brezhnyev searched as Brezhnev$v" "$(json_get "$j" 'j["showing_results_for"]')" "Brezhnev"
    expect_eq "Brezhnyev results$v" "$(json_get "$j" '" ".join(sorted(r["id"] for r in j["results"]))')" "br1 br2 br3"
    expect_contains "evidence in the expansions$v" "$(json_get "$j" 'j["expansions"]')" "Brezhnyev ~ Brezhnev (3 articles, spelling distance"
    # ... and the archive's spelling widens as it would typed: to its
    # rarer spelling that shares its contexts.
    expect_eq "Mozambike finds Mozambique and Mosambique$v" "$(result_ids "$db" Mozambike)" \
        "ms1 ms2 mz1 mz2 mz3 mz4 mz5 mz6"
    # Two likely spellings that share no contexts are two names: the likelier.
    expect_eq "Zairre is Zaire, not Zayre the retailer$v" "$(result_ids "$db" Zairre)" "zr1 zr2 zr3 zr4 zr5"
    expect_eq "Abas searched as Abbas$v" "$(result_ids "$db" Abas)" "ab1 ab2 ab3"
    # A spelling no article uses that is a name's variant (its consonants,
    # vowels free) is not lost to a likelier word: in a mixed-case archive
    # the name is learnt from capitals, in any archive it is kept; and a
    # word of the language is as near as misspelling it makes it, not as
    # a romanisation (th/t) would: hedith is the Hadith, not edit.
    expect_eq "hedith searched as Hadith$v" "$(result_ids "$db" hedith)" "hd1 hd2 hd3 hd4 hd5"
    # ... but -ly alone makes no word of the language of a name (Easter,
    # easterly): eester is Easter, beside Ester in one article.
    got=$(result_ids "$db" eester)
    for id in es1 es2 es3 es4; do expect_contains "eester finds Easter in $id$v" " $got " " $id "; done
    # th typed is nearer to th than to t (Methras: Mithras, before metres).
    expect_eq "Methras: Mithras first$v" "$(result_top "$db" Methras 5 | tr ' ' '\n' | sort | tr '\n' ' ')" \
        "mt1 mt2 mt3 mt4 mt5 "
    # Romanisation pairs beyond consonant classes: c/z (Hercegovina), c/kh
    # (khalif, caliph), c/ch (a mark dropped: Lacin), ch/h (Chanukah), sz/s
    # (Szechuan); a long name takes a consonant changed (Nebuchadrezzar).
    expect_eq "Hercegovina finds Herzegovina$v" "$(result_ids "$db" Hercegovina)" "hc1 hz1 hz2 hz3"
    got=$(result_ids "$db" khalif)
    for id in cl1 cl2 cl3 kf1; do expect_contains "khalif finds caliph in $id$v" " $got " " $id "; done
    expect_eq "Lachin finds Lacin$v" "$(result_ids "$db" Lachin)" "la1 lh1 lh2 lh3"
    expect_eq "Chanukah finds Hanukkah$v" "$(result_ids "$db" Chanukah)" "ck1 hq1 hq2 hq3"
    expect_eq "Szechuan finds Sichuan$v" "$(result_ids "$db" Szechuan)" "si1 si2 si3 sz1"
    expect_eq "Nebuchadrezzar finds Nebuchadnezzar$v" "$(result_ids "$db" Nebuchadrezzar)" "nn1 nn2 nn3 nz1"
    # A letter that loses no mark in folding (ł, ø, ı ...) is spelt in a-z.
    expect_eq "Wałęsa searched as Walesa$v" "$(result_ids "$db" "Wałęsa")" "wl1 wl2"
    expect_eq "--literal searches as typed$v" "$(result_ids "$db" Brezhnyev --literal)" ""

    # The Arabic article in any romanisation: el-Fatah is al-Fatah.
    expect_eq "el-Fatah finds al-Fatah$v" "$(result_ids "$db" el-Fatah)" "fa1 fa2"
    expect_eq "Elfatah finds al-Fatah$v" "$(result_ids "$db" Elfatah)" "fa1 fa2"

    # Joined, split.
    expect_eq "Wallstreet finds Wall Street$v" "$(result_ids "$db" Wallstreet)" "ws1 ws2 ws3"
    expect_eq "Riodejaneiro finds Rio de Janeiro$v" "$(result_ids "$db" Riodejaneiro)" "rj1 rj2 rj3"
    # Joined in some articles, apart in most: either.
    expect_eq "Hongkong finds Hong Kong too$v" "$(result_ids "$db" Hongkong)" "hj1 hj2 hj3 hk1 hk2 hk3 hk4 hk5 hk6"
    expect_eq "green peace ranks Greenpeace first$v" "$(result_top "$db" "green peace" 2 | tr ' ' '\n' | sort | tr '\n' ' ')" "gp1 gp2 "

    # A long form finds the articles that write only its acronym.
    got=$(result_ids "$db" "International Monetary Fund")
    for id in im1 im2 im3 im4 im5; do expect_contains "long form finds $id$v" " $got " " $id "; done
    # ... and ranks them above articles that merely have its words apart.
    expect_eq "long form: its acronym first$v" "$(result_top "$db" "International Monetary Fund" 5 | tr ' ' '\n' | sort | tr '\n' ' ')" "im1 im2 im3 im4 im5 "

    # ... also when the acronym spells its connectors (DOE) or only the
    # words after its "of" (ATF).
    got=$(result_ids "$db" "Department of Energy")
    for id in de3 de4 de5; do expect_contains "Department of Energy finds $id$v" " $got " " $id "; done
    got=$(result_ids "$db" "Bureau of Alcohol, Tobacco and Firearms")
    for id in af3 af4 af5; do expect_contains "the Bureau finds ATF in $id$v" " $got " " $id "; done

    # An inflection is no spelling: counters keeps its stem's forms.
    j=$("$BIN/searcher" --db "$db" --json -n 20 counters)
    expect_eq "counters finds counter$v" "$(json_get "$j" '" ".join(sorted(r["id"] for r in j["results"]))')" "cn1 cn2 cn3 cn4 cn5"
    none_of "counters: no spelling counter$v" "$(json_get "$j" '" ".join(j["expansions"])' | tr 'A-Z' 'a-z' | tr ' ' '_')" "counters_~_counter"

    # Look-alikes stay apart.
    none_of "treasure is not the Treasury$v" "$(result_ids "$db" treasure)" ty
    none_of "Treasury is not treasure$v" "$(result_ids "$db" Treasury)" tr
    none_of "band is not bond$v" "$(result_ids "$db" band)" bd
    none_of "leaking is not lacking$v" "$(result_ids "$db" leaking)" lc
    expect_eq "leaking finds its own$v" "$(result_ids "$db" leaking)" "lk1 lk2"
    none_of "Golan is not colon$v" "$(result_ids "$db" Golan)" co
    none_of "Iran is not Oran$v" "$(result_ids "$db" Iran)" or
    expect_eq "Iran finds Iran$v" "$(result_ids "$db" Iran)" "ir1 ir2"
done

# A common word is another word than a name in a handful of articles that
# looks like it (khalif is not half), unless all but the same (a doubled
# letter, an h, y/i apart): an archive where half is in 60 articles of 120.
gen=$TMP/common.jsonl
python3 - "$gen" <<'PY'
import json, sys
class Upper:
    def __init__(self, f): self.f = f
    def write(self, line):
        a = json.loads(line)
        a["title"], a["body"] = a["title"].upper(), a["body"].upper()
        self.f.write(json.dumps(a) + "\n")
with open(sys.argv[1], "w") as f:
    g = Upper(f)
    for i in range(60):
        g.write(json.dumps({"id": "hf%d" % i, "title": "Report %d" % i,
                            "body": "Output fell by half in region %d, the office said." % i,
                            "date": "2021-01-%02d" % (i % 28 + 1)}) + "\n")
    g.write(json.dumps({"id": "kf1", "title": "The fourth khalif", "body": "The lecture traced how the fourth khalif ruled from Kufa.", "date": "2021-02-01"}) + "\n")
    for i, t in enumerate(["Coins of the caliph were struck in Damascus.", "The caliph built a palace by the river.", "Letters of a caliph were translated."]):
        g.write(json.dumps({"id": "cl%d" % (i + 1), "title": "The caliph", "body": t, "date": "2021-02-0%d" % (i + 2)}) + "\n")
    for i in range(55):
        g.write(json.dumps({"id": "gv%d" % i, "title": "Talks %d" % i,
                            "body": "Delegates met in Geneva for round %d of the talks." % i,
                            "date": "2021-03-%02d" % (i % 28 + 1)}) + "\n")
    g.write(json.dumps({"id": "gn1", "title": "Le lac", "body": "A French guide to Geneve and its lake.", "date": "2021-04-01"}) + "\n")
PY
"$BIN/indexer" -q --db "$TMP/common.db" "$gen" 2>/dev/null
expect_eq "khalif finds caliph, not half" "$(result_ids "$TMP/common.db" khalif)" "cl1 cl2 cl3 kf1"
# ... but a common word that is a name's variant of it (its consonants,
# vowels free) is its spelling (Geneve, Geneva), also where no capitals
# teach names (the archive is in capitals)
got=$(result_ids "$TMP/common.db" Geneve)
expect_contains "Geneve finds itself" " $got " " gn1 "
expect_contains "Geneve finds Geneva" " $got" " gv"
finish
