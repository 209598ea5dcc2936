/* Housekeeping on a timer: forgetting old idempotency keys. */
#ifndef TAFEL_MAINT_H
#define TAFEL_MAINT_H

void maint_start(void);
void maint_stop(void);

#endif
