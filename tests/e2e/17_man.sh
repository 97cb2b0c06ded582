#!/bin/sh
# The man pages agree with the programs: every long option in `--help` is
# in the page and every option the page names is in `--help`; every option
# the program accepts (its getopt table) is in `--help`; the exit statuses
# of the page are those of `--help`; and each page renders without a
# warning (man -l, else groff).
. tests/e2e/lib.inc

# Long options of text on stdin, one per line, sorted, without "=...".
long_opts() { grep -o -- '--[a-z][a-z0-9-]*' | sed 's/-$//' | sort -u; }

for p in indexer searcher; do
    page=man/$p.1
    help=$("$BIN/$p" --help)
    in_help=$(printf '%s\n' "$help" | long_opts)
    # roff writes a hyphen as \- : read the page as text.
    in_page=$(sed -e 's/\\-/-/g' "$page" | grep -v '^\.\\"' | long_opts)
    in_code=$(sed -n '/longopts\[\] = {/,/{ NULL, 0, NULL, 0 }/p' $p/main.c |
              sed -n 's/.*{ "\([a-z0-9-]*\)",.*/--\1/p' | sort -u)
    for o in $in_help; do
        printf '%s\n' "$in_page" | grep -qx -- "$o" || fail "$p: $o is in --help, not in $page"
        ok
    done
    for o in $in_page; do
        printf '%s\n' "$in_help" | grep -qx -- "$o" || fail "$p: $page names $o, --help does not"
        ok
    done
    [ -n "$in_code" ] || fail "$p: no getopt table found in $p/main.c"
    for o in $in_code; do
        printf '%s\n' "$in_help" | grep -qx -- "$o" || fail "$p: $o is accepted but not in --help"
        ok
    done
    # EXIT STATUS: the codes of the page, each in the help's "Exit status".
    codes=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /s/^\.B \([0-9][0-9]*\)$/\1/p' "$page" | tr '\n' ' ')
    [ -n "$codes" ] || fail "$p: no exit status in $page"
    exit_help=$(printf '%s\n' "$help" | sed -n '/^Exit status/,/^$/p' | tr '\n' ' ')
    for c in $codes; do
        expect_contains "$p --help exit status $c" "$exit_help" " $c "
    done
    "$BIN/$p" --version | grep -q "^$p (tigris) [0-9][0-9.]*, xapian " ||
        fail "$p --version: $("$BIN/$p" --version)"
    ok
done

for page in man/indexer.1 man/searcher.1 man/tigris.7; do
    name=$(basename "$page" | sed 's/\.[0-9]$//' | tr a-z A-Z)
    if command -v man >/dev/null 2>&1; then
        out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>"$TMP/warn")
    elif command -v groff >/dev/null 2>&1; then
        out=$(groff -man -ww -Tutf8 "$page" 2>"$TMP/warn")
    else
        echo "  skip [$NAME]: neither man nor groff to render $page"; continue
    fi
    expect_contains "$page renders" "$out" "$name("
    expect_contains "$page has NAME" "$out" "NAME"
    expect_eq "$page warnings" "$(cat "$TMP/warn")" ""
done
finish
