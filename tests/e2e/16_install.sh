#!/bin/sh
# make install into a stage (DESTDIR) installs exactly the programs, the
# one public header, the libraries, tigris.pc, the man pages and the
# completions; a program built against the stage with pkg-config, linked
# shared and static, indexes and searches; make uninstall removes it all.
# BUILD, OPT and SAN (from make check) say which build to install.
. tests/e2e/lib.inc
STAGE=$TMP/stage
PREFIX=/usr/local
MAKE=${MAKE:-make}
if ! $MAKE -s install DESTDIR="$STAGE" PREFIX=$PREFIX >"$TMP/install.log" 2>&1; then
    fail "make install: $(tail -5 "$TMP/install.log")"
    finish
fi
got=$(cd "$STAGE" && find . \( -type f -o -type l \) | sort | tr '\n' ' ')
want="./usr/local/bin/indexer ./usr/local/bin/searcher ./usr/local/include/tigris.h \
./usr/local/lib/libtigris.a ./usr/local/lib/libtigris.so ./usr/local/lib/libtigris.so.0 \
./usr/local/lib/libtigris.so.0.1.0 ./usr/local/lib/pkgconfig/tigris.pc \
./usr/local/share/bash-completion/completions/indexer \
./usr/local/share/bash-completion/completions/searcher \
./usr/local/share/man/man1/indexer.1 ./usr/local/share/man/man1/searcher.1 \
./usr/local/share/man/man7/tigris.7 "
expect_eq "installed files" "$got" "$want"
LIBD=$STAGE$PREFIX/lib
expect_eq "soname" "$(readelf -d "$LIBD/libtigris.so.0.1.0" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')" \
    "libtigris.so.0"
# Only the public API is exported.
other=$(nm -D --defined-only "$LIBD/libtigris.so" | awk '$3 !~ /^tigris_/ && $3 != "TIGRIS_0" {print $3}')
expect_eq "symbols exported besides tigris_*" "$other" ""
nm -D --defined-only "$LIBD/libtigris.so" | grep -q ' tigris_index_path@@TIGRIS_0$' ||
    fail "tigris_index_path not exported"
out=$("$STAGE$PREFIX/bin/indexer" --version)
expect_contains "installed indexer --version" "$out" "0.1.0"
expect_contains "tigris.pc version" "$(cat "$LIBD/pkgconfig/tigris.pc")" "Version: 0.1.0"

# The example, built as another project would: pkg-config into the stage.
export PKG_CONFIG_PATH="$LIBD/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$STAGE"
flags=$(pkg-config --cflags --libs tigris) || fail "pkg-config --cflags --libs tigris"
expect_contains "pkg-config flags" "$flags" "-ltigris"
# shellcheck disable=SC2086  # word splitting of flags wanted
if cc -std=c11 -Wall -Wextra -Werror ${SAN:-} examples/index_and_search.c $flags \
      -o "$TMP/demo" 2>"$TMP/cc.log"; then
    LD_LIBRARY_PATH=$LIBD ldd "$TMP/demo" | grep -q "$LIBD/libtigris.so.0" ||
        fail "the example does not load the staged libtigris.so.0"
    out=$(LD_LIBRARY_PATH=$LIBD "$TMP/demo" "$TMP/demo.db" "river flood" 2>&1); rc=$?
    expect_status "example (shared)" "$rc" 0
    expect_contains "example hits" "$out" "3 articles, 2 hits"
    expect_contains "example first hit" "$out" "1. The river floods [flood-2019]"
    out=$(LD_LIBRARY_PATH=$LIBD "$TMP/demo" "$TMP/demo.db" "zzzqqq" 2>&1)
    expect_status "example, nothing found" "$?" 1
    # A folder indexed as the indexer does: corpus/ holds 30 articles and a README.
    out=$(LD_LIBRARY_PATH=$LIBD "$TMP/demo" "$TMP/demo2.db" "Kataib Hezbollah" corpus 2>&1); rc=$?
    expect_status "example over corpus/" "$rc" 0
    expect_contains "example read the corpus" "$out" "read 30 files: 30 new articles"
    expect_contains "example README skipped" "$out" "README.md: skipped"
    expect_contains "example found KH" "$out" "33 articles"
else
    fail "example does not build against the stage: $(head -5 "$TMP/cc.log")"
fi
# libtigris.a linked in: its own dependencies are the Requires.private and
# Libs.private of tigris.pc (not `pkg-config --static`, which wants every
# library static, down to libxml2's).
static="-l:libtigris.a $(pkg-config --libs $(pkg-config --print-requires-private tigris | cut -d' ' -f1)) \
$(sed -n 's/^Libs.private: //p' "$LIBD/pkgconfig/tigris.pc")"
static="$(pkg-config --libs-only-L tigris) $static"
# shellcheck disable=SC2086
if cc -std=c11 ${SAN:-} examples/index_and_search.c $(pkg-config --cflags tigris) $static \
      -o "$TMP/demo-static" 2>"$TMP/cc2.log"; then
    ldd "$TMP/demo-static" | grep -q libtigris && fail "static example loads libtigris.so"
    out=$("$TMP/demo-static" "$TMP/demo3.db" "harvest" 2>&1)
    expect_status "example (static)" "$?" 0
    expect_contains "static example hit" "$out" "1. Harvest"
else
    fail "example does not link statically: $(head -5 "$TMP/cc2.log")"
fi
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

$MAKE -s uninstall DESTDIR="$STAGE" PREFIX=$PREFIX >/dev/null 2>&1
left=$(cd "$STAGE" && find . \( -type f -o -type l \) | tr '\n' ' ')
expect_eq "files left after make uninstall" "$left" ""
# PREFIX alone (no DESTDIR) is honoured the same way.
$MAKE -s install PREFIX="$TMP/opt" >/dev/null 2>&1
[ -f "$TMP/opt/include/tigris.h" ] && [ -x "$TMP/opt/bin/searcher" ] ||
    fail "make install PREFIX=$TMP/opt"
expect_contains "tigris.pc prefix" "$(cat "$TMP/opt/lib/pkgconfig/tigris.pc")" "prefix=$TMP/opt"
finish
