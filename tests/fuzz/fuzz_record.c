// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: any byte string fed to the recording reader must give
 * frames or a clear error, never a crash, a hang or a sanitizer report.
 */
#include <stdint.h>
#include <stdio.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdxhp_rec_reader r;
	struct tdxhp_frame fr;
	FILE *f;

	if (!size)
		return 0;
	f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	if (tdxhp_rec_open_stream(&r, f)) {
		fclose(f);
		return 0;
	}
	while (tdxhp_rec_next(&r, &fr) > 0)
		;
	tdxhp_rec_close_reader(&r);
	return 0;
}
