# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Test binaries; `make check` builds them and runs tests/run-all.sh.

FUZZ_BIN := $(OUTPUT)/fuzz/fuzz_record
FUZZ_HTTP_BIN := $(OUTPUT)/fuzz/fuzz_http
UNIT_TESTS := $(basename $(notdir $(wildcard tests/unit/test_*.c)))
BPF_TEST_SRCS := $(wildcard tests/bpf/test_*.c)
BPF_TESTS := $(basename $(notdir $(BPF_TEST_SRCS)))
BPF_TEST_LIB := $(patsubst %.c,$(OUTPUT)/%.o,$(filter-out $(BPF_TEST_SRCS),$(wildcard tests/bpf/*.c)))
# What only tests use (tests/lib): linked into every test, never into libtdxhp.
TEST_LIB := $(patsubst %.c,$(OUTPUT)/%.o,$(wildcard tests/lib/*.c))

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

UNIT_BINS := $(addprefix $(OUTPUT)/tests/unit/,$(UNIT_TESTS))
BPF_BINS := $(addprefix $(OUTPUT)/tests/bpf/,$(BPF_TESTS))
SAN_DIR := $(OUTPUT)/san

$(OUTPUT)/tests/%.o: tests/%.c $(SKEL)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) -Itests/bpf -Itests/lib -c $< -o $@

$(OUTPUT)/tests/unit/%: $(OUTPUT)/tests/unit/%.o $(TEST_LIB) $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ -lcmocka $(LDLIBS_BPF) -lm -lpthread -o $@

# tdxhp-top's own pieces that have unit tests.
$(OUTPUT)/tests/unit/test_top_text: $(OUTPUT)/tools/top/text.o $(OUTPUT)/tools/top/score.o

# The benchmarks' per-CPU event batches (bench/cpu_batch.c).
$(OUTPUT)/tests/unit/test_cpu_batch.o: CFLAGS += -Ibench
$(OUTPUT)/tests/unit/test_cpu_batch: $(OUTPUT)/bench/cpu_batch.o

$(OUTPUT)/tests/bpf/%: $(OUTPUT)/tests/bpf/%.o $(BPF_TEST_LIB) $(TEST_LIB) $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ -lcmocka $(LDLIBS_BPF) -lm -lpthread -o $@

# The same unit tests and library, built again under ASan and UBSan.
.PHONY: tests san-tests check
san-tests:
	$(call msg,MAKE,$(SAN_DIR))
	$(Q)$(MAKE) --no-print-directory OUTPUT=$(SAN_DIR) \
		EXTRA_CFLAGS="-O1 $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
		$(addprefix $(SAN_DIR)/tests/unit/,$(UNIT_TESTS))

# tdxhp-load built for another layout (one more counter in front), so the
# pin tests can check a refusal and a takeover across layouts.
VARIANT_DIR := $(OUTPUT)/variant
.PHONY: variant
variant:
	$(call msg,MAKE,$(VARIANT_DIR))
	$(Q)$(MAKE) --no-print-directory OUTPUT=$(VARIANT_DIR) \
		EXTRA_CFLAGS="-DTDXHP_LAYOUT_VARIANT" \
		BPF_EXTRA="-DTDXHP_LAYOUT_VARIANT" $(VARIANT_DIR)/tdxhp-load \
		$(VARIANT_DIR)/tdxhp-exporter

tests: all $(UNIT_BINS) $(BPF_BINS) san-tests $(FUZZ_BIN) $(FUZZ_HTTP_BIN) variant

check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory tests
	tests/run-all.sh $(OUTPUT)

# Fuzzing the recording reader (clang libFuzzer + ASan + UBSan).
# `make fuzz FUZZ_SECONDS=600` for a long run; tests/fuzz runs a short one.
FUZZ_SECONDS ?= 600

$(FUZZ_BIN): tests/fuzz/fuzz_record.c tools/lib/record.c tools/lib/record.h include/tdxhp/abi.h
	@mkdir -p $(dir $@)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Itools/lib \
		tests/fuzz/fuzz_record.c tools/lib/record.c -lz -o $@

# The exporter's request, Basic auth and web config parsers.
FUZZ_HTTP_SRCS := tests/fuzz/fuzz_http.c $(addprefix tools/exporter/,httpparse.c \
	basicauth.c response.c webconfig.c gzip.c buf.c negotiate.c tlsnames.c)
$(FUZZ_HTTP_BIN): $(FUZZ_HTTP_SRCS) $(wildcard tools/exporter/*.h)
	@mkdir -p $(dir $@)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -Iinclude \
		-Itools/lib -Itools/exporter -I$(OUTPUT) $(FUZZ_HTTP_SRCS) -lyaml -lz -o $@

.PHONY: fuzz
fuzz: $(FUZZ_BIN) $(FUZZ_HTTP_BIN) all
	tests/fuzz/run.sh $(OUTPUT) $(FUZZ_SECONDS)
	tests/fuzz/run_http.sh $(OUTPUT) $(FUZZ_SECONDS)

# The seamcall exit in a real fexit trampoline, for the qemu guests.
$(STATIC_DIR)/tdxhp-fexit-check: $(OUTPUT)/tests/qemu/fexit_check.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -static -s $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS_STATIC) -o $@
static: $(STATIC_DIR)/tdxhp-fexit-check
