// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util.h"
#include "workpool.h"

struct workpool {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct work *head, *tail; /* waiting */
	unsigned int waiting, queue_max;
	struct work *done, *done_tail;
	bool stop;
	int efd;
	unsigned int nr_threads;
	pthread_t threads[];
};

static void append(struct work **head, struct work **tail, struct work *w)
{
	w->next = NULL;
	if (*tail)
		(*tail)->next = w;
	else
		*head = w;
	*tail = w;
}

static void *worker(void *arg)
{
	struct workpool *p = arg;
	uint64_t one = 1;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct work *w;

		while (!p->head && !p->stop)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->stop)
			break;
		w = p->head;
		p->head = w->next;
		if (!p->head)
			p->tail = NULL;
		p->waiting--;
		pthread_mutex_unlock(&p->lock);
		w->fn(w);
		pthread_mutex_lock(&p->lock);
		append(&p->done, &p->done_tail, w);
		if (write(p->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			tdxhp_err("workpool: eventfd: %s", strerror(errno));
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct workpool *workpool_new(unsigned int threads, unsigned int queue_max,
			      int *event_fd)
{
	struct workpool *p =
		calloc(1, sizeof(*p) + threads * sizeof(pthread_t));

	if (!p) {
		tdxhp_err("out of memory");
		return NULL;
	}
	p->queue_max = queue_max;
	p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->efd < 0) {
		tdxhp_err("eventfd: %s", strerror(errno));
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	for (; p->nr_threads < threads; p->nr_threads++) {
		if (pthread_create(&p->threads[p->nr_threads], NULL, worker,
				   p)) {
			tdxhp_err("cannot start a worker thread");
			workpool_free(p);
			return NULL;
		}
	}
	*event_fd = p->efd;
	return p;
}

bool workpool_submit(struct workpool *p, struct work *w)
{
	bool ok;

	pthread_mutex_lock(&p->lock);
	ok = p->waiting < p->queue_max;
	if (ok) {
		append(&p->head, &p->tail, w);
		p->waiting++;
		pthread_cond_signal(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

struct work *workpool_done(struct workpool *p)
{
	struct work *w;
	uint64_t n;

	if (read(p->efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		tdxhp_err("workpool: eventfd: %s", strerror(errno));
	pthread_mutex_lock(&p->lock);
	w = p->done;
	p->done = p->done_tail = NULL;
	pthread_mutex_unlock(&p->lock);
	return w;
}

struct work *workpool_free(struct workpool *p)
{
	struct work *left, *w;

	if (!p)
		return NULL;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (unsigned int i = 0; i < p->nr_threads; i++)
		pthread_join(p->threads[i], NULL);
	/* Never-run jobs first, then finished ones: the caller frees both. */
	left = p->head;
	for (w = left; w && w->next; w = w->next)
		;
	if (w)
		w->next = p->done;
	else
		left = p->done;
	close(p->efd);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
	return left;
}
