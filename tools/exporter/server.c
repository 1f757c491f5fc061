// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exporter's HTTP/1.1 server: one epoll thread, non-blocking sockets,
 * level-triggered, GnuTLS for TLS.  See docs/exporter.md "HTTP server"
 * for why it is not libmicrohttpd.  Limits that idle or incomplete
 * connections cannot fill:
 *  - the whole head (TLS handshake included) has a deadline from accept,
 *    however slowly it trickles in;
 *  - when every slot (or an address's share) is taken, a new connection
 *    evicts the oldest one that has no complete request;
 *  - bcrypt runs on a bounded pool, at most one check per address at a
 *    time and a budget of failures per address; remembered credentials
 *    never wait for it.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "basicauth.h"
#include "http.h"
#include "httpparse.h"
#include "log.h"
#include "response.h"
#include "tls.h"
#include "util.h"
#include "workpool.h"

/* Request line plus headers must fit here, or 414 / 431. */
#define IN_CAP (16 * 1024)
/* A request body up to this size is skipped; a larger one closes. */
#define DISCARD_MAX (1 << 20)
#define LINGER_NS (2 * NSEC_PER_SEC)
/* Requests answered from one connection before others get a turn. */
#define BATCH 32
#define PEER_BUCKETS 1024
#define PEER_MAX 4096
/* Failed password checks per address: a burst, then one per 5 s. */
#define FAIL_BURST 5.0
#define FAIL_PER_NS (0.2 / NSEC_PER_SEC)
#define AUTH_QUEUE 64
#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL

enum state { ST_HANDSHAKE, ST_HEAD, ST_AUTH, ST_WRITE, ST_LINGER };
/* Timeout lists, each ordered by since (oldest first). */
enum list { L_HEAD, L_IDLE, L_WRITE, L_LINGER, NR_LISTS, L_NONE = NR_LISTS };
enum step { STEP_AGAIN, STEP_WAIT, STEP_CLOSE, STEP_PARKED };

struct peer {
	struct peer *next;
	unsigned char addr[16];
	unsigned int conns;
	bool auth_pending;
	double fail_tokens;
	uint64_t refilled_ns;
};

struct conn;

struct auth_job {
	struct work w;
	struct conn *c;
	struct auth *auth;
	struct basic_credentials cred;
	bool ok;
};

struct conn {
	struct conn *prev, *next; /* in lists[list] */
	struct conn *all_prev, *all_next;
	enum list list;
	uint64_t since;
	int fd;
	uint32_t events; /* epoll interest now; 0: not added */
	gnutls_session_t tls;
	enum state st;
	bool dead; /* closed; freed after this round */
	struct peer *peer;
	unsigned int served;
	bool close_after;
	bool tls_wants_write;
	uint64_t discard; /* body bytes still to skip */
	struct route_req q;
	struct response resp;
	size_t out_off; /* over head then body */
	size_t in_len;
	char in[IN_CAP];
};

struct list_head {
	struct conn *head, *tail;
};

struct http {
	struct http_opts o;
	struct routes routes;
	char *landing;
	int ep, stop_fd, pool_fd;
	pthread_t thread;
	bool thread_started;
	struct workpool *pool;
	struct tls_server *tls;
	/* rate_limit of the web config: a token bucket over every request */
	double rate_tokens;
	uint64_t rate_refilled_ns;
	struct list_head lists[NR_LISTS];
	struct conn *all;
	struct conn *graveyard; /* via next */
	unsigned int nr_conns, per_peer;
	uint64_t timeout_ns[NR_LISTS];
	struct peer *peers[PEER_BUCKETS];
	unsigned int nr_peers;
	struct peer overflow; /* every address once PEER_MAX are known */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* --log.level=debug: why a connection was closed or evicted. */
static void debug(const struct http *h, const char *what, const struct conn *c)
{
	char a[INET6_ADDRSTRLEN] = "?";
	const unsigned char *k = c->peer->addr;

	if (!log_enabled(LOG_DEBUG))
		return;
	if (!memcmp(k, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12))
		inet_ntop(AF_INET, k + 12, a, sizeof(a));
	else
		inet_ntop(AF_INET6, k, a, sizeof(a));
	log_debug(what, "client", a);
}

/* ---- timeout lists ---- */

static void list_del(struct http *h, struct conn *c)
{
	struct list_head *l;

	if (c->list == L_NONE)
		return;
	l = &h->lists[c->list];
	if (c->prev)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
	c->list = L_NONE;
}

/* Put c at the tail of list (as the newest), since = now. */
static void list_move(struct http *h, struct conn *c, enum list list,
		      uint64_t now)
{
	struct list_head *l = &h->lists[list];

	list_del(h, c);
	c->list = list;
	c->since = now;
	c->prev = l->tail;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

/* ---- addresses ---- */

static void peer_key(const struct sockaddr_storage *ss, unsigned char k[16])
{
	memset(k, 0, 16);
	if (ss->ss_family == AF_INET6) {
		memcpy(k, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	} else {
		/* v4 as a v4-mapped v6 address, so both share one table. */
		k[10] = k[11] = 0xff;
		memcpy(k + 12, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	}
}

static unsigned int peer_hash(const unsigned char k[16])
{
	uint32_t x = 2166136261u;

	for (int i = 0; i < 16; i++)
		x = (x ^ k[i]) * 16777619u;
	return x % PEER_BUCKETS;
}

static struct peer *peer_get(struct http *h, const struct sockaddr_storage *ss)
{
	unsigned char k[16];
	unsigned int b;
	struct peer *p;

	peer_key(ss, k);
	b = peer_hash(k);
	for (p = h->peers[b]; p; p = p->next)
		if (!memcmp(p->addr, k, 16))
			return p;
	if (h->nr_peers >= PEER_MAX)
		return &h->overflow;
	p = calloc(1, sizeof(*p));
	if (!p)
		return &h->overflow;
	memcpy(p->addr, k, 16);
	p->fail_tokens = FAIL_BURST;
	p->refilled_ns = now_ns();
	p->next = h->peers[b];
	h->peers[b] = p;
	h->nr_peers++;
	return p;
}

static void peer_refill(struct peer *p, uint64_t now)
{
	p->fail_tokens += (double)(now - p->refilled_ns) * FAIL_PER_NS;
	if (p->fail_tokens > FAIL_BURST)
		p->fail_tokens = FAIL_BURST;
	p->refilled_ns = now;
}

/* Forget addresses with no connection, no check and a full budget. */
static void peers_gc(struct http *h, uint64_t now)
{
	for (unsigned int b = 0; b < PEER_BUCKETS; b++) {
		struct peer **pp = &h->peers[b];

		while (*pp) {
			struct peer *p = *pp;

			peer_refill(p, now);
			if (!p->conns && !p->auth_pending &&
			    p->fail_tokens >= FAIL_BURST) {
				*pp = p->next;
				free(p);
				h->nr_peers--;
			} else {
				pp = &p->next;
			}
		}
	}
}

/* ---- connections ---- */

static void set_events(struct http *h, struct conn *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };

	if (ev == c->events)
		return;
	if (!ev)
		epoll_ctl(h->ep, EPOLL_CTL_DEL, c->fd, NULL);
	else if (epoll_ctl(h->ep, c->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD,
			   c->fd, &e))
		tdxhp_err("epoll_ctl: %s", strerror(errno));
	c->events = ev;
}

/* Close now; the memory goes at the end of the round, as events for c
 * may still be in the batch being handled. */
static void conn_free(struct http *h, struct conn *c)
{
	list_del(h, c);
	if (c->all_prev)
		c->all_prev->all_next = c->all_next;
	else
		h->all = c->all_next;
	if (c->all_next)
		c->all_next->all_prev = c->all_prev;
	set_events(h, c, 0);
	response_release(&c->resp);
	tls_session_free(c->tls);
	c->tls = NULL;
	close(c->fd);
	c->peer->conns--;
	h->nr_conns--;
	explicit_bzero(c->in, c->in_len);
	c->dead = true;
	c->next = h->graveyard;
	h->graveyard = c;
}

static void bury(struct http *h)
{
	while (h->graveyard) {
		struct conn *c = h->graveyard;

		h->graveyard = c->next;
		free(c);
	}
}

static bool evictable(const struct conn *c, uint64_t now)
{
	switch (c->list) {
	case L_HEAD:
	case L_IDLE:
	case L_LINGER:
		return true;
	case L_WRITE:
		/* A client that stopped reading for a second. */
		return now - c->since > NSEC_PER_SEC;
	default:
		return false;
	}
}

/* The oldest connection without a complete request, of peer p if given. */
static struct conn *victim(struct http *h, const struct peer *p, uint64_t now)
{
	static const enum list order[] = { L_LINGER, L_HEAD, L_IDLE, L_WRITE };

	for (unsigned int i = 0; i < ARRAY_SIZE(order); i++)
		for (struct conn *c = h->lists[order[i]].head; c; c = c->next) {
			if (p && c->peer != p)
				continue;
			if (evictable(c, now))
				return c;
			break; /* the rest of L_WRITE is newer still */
		}
	return NULL;
}

static struct peer *heaviest(struct http *h)
{
	struct peer *max = h->overflow.conns ? &h->overflow : NULL;

	for (unsigned int b = 0; b < PEER_BUCKETS; b++)
		for (struct peer *p = h->peers[b]; p; p = p->next)
			if (!max || p->conns > max->conns)
				max = p;
	return max;
}

static void accept_one(struct http *h, int fd, struct sockaddr_storage *ss,
		       uint64_t now)
{
	struct peer *p = peer_get(h, ss);
	struct conn *v = NULL, *c;
	int one = 1;

	if (p->conns >= h->per_peer) {
		v = victim(h, p, now);
		if (!v) {
			close(fd);
			return;
		}
		debug(h, "evicted: its address has too many connections", v);
		conn_free(h, v);
	} else if (h->nr_conns >= h->o.max_conns) {
		/* The heaviest address pays, so a flood cannot push out a
		 * client that opens one connection and sends at once. */
		v = victim(h, heaviest(h), now);
		if (!v)
			v = victim(h, NULL, now);
		if (!v) {
			close(fd);
			return;
		}
		debug(h, "evicted: every connection slot is taken", v);
		conn_free(h, v);
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->peer = p;
	c->list = L_NONE;
	p->conns++;
	h->nr_conns++;
	c->all_next = h->all;
	if (h->all)
		h->all->all_prev = c;
	h->all = c;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->st = h->o.wc->tls ? ST_HANDSHAKE : ST_HEAD;
	if (h->o.wc->tls && !(c->tls = tls_session_new(h->tls, fd))) {
		conn_free(h, c);
		return;
	}
	/* The head deadline starts now: a silent connection is incomplete. */
	list_move(h, c, L_HEAD, now);
	set_events(h, c, EPOLLIN);
}

static void accept_all(struct http *h, int listen_fd)
{
	uint64_t now = now_ns();

	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(listen_fd, (struct sockaddr *)&ss, &sl,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				tdxhp_err("accept: %s", strerror(errno));
			return;
		}
		accept_one(h, fd, &ss, now);
	}
}

/* ---- I/O ---- */

/* >0 bytes, 0 would block, -1 closed or failed. */
static ssize_t conn_recv(struct conn *c, char *buf, size_t len)
{
	ssize_t n;

	if (!c->tls) {
		n = recv(c->fd, buf, len, 0);
		if (n > 0)
			return n;
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		return -1;
	}
	n = gnutls_record_recv(c->tls, buf, len);
	if (n > 0)
		return n;
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
		c->tls_wants_write = gnutls_record_get_direction(c->tls);
		return 0;
	}
	return -1;
}

static ssize_t conn_send(struct conn *c, const char *buf, size_t len)
{
	ssize_t n;

	if (!c->tls) {
		n = send(c->fd, buf, len, MSG_NOSIGNAL);
		if (n >= 0)
			return n;
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	}
	n = gnutls_record_send(c->tls, buf, len);
	if (n >= 0)
		return n;
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
		c->tls_wants_write = gnutls_record_get_direction(c->tls);
		return 0;
	}
	return -1;
}

/*
 * rate_limit: golang.org/x/time/rate as the toolkit uses it, a bucket of
 * burst tokens refilled one per interval; without a token, 429.
 */
static bool rate_allow(struct http *h)
{
	const struct web_config *wc = h->o.wc;
	uint64_t now = now_ns();

	if (wc->rate_interval_s <= 0)
		return true;
	h->rate_tokens +=
		(double)(now - h->rate_refilled_ns) / 1e9 / wc->rate_interval_s;
	if (h->rate_tokens > wc->rate_burst)
		h->rate_tokens = wc->rate_burst;
	h->rate_refilled_ns = now;
	if (h->rate_tokens < 1.0)
		return false;
	h->rate_tokens -= 1.0;
	return true;
}

static void start_answer(struct http *h, struct conn *c, unsigned int status,
			 const char *text)
{
	if (c->close_after) {
		c->q.close = true;
		c->q.keep_alive_10 = false;
	}
	if (status)
		response_text(&c->resp, status, text, &c->q);
	else
		response_route(&h->routes, &c->q, &c->resp);
	c->out_off = 0;
	c->st = ST_WRITE;
	list_move(h, c, L_WRITE, now_ns());
}

static void auth_work(struct work *w)
{
	struct auth_job *j = (struct auth_job *)w;

	j->ok = auth_verify(j->auth, j->cred.user, j->cred.password);
	explicit_bzero(j->cred.user, sizeof(j->cred.user));
	explicit_bzero(j->cred.password, sizeof(j->cred.password));
}

/* Returns the step: answered now, or parked until the pool is done. */
static enum step authorize(struct http *h, struct conn *c,
			   const struct http_request *req)
{
	struct auth_job *j;
	uint64_t now;

	if (!rate_allow(h)) {
		start_answer(h, c, 429, "Too Many Requests\n");
		return STEP_AGAIN;
	}
	if (c->tls && !tls_client_ok(h->tls, c->tls)) {
		start_answer(h, c, 403,
			     "a valid client certificate is required\n");
		return STEP_AGAIN;
	}
	if (!h->o.auth) {
		start_answer(h, c, 0, NULL);
		return STEP_AGAIN;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		start_answer(h, c, 503, "out of memory\n");
		return STEP_AGAIN;
	}
	if (!req->authorization ||
	    basic_auth_parse(req->authorization, req->authorization_len,
			     &j->cred)) {
		free(j);
		start_answer(h, c, 401, "Unauthorized\n");
		return STEP_AGAIN;
	}
	if (auth_cached(h->o.auth, j->cred.user, j->cred.password)) {
		explicit_bzero(&j->cred, sizeof(j->cred));
		free(j);
		start_answer(h, c, 0, NULL);
		return STEP_AGAIN;
	}
	now = now_ns();
	peer_refill(c->peer, now);
	if (c->peer->auth_pending || c->peer->fail_tokens < 1.0) {
		/* One bcrypt per address at a time, and a failure budget. */
		explicit_bzero(&j->cred, sizeof(j->cred));
		free(j);
		start_answer(h, c, 429, "Too Many Requests\n");
		return STEP_AGAIN;
	}
	j->w.fn = auth_work;
	j->c = c;
	j->auth = h->o.auth;
	if (!workpool_submit(h->pool, &j->w)) {
		explicit_bzero(&j->cred, sizeof(j->cred));
		free(j);
		start_answer(h, c, 503, "Service Unavailable\n");
		return STEP_AGAIN;
	}
	c->peer->auth_pending = true;
	c->st = ST_AUTH;
	list_del(h, c);
	set_events(h, c, 0);
	return STEP_PARKED;
}

static void auth_done(struct http *h)
{
	struct work *w = workpool_done(h->pool), *next;

	for (; w; w = next) {
		struct auth_job *j = (struct auth_job *)w;
		struct conn *c = j->c;

		next = w->next;
		c->peer->auth_pending = false;
		if (!j->ok) {
			peer_refill(c->peer, now_ns());
			c->peer->fail_tokens -= 1.0;
		}
		if (j->ok)
			start_answer(h, c, 0, NULL);
		else
			start_answer(h, c, 401, "Unauthorized\n");
		free(j);
		/* Run it: the loop below picks it up through its events. */
		set_events(h, c, EPOLLOUT);
	}
}

static enum step step_handshake(struct http *h, struct conn *c)
{
	int r = gnutls_handshake(c->tls);

	if (!r) {
		c->st = ST_HEAD;
		return STEP_AGAIN;
	}
	if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
		c->tls_wants_write = gnutls_record_get_direction(c->tls);
		return STEP_WAIT;
	}
	debug(h, gnutls_strerror(r), c);
	return STEP_CLOSE;
}

/* Parse what is buffered; returns -1 if more input is needed. */
static int parse_buffered(struct http *h, struct conn *c, enum step *out)
{
	struct http_request req;
	long r;

	if (c->discard) {
		size_t n = c->discard < c->in_len ? (size_t)c->discard :
						    c->in_len;

		memmove(c->in, c->in + n, c->in_len - n);
		c->in_len -= n;
		c->discard -= n;
		if (c->discard)
			return -1;
	}
	if (!c->in_len)
		return -1;
	r = http_parse_request(c->in, c->in_len, IN_CAP, &req);
	if (!r)
		return -1;
	if (r < 0) {
		memset(&c->q, 0, sizeof(c->q));
		c->close_after = true;
		start_answer(
			h, c, (unsigned int)-r,
			-r == 400 ? "Bad Request\n" :
			-r == 414 ? "URI Too Long\n" :
			-r == 431 ? "Request Header Fields Too Large\n" :
			-r == 501 ? "Transfer-Encoding is not supported\n" :
				    "HTTP Version Not Supported\n");
		*out = STEP_AGAIN;
		return 0;
	}
	route_req_from(&c->q, &req);
	if (c->q.close || c->served + 1 >= h->o.max_requests)
		c->close_after = true;
	if (req.body_len > DISCARD_MAX) {
		c->close_after = true;
		start_answer(h, c, 413, "Content Too Large\n");
		*out = STEP_AGAIN;
		return 0;
	}
	c->discard = req.body_len;
	*out = authorize(h, c, &req);
	/* The head is consumed; the pointers into it are not used again. */
	memmove(c->in, c->in + r, c->in_len - (size_t)r);
	c->in_len -= (size_t)r;
	return 0;
}

static enum step step_head(struct http *h, struct conn *c)
{
	enum step s;
	ssize_t n;

	if (!parse_buffered(h, c, &s))
		return s;
	n = conn_recv(c, c->in + c->in_len, IN_CAP - c->in_len);
	if (n < 0)
		return STEP_CLOSE;
	if (!n)
		return STEP_WAIT;
	/* The first byte of the next request starts its head deadline. */
	if (c->list == L_IDLE)
		list_move(h, c, L_HEAD, now_ns());
	c->in_len += (size_t)n;
	return STEP_AGAIN;
}

static void start_linger(struct http *h, struct conn *c)
{
	if (c->tls)
		gnutls_bye(c->tls, GNUTLS_SHUT_WR);
	/* Read what the client still sends, so close() does not reset the
	 * connection before it has read the answer. */
	shutdown(c->fd, SHUT_WR);
	c->st = ST_LINGER;
	list_move(h, c, L_LINGER, now_ns());
}

static enum step step_write(struct http *h, struct conn *c)
{
	struct response *r = &c->resp;
	size_t total = r->head_len + r->body_len;

	while (c->out_off < total) {
		const char *p;
		size_t len;
		ssize_t n;

		if (c->out_off < r->head_len) {
			p = r->head + c->out_off;
			len = r->head_len - c->out_off;
		} else {
			p = r->body + (c->out_off - r->head_len);
			len = total - c->out_off;
		}
		n = conn_send(c, p, len);
		if (n < 0)
			return STEP_CLOSE;
		if (!n)
			return STEP_WAIT;
		c->out_off += (size_t)n;
		/* Progress: the stalled-write timeout starts again. */
		list_move(h, c, L_WRITE, now_ns());
	}
	response_release(r);
	c->served++;
	if (c->close_after) {
		start_linger(h, c);
		return STEP_AGAIN;
	}
	c->st = ST_HEAD;
	memset(&c->q, 0, sizeof(c->q));
	list_move(h, c, c->in_len ? L_HEAD : L_IDLE, now_ns());
	return STEP_AGAIN;
}

static enum step step_linger(struct conn *c)
{
	char sink[4096];
	ssize_t n;

	for (int i = 0; i < 16; i++) {
		n = c->tls ? gnutls_record_recv(c->tls, sink, sizeof(sink)) :
			     recv(c->fd, sink, sizeof(sink), 0);
		if (n == 0)
			return STEP_CLOSE;
		if (n < 0) {
			if (c->tls ? n == GNUTLS_E_AGAIN :
				     errno == EAGAIN || errno == EINTR)
				return STEP_WAIT;
			return STEP_CLOSE;
		}
	}
	return STEP_WAIT;
}

static uint32_t wanted_events(const struct conn *c)
{
	if (c->tls && c->st != ST_LINGER)
		return c->tls_wants_write ? EPOLLOUT : EPOLLIN;
	return c->st == ST_WRITE ? EPOLLOUT : EPOLLIN;
}

/* Run c until it must wait; true if it has more to do right away. */
static bool conn_run(struct http *h, struct conn *c)
{
	unsigned int start = c->served;

	for (;;) {
		enum step s;

		switch (c->st) {
		case ST_HANDSHAKE:
			s = step_handshake(h, c);
			break;
		case ST_HEAD:
			s = step_head(h, c);
			break;
		case ST_WRITE:
			c->tls_wants_write = true;
			s = step_write(h, c);
			break;
		case ST_LINGER:
			s = step_linger(c);
			break;
		default:
			return false;
		}
		if (s == STEP_PARKED)
			return false;
		if (s == STEP_CLOSE) {
			conn_free(h, c);
			return false;
		}
		if (s == STEP_WAIT) {
			set_events(h, c, wanted_events(c));
			return false;
		}
		if (c->served - start >= BATCH) {
			/* Others get a turn; come back without waiting. */
			set_events(h, c, EPOLLIN | EPOLLOUT);
			return true;
		}
	}
}

/* Close what is past its deadline; returns ms until the next one. */
static int expire(struct http *h)
{
	uint64_t now = now_ns(), next = UINT64_MAX;

	for (int l = 0; l < NR_LISTS; l++) {
		struct conn *c;

		while ((c = h->lists[l].head) &&
		       now - c->since >= h->timeout_ns[l]) {
			debug(h,
			      l == L_HEAD  ? "head deadline passed" :
			      l == L_IDLE  ? "idle timeout" :
			      l == L_WRITE ? "write stalled" :
					     "lingered",
			      c);
			conn_free(h, c);
		}
		if (c && c->since + h->timeout_ns[l] < next)
			next = c->since + h->timeout_ns[l];
	}
	if (next == UINT64_MAX)
		return 60000;
	return (int)((next - now) / NSEC_PER_MSEC) + 1;
}

/* Listening sockets are tagged with their slot of o.listen_fds. */
static bool is_listener(const struct http *h, const void *p)
{
	return (const int *)p >= h->o.listen_fds &&
	       (const int *)p < h->o.listen_fds + h->o.nr_listen;
}

static void *loop(void *arg)
{
	struct http *h = arg;
	struct epoll_event ev[64];
	uint64_t last_gc = now_ns();
	int timeout = 0;

	for (;;) {
		int n = epoll_wait(h->ep, ev, ARRAY_SIZE(ev), timeout);
		bool busy = false;

		if (n < 0 && errno != EINTR) {
			tdxhp_err("epoll_wait: %s", strerror(errno));
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			void *p = ev[i].data.ptr;

			if (p == &h->stop_fd)
				return NULL;
			if (is_listener(h, p))
				accept_all(h, *(int *)p);
			else if (p == &h->pool_fd)
				auth_done(h);
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = ev[i].data.ptr;

			if (is_listener(h, c) || (void *)c == &h->pool_fd ||
			    c->dead)
				continue;
			busy |= conn_run(h, c);
		}
		bury(h);
		timeout = busy ? 0 : expire(h);
		if (now_ns() - last_gc > 10 * NSEC_PER_SEC) {
			peers_gc(h, now_ns());
			last_gc = now_ns();
		}
	}
}

/* Every connection is an fd: make sure the limit allows max_conns. */
static int fd_limit(unsigned int max_conns)
{
	rlim_t need = (rlim_t)max_conns + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur >= need)
		return 0;
	rl.rlim_cur = rl.rlim_max < need ? rl.rlim_max : need;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur >= need)
		return 0;
	tdxhp_err(
		"--web.max-connections %u needs %llu open files, the limit is %llu",
		max_conns, (unsigned long long)need,
		(unsigned long long)rl.rlim_max);
	return -1;
}

static int add_fd(struct http *h, int fd, void *tag)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = tag };

	return epoll_ctl(h->ep, EPOLL_CTL_ADD, fd, &e);
}

struct http *http_start(const struct http_opts *o)
{
	struct http *h = calloc(1, sizeof(*h));

	if (!h) {
		tdxhp_err("out of memory");
		return NULL;
	}
	h->o = *o;
	h->ep = h->stop_fd = -1;
	for (int l = 0; l < NR_LISTS; l++)
		h->lists[l].head = h->lists[l].tail = NULL;
	h->timeout_ns[L_HEAD] = o->header_timeout_ns;
	h->timeout_ns[L_IDLE] = o->idle_timeout_ns;
	h->timeout_ns[L_WRITE] = o->idle_timeout_ns;
	h->timeout_ns[L_LINGER] = LINGER_NS;
	/* One address may hold a quarter of the slots, at least 4. */
	h->per_peer = o->max_conns / 4 > 4 ? o->max_conns / 4 : 4;
	h->overflow.fail_tokens = FAIL_BURST;
	h->landing = http_landing_page(o->telemetry_path, o->sim_label,
				       &h->routes.landing_len);
	h->routes.landing = h->landing;
	h->routes.telemetry_path = o->telemetry_path;
	h->routes.c = o->c;
	if (!h->landing) {
		tdxhp_err("out of memory");
		goto fail;
	}
	if (fd_limit(o->max_conns))
		goto fail;
	if (o->wc->tls && !(h->tls = tls_server_new(o->wc)))
		goto fail;
	h->rate_tokens = o->wc->rate_burst;
	h->rate_refilled_ns = now_ns();
	if (o->auth) {
		h->pool = workpool_new(o->threads, AUTH_QUEUE, &h->pool_fd);
		if (!h->pool)
			goto fail;
	}
	h->ep = epoll_create1(EPOLL_CLOEXEC);
	h->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (h->ep < 0 || h->stop_fd < 0 || add_fd(h, h->stop_fd, &h->stop_fd) ||
	    (h->pool && add_fd(h, h->pool_fd, &h->pool_fd))) {
		tdxhp_err("cannot start the HTTP server: %s", strerror(errno));
		goto fail;
	}
	for (unsigned int i = 0; i < h->o.nr_listen; i++)
		if (add_fd(h, h->o.listen_fds[i], &h->o.listen_fds[i])) {
			tdxhp_err("cannot start the HTTP server: %s",
				  strerror(errno));
			goto fail;
		}
	if (pthread_create(&h->thread, NULL, loop, h)) {
		tdxhp_err("cannot start the HTTP thread");
		goto fail;
	}
	h->thread_started = true;
	return h;
fail:
	http_stop(h);
	return NULL;
}

void http_stop(struct http *h)
{
	uint64_t one = 1;
	struct work *w, *next;

	if (!h)
		return;
	if (h->thread_started) {
		if (write(h->stop_fd, &one, sizeof(one)) < 0)
			tdxhp_err("cannot stop the HTTP thread: %s",
				  strerror(errno));
		pthread_join(h->thread, NULL);
	}
	/* Connections waiting for a password check are freed with the job. */
	for (w = workpool_free(h->pool); w; w = next) {
		struct auth_job *j = (struct auth_job *)w;

		next = w->next;
		conn_free(h, j->c);
		free(j);
	}
	while (h->all)
		conn_free(h, h->all);
	bury(h);
	for (unsigned int b = 0; b < PEER_BUCKETS; b++)
		while (h->peers[b]) {
			struct peer *p = h->peers[b];

			h->peers[b] = p->next;
			free(p);
		}
	tls_server_free(h->tls);
	if (h->ep >= 0)
		close(h->ep);
	if (h->stop_fd >= 0)
		close(h->stop_fd);
	free(h->landing);
	free(h);
}
