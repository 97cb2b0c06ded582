# Tigris - one non-recursive Makefile.
#
#   make            build bin/indexer, bin/searcher and build/libtigris.a
#   make check      unit tests (cmocka), end-to-end tests on corpus/ and the
#                   fault-injection sweep (make fault)
#   make check-long the same, with the long variants (TG_LONG=1)
#   make asan       the same test suite built with AddressSanitizer + UBSan
#   make fuzz       each libFuzzer target of tests/fuzz/ for FUZZ_S seconds (clang)
#   make memcheck   index, search and serve under valgrind: no leak, no bad read
#   make demo       index corpus/ and run a search (the README's first command)
#   make eval       ranking evaluation on $(SHARED)/eval (needs ../shared)
#   make eval-entities  names in every spelling: Tigris, BM25, MiniSearch (npm)
#   make bench      speed beside Xapian and FTS5, then the HTTP server (bench-http)
#   make bench-shards  indexing into 1, 2, 4 shards; latency local and remote
#   make bench-scale   cost as the archive grows to 400k and 2M articles
#   make install    PREFIX=/usr/local DESTDIR= (make uninstall: the same)
#   make clean

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR  ?= $(PREFIX)/share/bash-completion/completions
SHARED  ?= ../shared
BUILD   ?= build
BIN     ?= bin

PKGS := libutf8proc jansson zlib libxml-2.0 libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
XAPIAN_CXXFLAGS := $(shell xapian-config --cxxflags 2>/dev/null)
XAPIAN_LIBS     := $(shell xapian-config --libs 2>/dev/null)
CMOCKA_LIBS     := $(shell pkg-config --libs cmocka 2>/dev/null)

OPT      ?= -O2 -g
SAN      ?=
WARN     := -Wall -Wextra -Wshadow -Wno-unused-parameter
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS   += -std=c11 $(OPT) $(WARN) $(SAN) $(PKG_CFLAGS) -MMD -MP
CXXFLAGS += -std=c++17 $(OPT) $(WARN) $(SAN) $(XAPIAN_CXXFLAGS) -MMD -MP
LDFLAGS  += $(SAN)
LDLIBS   += $(PKG_LIBS) -lstemmer $(XAPIAN_LIBS) -lstdc++ -lpthread -lm

LIB_C   := $(wildcard lib/*.c)
LIB_CXX := lib/xapian_c.cc
# The web server's pages, stylesheet and scripts, compiled in (tools/embed.c).
ASSETS  := $(sort $(wildcard assets/*))
ASSETS_OBJ := $(BUILD)/gen/assets.o
LIB_OBJ := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o) $(ASSETS_OBJ)
LIB     := $(BUILD)/libtigris.a
# The shared library: its soname changes with the ABI (TIGRIS_VERSION_MAJOR
# in include/tigris.h), and it exports only the TIGRIS_API functions of
# include/tigris.h: every library object is built -fvisibility=hidden.
SOVERSION := 0
SOVERSION_FULL := 0.1.0
SONAME  := libtigris.so.$(SOVERSION)
SOLIB   := $(BUILD)/libtigris.so.$(SOVERSION_FULL)
$(LIB_OBJ): CFLAGS += -fPIC -fvisibility=hidden
$(LIB_OBJ): CXXFLAGS += -fPIC -fvisibility=hidden
MANPAGES := man/indexer.1 man/searcher.1 man/tigris.7

PROGS       := $(BIN)/indexer $(BIN)/searcher
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
E2E_TESTS   := $(sort $(wildcard tests/e2e/*.sh))

.PHONY: all check check-long unit e2e fault fuzz-regress fuzz fuzz-build memcheck asan demo deps eval eval-entities bench bench-http bench-shards bench-scale install uninstall clean
all: $(PROGS) $(SOLIB)

deps:
	sh scripts/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -Wall -Wextra $< -o $@

$(BUILD)/gen/assets.c: $(ASSETS) $(BUILD)/tools/embed Makefile
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(foreach a,$(ASSETS),$(notdir $(a))=$(a))

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(SOLIB): $(LIB_OBJ) lib/tigris.map
	@mkdir -p $(dir $@)
	$(CC) -shared $(LDFLAGS) -Wl,-soname,$(SONAME) -Wl,--no-undefined \
	  -Wl,--version-script,lib/tigris.map $(LIB_OBJ) $(LDLIBS) -o $@
	ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libtigris.so

# bin/searcher sends Glass's reads through the block cache
# (searcher/read_hooks.c, include/tg_blockcache.h).
SEARCHER_HOOKS := $(BUILD)/searcher/read_hooks.o
$(BIN)/searcher $(BUILD)/fault/searcher: $(SEARCHER_HOOKS)

$(BIN)/%: $(BUILD)/%/main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(LIB) $(LDLIBS) -o $@

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $< $(LIB) $(CMOCKA_LIBS) $(LDLIBS) -o $@

check: unit e2e fuzz-regress fault

# The long variant: the same with TG_LONG=1, which makes some e2e tests
# longer (13_crash.sh: 22 kills instead of 5, on the whole news archive).
check-long:
	TG_LONG=1 $(MAKE) check

# Each unit test program runs with tests/data as its fixtures directory.
unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
	  echo "== $$t"; TG_TESTDATA=tests/data $$t || fail=1; \
	done; exit $$fail

# BUILD, OPT and SAN too: 16_install.sh installs this very build.
e2e: $(PROGS) $(SOLIB)
	@pass=0; failn=0; for t in $(E2E_TESTS); do \
	  if BIN=$(BIN) BUILD=$(BUILD) OPT="$(OPT)" SAN="$(SAN)" SHARED=$(SHARED) sh $$t; then pass=$$((pass+1)); \
	  else echo "FAILED: $$t"; failn=$$((failn+1)); fi; \
	done; echo "e2e: $$pass passed, $$failn failed"; [ $$failn -eq 0 ]

# ---- fault injection (tests/fault/sweep.sh): the indexer and the searcher
# again, linked with a wrapper built with TG_FAULT_INJECT, whose Nth call
# that reaches a database throws (TG_FAULT_XAPIAN_AT=N); the sweep fails
# each call of an index run and of some searches in turn. The normal
# build compiles none of it.
FAULT_DIR   := $(BUILD)/fault
FAULT_PROGS := $(FAULT_DIR)/indexer $(FAULT_DIR)/searcher $(FAULT_DIR)/fault_search

$(FAULT_DIR)/xapian_c.o: lib/xapian_c.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) -DTG_FAULT_INJECT $(CXXFLAGS) -c $< -o $@

$(FAULT_DIR)/fault_search.o: tests/fault/fault_search.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DTG_FAULT_INJECT $(CFLAGS) -c $< -o $@

$(FAULT_DIR)/indexer $(FAULT_DIR)/searcher: $(FAULT_DIR)/%: $(BUILD)/%/main.o
$(FAULT_DIR)/fault_search: $(FAULT_DIR)/fault_search.o
$(FAULT_PROGS): $(FAULT_DIR)/xapian_c.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(filter-out $(FAULT_DIR)/xapian_c.o $(LIB),$^) $(FAULT_DIR)/xapian_c.o \
	  $(LIB) $(LDLIBS) -o $@

fault: $(FAULT_PROGS) $(PROGS)
	BIN=$(BIN) FAULT_BIN=$(FAULT_DIR) sh tests/fault/sweep.sh

# ---- fuzz targets (tests/fuzz/README.md). Each tests/fuzz/fuzz_NAME.c
# links either with libFuzzer (make fuzz: $(BUILD) = build/fuzz, clang) or
# with regress_main.c, which replays its seeds and the inputs kept under
# tests/data/fuzz-regress/NAME/ (make check, make asan).
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_BIN   := $(FUZZ_NAMES:%=$(BUILD)/fuzz-bin/%)
FUZZ_MAIN  ?= $(BUILD)/tests/fuzz/regress_main.o
FUZZ_LINK  ?=
FUZZ_S     ?= 60
FUZZ_SAN   := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined

$(BUILD)/tests/fuzz/%.o: CPPFLAGS += -Ilib -DTG_FUZZ_ROOT='"$(CURDIR)"'

$(BUILD)/fuzz-bin/%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/support.o $(FUZZ_MAIN) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(FUZZ_LINK) $(filter %.o,$^) $(LIB) $(LDLIBS) -o $@

.SECONDARY: $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz/fuzz_%.o) $(BUILD)/tests/fuzz/support.o $(BUILD)/tests/fuzz/regress_main.o

fuzz-regress: $(FUZZ_BIN)
	@fail=0; for n in $(FUZZ_NAMES); do \
	  d=tests/data/fuzz-regress/$$n; [ -d $$d ] || d=; \
	  $(BUILD)/fuzz-bin/$$n $$(sh tests/fuzz/seeds.sh $$n) $$d || { echo "FAILED: fuzz $$n"; fail=1; }; \
	done; exit $$fail

fuzz-build:
	$(MAKE) BUILD=build/fuzz BIN=build/fuzz/bin CC=clang CXX=clang++ OPT="-O1 -g" \
	  SAN="$(FUZZ_SAN)" FUZZ_MAIN= FUZZ_LINK="-fsanitize=fuzzer -fsanitize-link-c++-runtime" build/fuzz/fuzz-bins

$(BUILD)/fuzz-bins: $(FUZZ_BIN)
	@touch $@

# make fuzz FUZZ_S=N [FUZZ_TARGETS="http query"]: N seconds each.
fuzz: fuzz-build
	FUZZ_S=$(FUZZ_S) sh scripts/fuzz.sh build/fuzz/fuzz-bin $(FUZZ_TARGETS)

# The end-to-end paths under valgrind (scripts/memcheck.sh).
memcheck: $(PROGS)
	BIN=$(BIN) sh scripts/memcheck.sh

# The whole suite again under AddressSanitizer and UBSan, in its own tree.
asan:
	$(MAKE) BUILD=build/asan BIN=build/asan/bin OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  check

# Installs what is missing, builds, indexes corpus/ and shows a search.
demo:
	sh scripts/install-deps.sh
	$(MAKE) all
	sh scripts/demo.sh

eval: $(PROGS)
	SHARED=$(SHARED) sh scripts/eval.sh
	SHARED=$(SHARED) sh scripts/eval-robust.sh --loo
	SHARED=$(SHARED) sh scripts/eval-known-item.sh
	SHARED=$(SHARED) KNOWN_FROM=body sh scripts/eval-known-item.sh
	SHARED=$(SHARED) VARIANTS=mixed SYSTEMS="tigris bm25" sh scripts/eval-entities.sh

eval-entities: $(PROGS)
	SHARED=$(SHARED) sh scripts/eval-entities.sh

# Only the public header (include/tigris.h) is installed: the tg_*.h
# headers are the library's inside. tigris.pc is written with the PREFIX
# given here.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
	  $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SOLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SOLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libtigris.so
	install -m 644 include/tigris.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	  -e 's|@VERSION@|$(SOVERSION_FULL)|; s|@XAPIAN_LIBS@|$(XAPIAN_LIBS)|' \
	  tigris.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/tigris.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/tigris.pc
	install -m 644 man/indexer.1 man/searcher.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/tigris.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 644 completions/indexer completions/searcher $(DESTDIR)$(BASHCOMPDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/indexer $(DESTDIR)$(BINDIR)/searcher
	rm -f $(DESTDIR)$(LIBDIR)/libtigris.a $(DESTDIR)$(LIBDIR)/libtigris.so \
	  $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/$(notdir $(SOLIB))
	rm -f $(DESTDIR)$(INCLUDEDIR)/tigris.h $(DESTDIR)$(PKGCONFIGDIR)/tigris.pc
	rm -f $(DESTDIR)$(MANDIR)/man1/indexer.1 $(DESTDIR)$(MANDIR)/man1/searcher.1 \
	  $(DESTDIR)$(MANDIR)/man7/tigris.7
	rm -f $(DESTDIR)$(BASHCOMPDIR)/indexer $(DESTDIR)$(BASHCOMPDIR)/searcher

clean:
	rm -rf build bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- bench: Tigris beside Xapian out of the box and SQLite FTS5 on
# $(SHARED)/corpus/news-jsonl/news.jsonl; prints one table, writes
# bench/out/latest.json. BENCH_RUNS=1 for a quick run (see bench/run.sh).
# Then the HTTP server under wrk (bench/http.sh, bench/out/http.json).
bench: $(PROGS)
	SHARED=$(SHARED) sh bench/run.sh
	SHARED=$(SHARED) sh bench/http.sh

# The HTTP server alone: BENCH_HTTP_S=5 BENCH_SOAK_S=0 for a quick run.
bench-http: $(PROGS)
	SHARED=$(SHARED) sh bench/http.sh

# Kept shards: indexing 1, 2, 4 shards; latency of one database, local and
# remote shards (bench/shards.sh, bench/out/shards.json).
bench-shards: $(PROGS)
	SHARED=$(SHARED) sh bench/shards.sh

# How cost grows: archives of 40k, 400k, 2M articles made from ../shared
# (bench/scale_archive.py, in $TMPDIR), indexed serial, parallel and in
# shards (bench/scale.sh, bench/out/scale.json). SCALE_SIZES to choose.
bench-scale: $(PROGS)
	SHARED=$(SHARED) sh bench/scale.sh
