// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "identity.h"

/* Resolution lands with the libvirt, machined and cgroup readers. */
void tdxhp_identity_resolve(pid_t pid, const struct tdxhp_identity_paths *paths,
			    struct tdxhp_identity *id)
{
	memset(id, 0, sizeof(*id));
}
