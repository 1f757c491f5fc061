// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>

#include "tdx_names.h"
#include "util.h"

/* arch/x86/kvm/vmx/tdx_errno.h and arch/x86/include/asm/tdx.h (v7.0) */
static const struct {
	uint64_t status;
	const char *name;
} statuses[] = {
	{ 0x4000000100000000ULL, "TDX_NON_RECOVERABLE_VCPU" },
	{ 0x4000000200000000ULL, "TDX_NON_RECOVERABLE_TD" },
	{ 0x6000000500000000ULL, "TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE" },
	{ 0x6000000700000000ULL, "TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE" },
	{ 0x8000000300000000ULL, "TDX_INTERRUPTED_RESUMABLE" },
	{ 0xC000010000000000ULL, "TDX_OPERAND_INVALID" },
	{ 0x8000020000000000ULL, "TDX_OPERAND_BUSY" },
	{ 0x8000020100000000ULL, "TDX_PREVIOUS_TLB_EPOCH_BUSY" },
	{ 0x8000020300000000ULL, "TDX_RND_NO_ENTROPY" },
	{ 0xC000030000000000ULL, "TDX_PAGE_METADATA_INCORRECT" },
	{ 0x8000070200000000ULL, "TDX_VCPU_NOT_ASSOCIATED" },
	{ 0x8000080000000000ULL, "TDX_KEY_GENERATION_FAILED" },
	{ 0xC000081100000000ULL, "TDX_KEY_STATE_INCORRECT" },
	{ 0x0000081500000000ULL, "TDX_KEY_CONFIGURED" },
	{ 0x0000082100000000ULL, "TDX_NO_HKID_READY_TO_WBCACHE" },
	{ 0x8000082400000000ULL, "TDX_FLUSHVP_NOT_DONE" },
	{ 0xC0000B0000000000ULL, "TDX_EPT_WALK_FAILED" },
	{ 0xC0000B0D00000000ULL, "TDX_EPT_ENTRY_STATE_INCORRECT" },
	{ 0xC0000C0200000000ULL, "TDX_METADATA_FIELD_NOT_READABLE" },
};

/* arch/x86/virt/vmx/tdx/tdx.h (v7.0), DEMOTE from the TDX module ABI */
static const char *const leaves[] = {
	[0] = "TDH.VP.ENTER",		[1] = "TDH.MNG.ADDCX",
	[2] = "TDH.MEM.PAGE.ADD",	[3] = "TDH.MEM.SEPT.ADD",
	[4] = "TDH.VP.ADDCX",		[6] = "TDH.MEM.PAGE.AUG",
	[7] = "TDH.MEM.RANGE.BLOCK",	[8] = "TDH.MNG.KEY.CONFIG",
	[9] = "TDH.MNG.CREATE",		[10] = "TDH.VP.CREATE",
	[11] = "TDH.MNG.RD",		[15] = "TDH.MEM.PAGE.DEMOTE",
	[16] = "TDH.MR.EXTEND",		[17] = "TDH.MR.FINALIZE",
	[18] = "TDH.VP.FLUSH",		[19] = "TDH.MNG.VPFLUSHDONE",
	[20] = "TDH.MNG.KEY.FREEID",	[21] = "TDH.MNG.INIT",
	[22] = "TDH.VP.INIT",		[24] = "TDH.PHYMEM.PAGE.RDMD",
	[26] = "TDH.VP.RD",		[28] = "TDH.PHYMEM.PAGE.RECLAIM",
	[29] = "TDH.MEM.PAGE.REMOVE",	[31] = "TDH.SYS.KEY.CONFIG",
	[33] = "TDH.SYS.INIT",		[34] = "TDH.SYS.RD",
	[35] = "TDH.SYS.LP.INIT",	[36] = "TDH.SYS.TDMR.INIT",
	[38] = "TDH.MEM.TRACK",		[40] = "TDH.PHYMEM.CACHE.WB",
	[41] = "TDH.PHYMEM.PAGE.WBINVD", [43] = "TDH.VP.WR",
	[45] = "TDH.SYS.CONFIG",
};

void tdxhp_tdx_status_name(uint64_t status, char *buf, size_t len)
{
	uint64_t class = status & 0xFFFFFFFF00000000ULL;

	if (!status) {
		snprintf(buf, len, "SUCCESS");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++) {
		if (statuses[i].status != class)
			continue;
		if (status == class)
			snprintf(buf, len, "%s", statuses[i].name);
		else
			snprintf(buf, len, "%s(0x%llx)", statuses[i].name,
				 (unsigned long long)(status & 0xFFFFFFFFULL));
		return;
	}
	snprintf(buf, len, "0x%016llx", (unsigned long long)status);
}

void tdxhp_seamcall_name(uint64_t leaf, char *buf, size_t len)
{
	if (leaf < ARRAY_SIZE(leaves) && leaves[leaf])
		snprintf(buf, len, "%s", leaves[leaf]);
	else
		snprintf(buf, len, "SEAMCALL#%llu", (unsigned long long)leaf);
}

const char *tdxhp_level_name(int level, char buf[8])
{
	static const char *const names[] = { "4K", "2M", "1G" };

	if (level >= 1 && level <= 3)
		return names[level - 1];
	snprintf(buf, 8, "L%d", level);
	return buf;
}

const char *tdxhp_split_reason_name(int reason, char buf[16])
{
	static const char *const names[] = { "convert", "punch-hole",
					     "accept" };

	if (reason >= 0 && reason < 3)
		return names[reason];
	snprintf(buf, 16, "reason%d", reason);
	return buf;
}
