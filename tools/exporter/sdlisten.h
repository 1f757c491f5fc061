/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --web.systemd-socket: the listening sockets systemd passes on socket
 * activation, with sd_listen_fds(3) semantics and without libsystemd:
 * LISTEN_PID must be this process, LISTEN_FDS sockets start at fd 3, and
 * the variables are unset so no child inherits them.
 */
#ifndef TDXHP_EXPORTER_SDLISTEN_H
#define TDXHP_EXPORTER_SDLISTEN_H

/*
 * Take up to max passed sockets into fds (made non-blocking and
 * close-on-exec).  Returns how many, or -1 after saying why: none passed
 * to this process, too many, or one that is not a listening stream socket.
 */
int sd_listen_sockets(int *fds, int max);

#endif /* TDXHP_EXPORTER_SDLISTEN_H */
