/* The embedded PostgreSQL's watchdog: notices a dead postmaster and restarts it with backoff. */
#ifndef TAFEL_PGWATCH_H
#define TAFEL_PGWATCH_H

struct pgembed;

/*
 * Checks every second (on srv.base, never blocking it) that pg's
 * postmaster is alive.  When it is gone, runs `pg_ctl start` in the
 * background and polls it; a failed attempt is retried after 1 s, 2 s,
 * 4 s ... up to 30 s.  Every step is logged.  The query pool reconnects on
 * its own once PostgreSQL accepts connections again.
 */
void pgwatch_start(struct pgembed *pg);

/* Stops watching (shutdown); ends a restart in progress. */
void pgwatch_stop(void);

#endif
