# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-exporter: main in tools/tdxhp-exporter.c, the rest in tools/exporter/.
# Included by the top-level Makefile before `all`.

# This file is read before `all` is defined: keep `all` the default goal.
.DEFAULT_GOAL := all

TOOLS += tdxhp-exporter
LDLIBS_tdxhp-exporter := -lgnutls -lyaml -lcrypt -lcap -lz

EXPORTER_SRCS := $(wildcard tools/exporter/*.c)
EXPORTER_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(EXPORTER_SRCS))
EXPORTER_HDRS := $(wildcard tools/exporter/*.h)

$(OUTPUT)/tools/exporter/%.o: tools/exporter/%.c $(SKEL)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) -Itools/exporter -c $< -o $@

$(OUTPUT)/tools/tdxhp-exporter.o: CFLAGS += -Itools/exporter

# Its own link rule: the objects must come before libtdxhp.a.
$(OUTPUT)/tdxhp-exporter: $(OUTPUT)/tools/tdxhp-exporter.o $(EXPORTER_OBJS) $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(filter %.o %.a,$^) $(LDLIBS_BPF) \
		$(LDLIBS_tdxhp-exporter) -lm -lpthread -o $@
