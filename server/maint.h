/* Housekeeping on timers: forgetting old idempotency keys; escalating overdue action points; folding the push's audit. */
#ifndef TAFEL_MAINT_H
#define TAFEL_MAINT_H

#include <stdint.h>
#include <time.h>

/* The audit fold's record since the start (tafelctl status). */
struct maint_fold_stats {
	uint64_t runs;			/* folds that finished without error */
	uint64_t moved;			/* audit_pending rows moved in all */
	uint64_t failures;		/* folds that failed */
	time_t last_at;			/* the last fold's end (0: none yet) */
	int64_t last_moved;		/* what it moved */
	char last_error[200];		/* the last failure, "" once one works */
};

void maint_start(void);
void maint_stop(void);
void maint_get_fold_stats(struct maint_fold_stats *);

#endif
