# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp: build BPF objects, skeletons, the library and the tools into $(OUTPUT).
#   make            build everything
#   make check      run every test (see tests/README.md)
#   make demo       install dependencies, build, show simulated histograms
#   make install    PREFIX=/usr/local DESTDIR=  (make uninstall undoes it)
#   make dist       tdxhp-VERSION.tar.gz, builds without git (docs/packaging.md)
#   make man-stubs  after an option change: man page entries drafted from --help
#   make V=1        show every command (quiet by default: "  CC      file")

OUTPUT ?= build
PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/tdxhp
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
CLANG ?= clang
CC ?= cc
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
# vX.Y.Z tags, else BASE_VERSION; a tarball's VERSION file (scripts/version.sh).
VERSION := $(shell scripts/version.sh)

# The clang BPF target does not know the host's system include paths.
# Evaluated when used, so `make demo` can install clang first.
CLANG_BPF_SYS_INCLUDES = $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

BPF_EXTRA ?=
BPF_CFLAGS = -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) \
	-Iinclude -Ibpf $(CLANG_BPF_SYS_INCLUDES) -Wall -Werror $(BPF_EXTRA)

CFLAGS ?= -g -O2
EXTRA_CFLAGS ?=
CFLAGS += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow \
	-Werror=implicit-function-declaration \
	-Wformat=2 -D_GNU_SOURCE -DTDXHP_VERSION='"$(VERSION)"' \
	-Iinclude -Itools/lib -I$(OUTPUT) $(EXTRA_CFLAGS)
LDLIBS_BPF := -lbpf -lelf -lz
# Each object lists the headers it included in a .d file next to it.
DEPFLAGS = -MMD -MP

# Quiet by default, one line per step as libbpf-bootstrap does; V=1 shows
# the commands.
ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-7s %s\n' '$(1)' '$(2)';
MAKEFLAGS += --no-print-directory
endif

LIB_SRCS := $(wildcard tools/lib/*.c) $(wildcard tools/lib/sim/*.c)
LIB_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(LIB_SRCS))
LIB := $(OUTPUT)/libtdxhp.a

BPF_SRCS := bpf/tdxhp.bpf.c
SKEL := $(OUTPUT)/tdxhp.skel.h

TOOLS := tdxhp-hist tdxhp-trace tdxhp-top tdxhp-load
# Extra link flags of a tool: LDLIBS_<tool>.
LDLIBS_tdxhp-hist := $(shell $(PKG_CONFIG) --libs json-c 2>/dev/null || echo -ljson-c)
LDLIBS_tdxhp-top := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw)
TOP_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(wildcard tools/top/*.c))

# The exporter builds from tools/exporter/ and adds itself to TOOLS.
-include tools/exporter/exporter.mk

TOOL_BINS = $(addprefix $(OUTPUT)/,$(TOOLS))

# Man pages, completion, units: install, uninstall and dist.
include packaging/packaging.mk

# Keep BPF objects: tests and bench load them directly.
.SECONDARY:

.PHONY: all clean check demo deps bench format
all: $(TOOL_BINS) $(MAN_PAGES)

deps:
	./scripts/install-deps.sh

$(OUTPUT) $(OUTPUT)/bpf:
	$(Q)mkdir -p $@

$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -MT $@ -MF $@.d -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp
	$(Q)rm -f $@.tmp

$(OUTPUT)/%.skel.h: $(OUTPUT)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp
	$(Q)mv $@.tmp $@

$(OUTPUT)/tools/%.o: tools/%.c $(SKEL)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

# Rebuild what embeds the version when it changes (a new commit or tag).
$(OUTPUT)/version.stamp: FORCE | $(OUTPUT)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' >$@
$(patsubst %.c,$(OUTPUT)/%.o,$(shell grep -rl TDXHP_VERSION tools --include='*.c')): \
	$(OUTPUT)/version.stamp
.PHONY: FORCE
FORCE:

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OUTPUT)/tdxhp-top: $(TOP_OBJS)

$(OUTPUT)/tdxhp-%: $(OUTPUT)/tools/tdxhp-%.o $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(filter %.o,$^) $(filter %.a,$^) $(LDLIBS_BPF) $(LDLIBS_tdxhp-$*) -lm -lpthread -o $@

clean:
	rm -rf $(OUTPUT)

# Quick start: install what is missing, build, show per-TD split
# histograms from a simulated TDX host, then the live view (no TDX hardware
# needed).  Without a terminal the live view prints three refreshes.
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	$(OUTPUT)/tdxhp-hist --simulate=steady -P -o split
	@if [ -t 1 ]; then $(OUTPUT)/tdxhp-top --simulate=storm; \
	else $(OUTPUT)/tdxhp-top --simulate=storm -b -n 3; fi

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# Static tools for a qemu guest's initramfs (tests/qemu/boot.sh): no libc
# in there.  The exporter is left out: Debian has no static p11-kit or
# libunistring for gnutls.
STATIC_DIR := $(OUTPUT)/static
STATIC_TOOLS := $(addprefix $(STATIC_DIR)/,tdxhp-hist tdxhp-trace tdxhp-top tdxhp-load)
LDLIBS_STATIC := $(LDLIBS_BPF) -lm -lpthread

$(STATIC_DIR)/tdxhp-top: $(TOP_OBJS)

$(STATIC_DIR)/tdxhp-%: $(OUTPUT)/tools/tdxhp-%.o $(LIB)
	@mkdir -p $(dir $@)
	$(call msg,STATIC,$@)
	$(Q)$(CC) -static -s $(CFLAGS) $(LDFLAGS) $(filter %.o,$^) $(filter %.a,$^) $(LDLIBS_tdxhp-$*) $(LDLIBS_STATIC) -o $@

.PHONY: static
static: $(STATIC_TOOLS) $(STATIC_DIR)/tdxhp-memload

# tests/qemu boots them.
tests: static

include tests/tests.mk
include bench/bench.mk

# What each object included, from its last build (none before the first).
-include $(wildcard $(OUTPUT)/bpf/*.d $(OUTPUT)/tools/*.d $(OUTPUT)/tools/*/*.d \
	$(OUTPUT)/tools/lib/sim/*.d $(OUTPUT)/tests/*/*.d $(OUTPUT)/bench/*.d)

# An object built before its .d existed (a tree from before dependency
# tracking, or a build stopped midway) says nothing of its headers: build
# it again once rather than link a stale one.
UNTRACKED_OBJS := $(foreach o,$(wildcard $(OUTPUT)/tools/*.o \
	$(OUTPUT)/tools/*/*.o $(OUTPUT)/tools/lib/sim/*.o \
	$(OUTPUT)/tests/*/*.o $(OUTPUT)/bench/*.o),$(if $(wildcard $(o:.o=.d)),,$(o))) \
	$(foreach o,$(wildcard $(OUTPUT)/bpf/*.bpf.o),$(if $(wildcard $(o).d),,$(o)))
$(UNTRACKED_OBJS): FORCE
