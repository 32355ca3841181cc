# tshoot — plain GNU make.  `make`, `make run`, `make check`, `make install`, `make clean`.
# Quiet unless V=1.  Objects go to $(BUILD) (default build/); `make asan` uses build-asan/.

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
VERSION  := 0.1.0
PKG_CONFIG ?= pkg-config
# libcurl is compiled against (its headers) but not linked: checks/curl_dl.c dlopens it
# on first use, so commands without an http or proxy check never load it.
PKGS     := ncursesw menuw formw panelw libcurl openssl yaml-0.1 json-c
LINK_PKGS := $(filter-out libcurl,$(PKGS))

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
            -Wpointer-arith -Wundef -Wvla -Wno-unused-parameter -Wimplicit-fallthrough
# Warnings are errors in CI (CI=true) and whenever WERROR=1.
ifneq ($(filter true 1,$(CI) $(WERROR)),)
WARN     += -Werror
endif
DEFS     := -D_GNU_SOURCE -DTSHOOT_VERSION=\"$(VERSION)\" -DTSHOOT_DATADIR=\"$(PREFIX)/share/tshoot\"
# pkg-config is asked only when building (deps.sh may have to install it first).
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# The small libraries every run loads (ncurses, libyaml, json-c) are linked statically
# when their archives are there: each shared library is start-up time in every
# `tshoot check`, which is measured against curl and openssl (bench/README.md).
# OpenSSL stays shared, as libcurl (loaded on demand) uses the same one. STATIC_SMALL=0
# links everything shared.
SMALL_PKGS := ncursesw menuw formw panelw yaml-0.1 json-c
STATIC_SMALL ?= $(if $(filter /%,$(shell $(CC) -print-file-name=libncursesw.a 2>/dev/null)),1,0)
ifeq ($(STATIC_SMALL),1)
PKG_LIBS   = -Wl,-Bstatic $(filter-out -ldl -lm -lpthread,$(shell $(PKG_CONFIG) --libs --static $(SMALL_PKGS) 2>/dev/null)) \
             -Wl,-Bdynamic $(shell $(PKG_CONFIG) --libs $(filter-out $(SMALL_PKGS),$(LINK_PKGS)) 2>/dev/null) -ldl
else
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(LINK_PKGS) 2>/dev/null)
endif
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
ALL_CFLAGS = -std=c11 $(WARN) $(DEFS) -I. $(PKG_CFLAGS) $(CFLAGS) $(SAN) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN) -pthread

# Sources are discovered, not listed.  The core library (src/ less the commands, main.c
# and cmd_*.c, and checks/)
# is what unit tests link: no ui/ in it.
MAIN_SRC := src/main.c $(wildcard src/cmd_*.c)
CORE_SRC := $(filter-out $(MAIN_SRC),$(wildcard src/*.c)) $(wildcard checks/*.c)
UI_SRC   := $(wildcard ui/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
UI_OBJ   := $(UI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libtshoot.a
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FIXT_SRC := $(wildcard tests/lib/*.c)
FIXT_BIN := $(FIXT_SRC:tests/lib/%.c=$(BUILD)/fixtures/%)
# Fuzz harnesses (tests/fuzz/README.md): with $(CC) they link tests/fuzz/standalone.c,
# which replays the corpus and makes a few deterministic mutations (`make check`);
# `make fuzz` builds them with clang's libFuzzer instead.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_MAIN := $(BUILD)/tests/fuzz/standalone.o

ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

.PHONY: all run check check-fast test unit asan asan-check valgrind install install-data deb uninstall clean deps test-deps lint-layers bench bench-lint bench-stats bench-resize bench-sweep fuzz
all: tshoot

deps:
	@sh scripts/deps.sh build
test-deps:
	@sh scripts/deps.sh test

# The binary lives at the top so the README's commands read naturally.
tshoot: $(BUILD)/tshoot
	$(Q)cp $< $@

$(BUILD)/tshoot: $(MAIN_OBJ) $(UI_OBJ) $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) -o $@ $(MAIN_OBJ) $(UI_OBJ) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

$(LIB): $(CORE_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# Where installed flows are looked for is compiled in: rebuild what uses it when PREFIX
# changes (`make install PREFIX=/usr` after a plain `make`).
$(BUILD)/.prefix: FORCE
	@mkdir -p $(BUILD)
	@echo '$(PREFIX)' | cmp -s - $@ 2>/dev/null || echo '$(PREFIX)' > $@
$(BUILD)/src/flow_catalog.o $(BUILD)/src/cmd_run.o $(BUILD)/src/cmd_tools.o $(BUILD)/src/cmd_check.o: $(BUILD)/.prefix
.PHONY: FORCE
FORCE:

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(CHECK_LIBS) -lm

$(BUILD)/fixtures/%: tests/lib/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)

# It prints the man page's parameter lists from the kinds' tables: it links the core.
$(BUILD)/fixtures/check_params_man: tests/lib/check_params_man.c $(LIB)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

.SECONDARY: $(FUZZ_MAIN)
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_MAIN) $(LIB)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(FUZZ_MAIN) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

$(BUILD)/libfuzzer/%: tests/fuzz/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

run: deps
	@$(MAKE) --no-print-directory tshoot
	./tshoot flows/sccm-sus-sync.yaml

unit: $(UNIT_BIN)

# The whole suite: unit (Check), integration against real loopback servers, TUI in tmux,
# then the same again under AddressSanitizer + UBSan.
check: test-deps lint-layers
	@$(MAKE) --no-print-directory tshoot $(UNIT_BIN) $(FIXT_BIN) $(FUZZ_BIN)
	@$(MAKE) --no-print-directory BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		CFLAGS="-O1 -g" build-asan/tshoot asan-units
	@bash tests/run.sh --build $(BUILD) --asan build-asan --valgrind

# The edit-compile-test loop: unit, integration and TUI tests on the normal build only
# (no ASan rebuild, no valgrind). ONLY='tui-*' narrows it to scripts/units by name.
ONLY ?= *
check-fast test: test-deps lint-layers
	@$(MAKE) --no-print-directory tshoot $(UNIT_BIN) $(FIXT_BIN) $(FUZZ_BIN)
	@bash tests/run.sh --build $(BUILD) --only '$(ONLY)'

asan-units: $(UNIT_BIN) $(FUZZ_BIN)
.PHONY: asan-units

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		CFLAGS="-O1 -g" build-asan/tshoot asan-units

# libFuzzer: build every harness with clang (coverage, ASan, UBSan) in build-fuzz/ and
# run each for FUZZ_SECONDS on its seeds; what it learns goes to build-fuzz/corpus-NAME,
# crashes to build-fuzz/crash-*. Installs clang when missing (as scripts/deps.sh does).
FUZZ_SECONDS ?= 60
FUZZ_FLAGS ?=
fuzz:
	@command -v clang >/dev/null 2>&1 || { \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		if [ -n "$$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then \
			echo "make fuzz: needs clang with libFuzzer: apt-get install clang" >&2; exit 1; fi; \
		echo "make fuzz: installing clang" >&2; \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq clang >/dev/null || exit 1; }
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }\n' | \
		clang -fsanitize=fuzzer -x c -o /dev/null - 2>/dev/null || \
		{ echo "make fuzz: clang has no libFuzzer runtime: apt-get install clang (with recommends: libclang-rt-*-dev)" >&2; exit 1; }
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="-O1 -g" \
		SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		$(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/libfuzzer/%)
	@set -e; for h in $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%); do \
		seeds=tests/fuzz/corpus/$$h; [ -d "$$seeds" ] || seeds=tests/fuzz/corpus/$${h%scan}; \
		dict=; [ ! -f tests/fuzz/$$h.dict ] || dict=-dict=tests/fuzz/$$h.dict; \
		mkdir -p build-fuzz/corpus-$$h; \
		echo "fuzz_$$h: $(FUZZ_SECONDS) s on $$seeds"; \
		build-fuzz/libfuzzer/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=build-fuzz/ $$dict $(FUZZ_FLAGS) build-fuzz/corpus-$$h $$seeds; \
	done

# Unit tests under valgrind (no fork, so leaks are seen in the test process itself).
valgrind: tshoot $(UNIT_BIN)
	@bash tests/run.sh --build $(BUILD) --valgrind-only

# Each room keeps to itself: only ui/ includes curses, only checks/ curl or OpenSSL, and
# checks/ takes from src/ only small utilities (util, diag, secret masking, the log
# scanner; the log kind also the flow model it scans with), never a front end or the
# engine: commands such as `tshoot check` live in src/.
lint-layers:
	@! grep -nE '#include *<(curses|ncurses|menu|form|panel)' src/*.[ch] checks/*.[ch] || { echo "curses outside ui/"; exit 1; }
	@! grep -nE '#include *<(curl/|openssl/)' src/*.[ch] ui/*.[ch] || { echo "network outside checks/"; exit 1; }
	@! grep -nE '#include *"(src|ui)/' checks/*.[ch] | grep -vE '"src/(util|diag|secret|logscan)\.h"' \
		| grep -vE '^checks/log\.c:[0-9]+:#include *"src/flow\.h"' || { echo "checks/ includes src/ beyond its utilities"; exit 1; }

bench: tshoot $(FIXT_BIN)
	@BUILD=$(BUILD) bash bench/checks.sh

# `tshoot lint` of generated flows of 1,000 and 10,000 nodes: time and memory (bench/README.md).
bench-lint: tshoot
	@BUILD=$(BUILD) bash bench/lint.sh

# `tshoot stats` of 10,000 generated journals: time and memory (bench/README.md).
bench-stats: tshoot
	@BUILD=$(BUILD) bash bench/stats.sh

# 1,000 loopback targets: tshoot sweep vs a shell loop vs xargs -P (bench/README.md).
# Not part of `make check`.
bench-sweep: tshoot $(FIXT_BIN)
	@BUILD=$(BUILD) bash bench/sweep.sh

# Repaint latency after a resize while a check runs (bench/README.md).
bench-resize: test-deps tshoot $(FIXT_BIN)
	@BUILD=$(BUILD) bash bench/resize.sh

install: tshoot install-data
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 tshoot $(DESTDIR)$(PREFIX)/bin/tshoot

# Everything but the binary (make deb installs its own, built for PREFIX=/usr).
install-data:
	install -d $(DESTDIR)$(PREFIX)/share/tshoot/flows/training $(DESTDIR)$(PREFIX)/share/tshoot/flows/lib \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/tshoot/schema
	install -m 644 schema/*.schema.json $(DESTDIR)$(PREFIX)/share/tshoot/schema/
	install -m 644 completion/tshoot.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/tshoot
	install -m 644 flows/*.yaml $(DESTDIR)$(PREFIX)/share/tshoot/flows/
	install -m 644 flows/lib/*.yaml $(DESTDIR)$(PREFIX)/share/tshoot/flows/lib/
	install -m 644 flows/training/*.yaml $(DESTDIR)$(PREFIX)/share/tshoot/flows/training/
	install -m 644 man/tshoot.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/tshoot-flow.5 $(DESTDIR)$(PREFIX)/share/man/man5/

# A Debian package, tshoot_VERSION-1_ARCH.deb in the top directory: the binary built for
# PREFIX=/usr in build-deb/, every library shared (Debian's rule: no embedded copies),
# the files of make install, Depends from the libraries it links (dpkg-shlibdeps) and
# libcurl4, which it loads on demand (scripts/mkdeb.sh).
deb:
	@sh scripts/deps.sh deb
	@$(MAKE) --no-print-directory BUILD=build-deb PREFIX=/usr STATIC_SMALL=0 build-deb/tshoot
	@sh scripts/mkdeb.sh $(VERSION)-1 build-deb/tshoot

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tshoot $(DESTDIR)$(PREFIX)/share/man/man1/tshoot.1 \
		$(DESTDIR)$(PREFIX)/share/man/man5/tshoot-flow.5 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/tshoot
	rm -rf $(DESTDIR)$(PREFIX)/share/tshoot

clean:
	rm -rf build build-asan build-fuzz build-deb tshoot tshoot_*.deb

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
