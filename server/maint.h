/* Housekeeping on timers: forgetting old idempotency keys; escalating overdue action points; folding the push's audit. */
#ifndef TAFEL_MAINT_H
#define TAFEL_MAINT_H

void maint_start(void);
void maint_stop(void);

#endif
