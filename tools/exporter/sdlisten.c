// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sdlisten.h"
#include "util.h"

#define SD_LISTEN_FDS_START 3

static bool is_listening_stream(int fd)
{
	int type = 0, listening = 0;
	socklen_t len = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    type != SOCK_STREAM)
		return false;
	len = sizeof(listening);
	return !getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) &&
	       listening;
}

int sd_listen_sockets(int *fds, int max)
{
	const char *pid_s = getenv("LISTEN_PID"), *fds_s = getenv("LISTEN_FDS");
	uint64_t pid, n;

	if (!pid_s || !fds_s) {
		tdxhp_err(
			"--web.systemd-socket: no socket passed (LISTEN_PID and LISTEN_FDS are unset: start the exporter from tdxhp-exporter.socket, or without --web.systemd-socket)");
		return -1;
	}
	if (tdxhp_parse_u64(pid_s, 1, UINT32_MAX, &pid) ||
	    tdxhp_parse_u64(fds_s, 0, 1024, &n)) {
		tdxhp_err(
			"--web.systemd-socket: malformed LISTEN_PID '%s' or LISTEN_FDS '%s'",
			pid_s, fds_s);
		return -1;
	}
	/* As sd_listen_fds(1): the variables are for this process only. */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if ((pid_t)pid != getpid()) {
		tdxhp_err(
			"--web.systemd-socket: the sockets were passed to process %llu, not to this one (%d)",
			(unsigned long long)pid, (int)getpid());
		return -1;
	}
	if (!n) {
		tdxhp_err(
			"--web.systemd-socket: LISTEN_FDS is 0: no socket passed");
		return -1;
	}
	if (n > (uint64_t)max) {
		tdxhp_err(
			"--web.systemd-socket: %llu sockets passed, at most %d are served",
			(unsigned long long)n, max);
		return -1;
	}
	for (int i = 0; i < (int)n; i++) {
		int fd = SD_LISTEN_FDS_START + i, fl = fcntl(fd, F_GETFL);

		if (fl < 0 || !is_listening_stream(fd)) {
			tdxhp_err(
				"--web.systemd-socket: fd %d is not a listening stream socket (ListenStream= in the socket unit)",
				fd);
			return -1;
		}
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) ||
		    fcntl(fd, F_SETFL, fl | O_NONBLOCK)) {
			tdxhp_err("--web.systemd-socket: fd %d: %s", fd,
				  strerror(errno));
			return -1;
		}
		fds[i] = fd;
	}
	return (int)n;
}
