# Makefile: build, test, run and install Hearth (GNU make)

SHELL := /bin/bash

PREFIX ?= /usr/local
SYSCONFDIR ?= /etc/hearth
STATEDIR ?= /var/lib/hearth
PORT ?= 8080
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
PY := /usr/bin/python3

# CI turns warnings into errors; a contributor's build only shows them.
WERROR := $(if $(CI),-Werror)
HEARTH_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) \
	-I. -Ilib -I/usr/include/ClearSilver -MMD -MP
LIBS := -lfcgi -lneo_cgi -lneo_cs -lneo_utl -lz -ldb-5.3 -lsodium -ljansson -lcurl -lroaring -lm -lopendkim

# Everything a fresh Debian 12 machine needs to build, run and test.
DEPS := build-essential clang libclang-rt-14-dev libfcgi-dev clearsilver-dev \
	libdb5.3-dev db5.3-util libsodium-dev libjansson-dev libcurl4-openssl-dev \
	libcmocka-dev libroaring-dev nginx-light apache2 wrk curl procps \
	python3 python3-pytest python3-pytest-xdist python3-requests python3-aiosmtpd openssl dovecot-imapd \
	chromium chromium-driver python3-selenium libopendkim-dev python3-dkim

LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard lib/*/*.c))
COMMUNITY_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cgi-bin/community/*.c))
OFFICE_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cgi-bin/office/*.c))
CTL_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard bin/hearthctl/*.c))
PROGS := $(BUILD)/cgi-bin/community $(BUILD)/cgi-bin/office $(BUILD)/bin/hearthctl

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 10
# Compilers and end-to-end modules at once, one per core.
JOBS ?= $(shell nproc)
ASAN := $(MAKE) BUILD=build/asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer"

.PHONY: all deps run test test-build unit unit-build fuzz fuzz-short e2e browser crash \
	check-fast asan asan-build bench install clean

all: $(PROGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HEARTH_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libhearth.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/cgi-bin/community: $(COMMUNITY_OBJ) $(BUILD)/libhearth.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/cgi-bin/office: $(OFFICE_OBJ) $(BUILD)/libhearth.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/bin/hearthctl: $(CTL_OBJ) $(BUILD)/libhearth.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The programs' route tables and pages, without main(), for the unit tests.
$(BUILD)/libprograms.a: $(filter-out %/main.o,$(COMMUNITY_OBJ) $(OFFICE_OBJ))
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libprograms.a $(BUILD)/libhearth.a
	@mkdir -p $(@D)
	$(CC) $(HEARTH_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lcmocka

# test_bulk counts every write of the candidate write path.
$(BUILD)/tests/test_bulk: private LDFLAGS += -Wl,--wrap=cand_write

# libFuzzer harnesses: the library rebuilt with clang, ASan and coverage.
# Objects track their headers (-MMD); a harness is rebuilt when any header
# of lib/ changes, as it may lay out the library's structs itself.
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 -I. -Ilib -I/usr/include/ClearSilver \
	-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/fuzz/%: tests/fuzz/%.c $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(wildcard lib/*/*.c)) \
		$(wildcard lib/*/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $(filter-out %.h,$^) $(LIBS)

# Installs the Debian packages that are missing, then the browser suite's npm packages
# (axe-core and html-validate, pinned by tests/browser/package-lock.json) when the lock
# file is newer than what npm last installed; quiet when nothing is missing. npm is looked
# for as a command, not a package: NodeSource's nodejs provides it and conflicts with
# Debian's npm.
deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q '^install ok installed' || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			--no-install-recommends $$missing; \
	fi
	@[ tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json ] || \
		(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

run: deps all
	PORT=$(PORT) bin/hearth-run --port $(PORT)

unit-build: $(UNIT_TESTS)

unit: unit-build
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

fuzz-short: $(FUZZERS)
	@set -e; for f in $(FUZZERS); do n=$$(basename $$f); \
		mkdir -p $(BUILD)/fuzz/corpus/$$n; \
		echo "== $$n ($(FUZZ_SECONDS) s)"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(BUILD)/fuzz/ \
			$(BUILD)/fuzz/corpus/$$n tests/fuzz/corpus/$$n \
			$$(test -d tests/fuzz/repro/$$n && echo tests/fuzz/repro/$$n) \
			> $(BUILD)/fuzz/$$n.log 2>&1 \
			|| { tail -n 60 $(BUILD)/fuzz/$$n.log; exit 1; }; \
		tail -n 1 $(BUILD)/fuzz/$$n.log; done

fuzz:
	$(MAKE) fuzz-short FUZZ_SECONDS=600

# Each module starts its own stack on free ports: modules run side by side.
e2e: all
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile tests/e2e

browser: all
	$(PY) -m pytest -q tests/browser

crash: all
	$(PY) -m pytest -q tests/crash

check-fast: all unit

# Everything the suites need is built first, in parallel; then the suites
# run one after another.
test: deps
	$(MAKE) -j$(JOBS) test-build
	$(MAKE) unit asan fuzz-short e2e browser crash

test-build: all unit-build asan-build $(FUZZERS)

# The library and unit tests under AddressSanitizer and UBSan.
asan:
	+$(ASAN) unit

asan-build:
	+$(ASAN) unit-build

bench: deps all
	tests/bench/run

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/cgi-bin/hearth $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/hearth $(DESTDIR)$(SYSCONFDIR) $(DESTDIR)$(STATEDIR)
	install -m 755 $(BUILD)/cgi-bin/community $(BUILD)/cgi-bin/office \
		$(DESTDIR)$(PREFIX)/lib/cgi-bin/hearth/
	install -m 755 $(BUILD)/bin/hearthctl $(DESTDIR)$(PREFIX)/bin/
	cp -R templates htdocs conf $(DESTDIR)$(PREFIX)/share/hearth/
	for f in conf/nginx/hearth.conf conf/apache/hearth.conf conf/systemd/*.service; do \
		install -d $(DESTDIR)$(PREFIX)/share/hearth/$$(dirname $$f); \
		sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@HTDOCS@|$(PREFIX)/share/hearth/htdocs|g' \
			-e 's|@RUNDIR@|$(STATEDIR)/run|g' -e 's|@LISTEN@|*:80|g' \
			-e 's|@SERVER_NAME@|localhost|g' $$f \
			> $(DESTDIR)$(PREFIX)/share/hearth/$$f; done
	test -e $(DESTDIR)$(SYSCONFDIR)/hearth.hdf || printf '%s\n' \
		'Db.Home = $(STATEDIR)/db' 'Web.RunDir = $(STATEDIR)/run' \
		'Mail.OutboxDir = $(STATEDIR)/outbox' 'Site.SecretFile = $(STATEDIR)/secret' \
		'Office.ImportDir = $(STATEDIR)/imports' \
		> $(DESTDIR)$(SYSCONFDIR)/hearth.hdf

clean:
	rm -rf build

# The ASan-built library objects are reused between fuzz runs.
.SECONDARY:

-include $(shell find $(BUILD)/obj $(BUILD)/fuzz -name '*.d' 2>/dev/null)
