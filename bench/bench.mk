# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Benchmarks: ratios measured side by side in one run, never pass/fail.

BENCH_SKEL := $(OUTPUT)/empty.skel.h

$(OUTPUT)/bpf/empty.bpf.o: bench/empty.bpf.c | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -MT $@ -MF $@.d -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp
	$(Q)rm -f $@.tmp

# bpf/tdxhp.bpf.c again, every core rule cut before step N
# (TDXHP_BENCH_CUT in bpf/core.bpf.h): bench_bpf costs each step side by
# side with the whole program.
BENCH_CUTS := 1 2 3 4 5 6
BENCH_CUT_SKELS := $(patsubst %,$(OUTPUT)/tdxhp_cut%.skel.h,$(BENCH_CUTS))

$(OUTPUT)/bpf/tdxhp_cut%.bpf.o: $(BPF_SRCS) | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -MT $@ -MF $@.d -DTDXHP_BENCH_CUT=$* -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp
	$(Q)rm -f $@.tmp

$(OUTPUT)/bench/%.o: bench/%.c $(SKEL) $(BENCH_SKEL)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/bench/bpf_steps.o: $(BENCH_CUT_SKELS)

$(OUTPUT)/bench/bench_bpf: $(OUTPUT)/bench/bench_bpf.o $(OUTPUT)/bench/cpu_batch.o $(OUTPUT)/bench/bpf_seamcall.o $(OUTPUT)/bench/bpf_steps.o $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS_BPF) -lm -lpthread -o $@

.PHONY: bench
bench: all $(OUTPUT)/bench/bench_bpf
	$(OUTPUT)/bench/bench_bpf convert
	@echo
	$(OUTPUT)/bench/bench_bpf storm
	@echo
	bench/bench_top.sh $(OUTPUT)
	@echo
	bench/bench_trace.sh $(OUTPUT)
	@echo
	@echo "exporter, simulator running (it takes about a core with 1,000 TDs):"
	bench/bench_exporter.sh $(OUTPUT)
	@echo
	@echo "exporter, frozen simulated picture (serving cost only):"
	XARGS="--sim-ticks 300" bench/bench_exporter.sh $(OUTPUT)

# Kernel memory of the BPF object at 2, 64 and 512 possible CPUs, measured
# in qemu guests running Debian's kernels (tests/qemu/boot.sh).
$(STATIC_DIR)/tdxhp-memload: $(OUTPUT)/bench/memload.o $(LIB)
	@mkdir -p $(dir $@)
	$(call msg,STATIC,$@)
	$(Q)$(CC) -static -s $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS_STATIC) -o $@

.PHONY: bench-memory
bench-memory: static
	bench/bench_memory.sh $(OUTPUT)
