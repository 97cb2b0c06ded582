#!/bin/sh
# Unix manners of both programs: --version, --color=auto|always|never and
# NO_COLOR, -q for cron (nothing on stderr when all is well), results on
# stdout and errors on stderr, and the bash completions offering every
# long option of --help.
. tests/e2e/lib.inc
DB=$TMP/db
ESC=$(printf '\033')

# indexer: the summary's colour
"$BIN/indexer" --db "$DB" --color=always corpus/ 2>"$TMP/err" >"$TMP/out"
expect_status "indexer --color=always" "$?" 0
expect_contains "indexer --color=always colours" "$(cat "$TMP/err")" "${ESC}["
expect_eq "indexer prints nothing on stdout" "$(cat "$TMP/out")" ""
"$BIN/indexer" --db "$DB" corpus/ 2>"$TMP/err"
expect_not_contains "indexer --color=auto, not a terminal" "$(cat "$TMP/err")" "${ESC}[1"
NO_COLOR=1 "$BIN/indexer" --db "$DB" --color=always corpus/ 2>"$TMP/err"
expect_contains "indexer --color=always beats NO_COLOR" "$(cat "$TMP/err")" "${ESC}["
"$BIN/indexer" --db "$DB" --color=never corpus/ 2>"$TMP/err"
expect_not_contains "indexer --color=never" "$(cat "$TMP/err")" "${ESC}["
out=$("$BIN/indexer" --db "$DB" --color=sometimes corpus/ 2>&1)
expect_status "indexer --color=sometimes" "$?" 2
expect_contains "indexer --color message" "$out" "auto, always or never"
if command -v script >/dev/null 2>&1; then
    # On a terminal: colour by default, none with NO_COLOR (set, not empty).
    script -qec "'$BIN/indexer' --db '$DB' corpus/" /dev/null >"$TMP/tty" 2>&1
    expect_contains "indexer on a terminal colours" "$(cat "$TMP/tty")" "${ESC}[1m"
    NO_COLOR=1 script -qec "'$BIN/indexer' --db '$DB' corpus/" /dev/null >"$TMP/tty" 2>&1
    expect_not_contains "indexer on a terminal, NO_COLOR" "$(cat "$TMP/tty")" "${ESC}[1m"
    script -qec "'$BIN/searcher' --db '$DB' Hezbollah" /dev/null >"$TMP/tty" 2>&1
    expect_contains "searcher on a terminal colours" "$(cat "$TMP/tty")" "${ESC}["
    NO_COLOR=1 script -qec "'$BIN/searcher' --db '$DB' Hezbollah" /dev/null >"$TMP/tty" 2>&1
    expect_not_contains "searcher on a terminal, NO_COLOR" "$(cat "$TMP/tty")" "${ESC}["
    NO_COLOR= script -qec "'$BIN/searcher' --db '$DB' Hezbollah" /dev/null >"$TMP/tty" 2>&1
    expect_contains "searcher, NO_COLOR empty" "$(cat "$TMP/tty")" "${ESC}["
fi

# -q: nothing on stderr when all is well; errors still said.
"$BIN/indexer" -q --db "$DB" corpus/ >"$TMP/out" 2>"$TMP/err"
expect_status "indexer -q" "$?" 0
expect_eq "indexer -q stderr" "$(cat "$TMP/err")" ""
expect_eq "indexer -q stdout" "$(cat "$TMP/out")" ""
"$BIN/indexer" -q --db "$DB" "$TMP/absent" >"$TMP/out" 2>"$TMP/err"
expect_status "indexer -q, a path missing" "$?" 1
expect_contains "indexer -q still reports errors" "$(cat "$TMP/err")" "absent"

# searcher: results on stdout, errors on stderr
"$BIN/searcher" -q --db "$DB" --color=always Hezbollah >"$TMP/out" 2>"$TMP/err"
expect_status "searcher -q" "$?" 0
expect_eq "searcher -q stderr" "$(cat "$TMP/err")" ""
expect_contains "searcher --color=always" "$(cat "$TMP/out")" "${ESC}["
NO_COLOR=1 "$BIN/searcher" --db "$DB" --color=always Hezbollah >"$TMP/out"
expect_contains "searcher --color=always beats NO_COLOR" "$(cat "$TMP/out")" "${ESC}["
"$BIN/searcher" --db "$DB" --color=never Hezbollah >"$TMP/out"
expect_not_contains "searcher --color=never" "$(cat "$TMP/out")" "${ESC}["
"$BIN/searcher" --db "$DB" Hezbollah >"$TMP/out"
expect_not_contains "searcher, not a terminal" "$(cat "$TMP/out")" "${ESC}["
"$BIN/searcher" --db "$DB" --color=maybe Hezbollah >/dev/null 2>&1
expect_status "searcher --color=maybe" "$?" 2
"$BIN/searcher" --db "$TMP/absent" Hezbollah >"$TMP/out" 2>"$TMP/err"
expect_status "searcher, no database" "$?" 3
expect_eq "searcher error: nothing on stdout" "$(cat "$TMP/out")" ""
expect_contains "searcher error on stderr" "$(cat "$TMP/err")" "absent"
"$BIN/searcher" --db "$DB" zzqqxxyy >"$TMP/out" 2>"$TMP/err"
expect_status "searcher, no results" "$?" 1

# --version: one line on stdout, status 0
for p in indexer searcher; do
    out=$("$BIN/$p" --version); rc=$?
    expect_status "$p --version" "$rc" 0
    expect_eq "$p --version lines" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1
    expect_contains "$p -V" "$("$BIN/$p" -V)" "$out"
done

# Bash completion: every long option of --help is offered.
if command -v bash >/dev/null 2>&1; then
    for p in indexer searcher; do
        want=$("$BIN/$p" --help | grep -o -- '--[a-z][a-z0-9-]*' | sed 's/-$//' | sort -u)
        got=$(bash -c ". completions/$p; COMP_WORDS=($p --); COMP_CWORD=1;
                       _tigris_$p; printf '%s\n' \"\${COMPREPLY[@]}\"" | sort -u)
        expect_eq "$p completion offers --help's options" "$got" "$want"
        got=$(bash -c ". completions/$p; COMP_WORDS=($p --color a); COMP_CWORD=2;
                       _tigris_$p; printf '%s\n' \"\${COMPREPLY[@]}\"")
        expect_eq "$p completion of --color" "$got" "$(printf 'auto\nalways')"
        bash -c ". completions/$p; complete -p $p" >/dev/null 2>&1 ||
            fail "$p completion not registered"
    done
fi
finish
