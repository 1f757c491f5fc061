// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "procself.h"

/* /proc/stat btime: the boot time in seconds since the epoch. */
static double boot_time(void)
{
	static double btime = -1;
	char line[256];
	FILE *f;

	if (btime >= 0)
		return btime;
	f = fopen("/proc/stat", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "btime ", 6)) {
			btime = strtod(line + 6, NULL);
			break;
		}
	fclose(f);
	return btime >= 0 ? btime : 0;
}

/* Fields 14, 15, 22, 23 and 24 of /proc/self/stat (proc(5)). */
static int read_stat(struct proc_self *p)
{
	unsigned long long utime, stime, start, vsize;
	long long rss;
	double hz = (double)sysconf(_SC_CLK_TCK);
	char buf[1024], *s;
	size_t n;
	FILE *f = fopen("/proc/self/stat", "r");

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: fields start after the last ')'. */
	s = strrchr(buf, ')');
	if (!s ||
	    sscanf(s + 1,
		   " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu"
		   " %*d %*d %*d %*d %*d %*d %llu %llu %lld",
		   &utime, &stime, &start, &vsize, &rss) != 5)
		return -1;
	p->cpu_seconds = (double)(utime + stime) / hz;
	p->start_time = boot_time() + (double)start / hz;
	p->virtual_bytes = vsize;
	p->resident_bytes =
		rss > 0 ? (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
	return 0;
}

/* The directory's own fd counts, as it does for client_golang. */
static uint64_t count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	uint64_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static double soft_limit(int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl))
		return 0;
	/* "unlimited" reads as 2^64 - 1 in procfs, as here. */
	return (double)rl.rlim_cur;
}

int proc_self_read(struct proc_self *p)
{
	memset(p, 0, sizeof(*p));
	p->open_fds = count_fds();
	p->max_fds = soft_limit(RLIMIT_NOFILE);
	p->virtual_max_bytes = soft_limit(RLIMIT_AS);
	return read_stat(p);
}
