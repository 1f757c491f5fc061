/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A few threads for slow work (bcrypt) off the event loop, with a bounded
 * queue.  Finished jobs are handed back through a list and an eventfd the
 * loop polls, so the loop never waits for a worker.
 */
#ifndef TDXHP_EXPORTER_WORKPOOL_H
#define TDXHP_EXPORTER_WORKPOOL_H

#include <stdbool.h>

struct work {
	struct work *next;
	void (*fn)(struct work *w); /* runs on a worker thread */
};

struct workpool;

/* Returns NULL with a message on failure; *event_fd becomes readable
 * when jobs are done. */
struct workpool *workpool_new(unsigned int threads, unsigned int queue_max,
			      int *event_fd);
/* False if queue_max jobs are already waiting (the job is not taken). */
bool workpool_submit(struct workpool *p, struct work *w);
/* Every finished job, oldest first (clears the eventfd); NULL if none. */
struct work *workpool_done(struct workpool *p);
/* Stops the threads; jobs never run and finished ones are returned. */
struct work *workpool_free(struct workpool *p);

#endif /* TDXHP_EXPORTER_WORKPOOL_H */
