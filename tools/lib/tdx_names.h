/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Names of TDX status codes and SEAMCALL leaves, for people to read. */
#ifndef TDXHP_TDX_NAMES_H
#define TDXHP_TDX_NAMES_H

#include <stddef.h>
#include <stdint.h>

/*
 * "TDX_OPERAND_BUSY" for a status whose class (upper 32 bits) is known,
 * with the operand detail in hex after it: "TDX_OPERAND_BUSY(0x...)".
 * Unknown statuses print as hex; 0 is "SUCCESS".
 */
void tdxhp_tdx_status_name(uint64_t status, char *buf, size_t len);

/* "TDH.MEM.PAGE.DEMOTE", or "SEAMCALL#N" for a leaf not in the table. */
void tdxhp_seamcall_name(uint64_t leaf, char *buf, size_t len);

/* "4K", "2M", "1G" or "L<n>". */
const char *tdxhp_level_name(int level, char buf[8]);

/* "convert", "punch-hole", "accept" or "reason<n>". */
const char *tdxhp_split_reason_name(int reason, char buf[16]);

#endif /* TDXHP_TDX_NAMES_H */
