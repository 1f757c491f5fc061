// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>

#include "kvmstat.h"

void kvm_pages_read(struct kvm_pages *k, const char *dir)
{
	static const char *const names[] = { "pages_4k", "pages_2m",
					     "pages_1g" };

	k->readable = true;
	for (int i = 0; i < 3; i++) {
		char path[256];
		unsigned long long v;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s",
			 dir ? dir : "/sys/kernel/debug/kvm", names[i]);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%llu", &v) != 1) {
			k->readable = false;
			v = 0;
		}
		if (f)
			fclose(f);
		k->pages[i] = v;
	}
}
