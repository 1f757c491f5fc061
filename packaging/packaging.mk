# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Man pages, bash completion, systemd units, docs and dashboards:
# `make install` / `make uninstall` (PREFIX, DESTDIR and the *DIR variables
# of the Makefile) and `make dist`.  Included by the Makefile before `all`.
#
# Every tool in $(TOOLS) is installed, and needs man/<tool>.8 (the test
# tests/packaging/test_man.sh fails otherwise).  docs/packaging.md says
# how to update a page when an option changes.

MAN_SRCS := $(wildcard man/*.[1-8])
MAN_PAGES := $(addprefix $(OUTPUT)/,$(MAN_SRCS))
UNITS := $(wildcard packaging/systemd/*.service packaging/systemd/*.socket)
DASHBOARDS := $(wildcard dashboards/*.json dashboards/*.yml)
DOCS := README.md $(wildcard docs/*.md)
SCHEMAS := $(wildcard docs/schema/*.schema.json)
COMPLETION := completion/tdxhp

# The pages name the version they document; the options every tool shares,
# the TD filters and the exit status are written once, in man/*.in.
MAN_PARTS := $(wildcard man/*.in)
$(OUTPUT)/man/%: man/% $(MAN_PARTS) $(OUTPUT)/version.stamp
	@mkdir -p $(dir $@)
	$(call msg,MAN,$@)
	$(Q)sed -e 's/@VERSION@/$(VERSION)/g' \
		-e '/^@COMMON_OPTIONS@$$/{r man/common-options.in' -e 'd}' \
		-e '/^@FILTER_OPTIONS@$$/{r man/filter-options.in' -e 'd}' \
		-e '/^@EXIT_STATUS@$$/{r man/common-exit.in' -e 'd}' $< >$@

# The units name /usr/local paths: point them at where they are installed.
UNIT_SED := -e 's|/usr/local/sbin/|$(SBINDIR)/|g' \
	-e 's|/usr/local/share/doc/tdxhp|$(DOCDIR)|g'

.PHONY: install uninstall dist
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DOCDIR)/schema \
		$(DESTDIR)$(DATADIR)/tdxhp/dashboards \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(BASHCOMPDIR) \
		$(sort $(foreach p,$(MAN_SRCS),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))))
	install -m 0755 $(TOOL_BINS) $(DESTDIR)$(SBINDIR)/
	$(foreach p,$(MAN_PAGES),install -m 0644 $(p) \
		$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))/;)
	install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(SCHEMAS) $(DESTDIR)$(DOCDIR)/schema/
	install -m 0644 $(DASHBOARDS) $(DESTDIR)$(DATADIR)/tdxhp/dashboards/
	install -m 0644 dashboards/generate.py $(DESTDIR)$(DATADIR)/tdxhp/dashboards/
	$(foreach u,$(UNITS),sed $(UNIT_SED) $(u) >$(DESTDIR)$(SYSTEMDUNITDIR)/$(notdir $(u)) && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$(notdir $(u));)
	install -m 0644 packaging/sysusers/tdxhp.conf $(DESTDIR)$(SYSUSERSDIR)/
	install -m 0644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/tdxhp
	$(foreach t,$(TOOLS),ln -sf tdxhp $(DESTDIR)$(BASHCOMPDIR)/$(t);)

# Removes what install installed, and the directories only tdxhp uses.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(TOOLS))
	rm -f $(foreach p,$(MAN_SRCS),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))/$(notdir $(p)))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS)))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/schema/,$(notdir $(SCHEMAS)))
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/tdxhp/dashboards/,$(notdir $(DASHBOARDS)) generate.py)
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(UNITS)))
	rm -f $(DESTDIR)$(SYSUSERSDIR)/tdxhp.conf
	rm -f $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,tdxhp $(TOOLS))
	rmdir $(DESTDIR)$(DOCDIR)/schema $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(DATADIR)/tdxhp/dashboards \
		$(DESTDIR)$(DATADIR)/tdxhp 2>/dev/null || true

# A tarball of the committed tree (with uncommitted changes to tracked
# files, if any) and a VERSION file, so it builds without git.
DIST := tdxhp-$(VERSION)
dist:
	@[ -e .git ] || { echo "make dist: needs a git checkout" >&2; exit 1; }
	@mkdir -p $(OUTPUT)/dist
	echo '$(VERSION)' >$(OUTPUT)/dist/VERSION
	tree=$$(git stash create); \
	git archive --format=tar --prefix=$(DIST)/ \
		--add-file=$(OUTPUT)/dist/VERSION $${tree:-HEAD} | \
		gzip -n >$(OUTPUT)/$(DIST).tar.gz
	@echo "$(OUTPUT)/$(DIST).tar.gz"

# After an option change: the .TP entries each page misses, drafted from
# --help, and the entries --help no longer has (docs/packaging.md).
.PHONY: man-stubs
man-stubs: all
	@for t in $(TOOLS); do \
		$(OUTPUT)/$$t --help >$(OUTPUT)/man/$$t.help 2>&1; \
		python3 tests/packaging/mancheck.py --stubs $(OUTPUT)/man/$$t.help \
			$(OUTPUT)/man/$$t.8; \
		rm -f $(OUTPUT)/man/$$t.help; \
	done
