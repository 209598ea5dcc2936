/* Pure view state of the client: a meeting or an organisation's action points, kept current by events. */
#ifndef TAFEL_CLIENT_MODEL_H
#define TAFEL_CLIENT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tafel.pb-c.h"

/* How long a changed record stays marked "recently changed" (the flash). */
#define MODEL_FLASH_SECONDS 3.0

/* One record of a set: a deep copy of the message, owned by the set. */
struct mrec {
	int64_t id;		/* record id (user_id for attendance) */
	ProtobufCMessage *msg;	/* owned; freed with protobuf_c_message_free_unpacked */
	double changed;		/* monotonic seconds of the last change, 0 = never */
};

/* Records of one kind, sorted by id (the agenda: by position, then id). */
struct mset {
	struct mrec *v;		/* records */
	size_t n, cap;		/* used, allocated */
};

enum model_kind {
	MODEL_MEETING,		/* TOPIC_MEETING: one meeting and what hangs off it */
	MODEL_ORG_ACTIONS	/* TOPIC_ORG_ACTIONS: one organisation's action points */
};

enum model_result {
	MODEL_APPLIED,		/* the event changed the model (or was empty) */
	MODEL_IGNORED,		/* seq not newer than the last one seen */
	MODEL_RESYNC		/* the server asks for a fresh subscription */
};

#define MODEL_MAX_MEMBER_ORGS 128
#define MODEL_MAX_ADDED 16	/* agenda items added, events not yet come */

struct model {
	enum model_kind kind;
	int64_t meeting_id;		/* MODEL_MEETING: the meeting shown */
	int64_t org_id;			/* MODEL_ORG_ACTIONS: the organisation */
	int loaded;			/* a snapshot has been applied */
	uint64_t seq;			/* last event seq applied (or snapshot seq) */

	Tafel__Meeting *meeting;	/* without attendance (see below); NULL before snapshot */
	double meeting_changed;		/* flash mark of the meeting itself */
	struct mset attendance;		/* Attendance by user_id */
	struct mset agenda;		/* AgendaItem by position, then id */
	struct mset cases;		/* Case by id */
	struct mset actions;		/* ActionPoint by id */
	struct mset orgs;		/* Organisation by id */
	struct mset rounds;		/* InfoRound by id, of the agenda's cases */
	int64_t member_orgs[MODEL_MAX_MEMBER_ORGS];	/* the series' members */
	size_t n_member_orgs;
	/* The standing item "openstaande afspraken": open action points of
	 * the series' earlier meetings whose case is not on the agenda. */
	struct mset standing;		/* ActionPoint by id */
	int64_t *earlier;		/* the series' earlier meetings, owned */
	size_t n_earlier;

	/* Agenda items this client added whose event has not come yet
	 * (model_note_added): their cases count as on the agenda. */
	int64_t added_item[MODEL_MAX_ADDED], added_case[MODEL_MAX_ADDED];
	size_t n_added;

	int following;			/* 1: selection tracks the chair's current item */
	int64_t selected_item_id;	/* agenda item selected in this client, 0 none */
};

void model_init(struct model *m, enum model_kind kind, int64_t id);
void model_clear(struct model *m);	/* frees everything, keeps kind/id/follow */
void model_free(struct model *m);

/* Replaces the state with a snapshot at seq; follow mode is kept. */
void model_apply_snapshot(struct model *m, uint64_t seq,
    const Tafel__Snapshot *snap, double now);
/* Replaces the action points with an org-actions list at seq. */
void model_apply_actions(struct model *m, uint64_t seq,
    const Tafel__ActionList *list, double now);
/* Applies one pushed event if its seq is newer than the last one seen. */
enum model_result model_apply_event(struct model *m, const Tafel__Event *ev,
    double now);
/* A write's answer: the agenda item, when newer than the one held (1). */
int model_apply_item(struct model *m, const Tafel__AgendaItem *it,
    double now);

/* A write's answer: the agenda after this client added to it.  Until
 * their events (or a snapshot) come, model_on_agenda counts the cases of
 * the items the model does not hold yet as on the agenda, so that a case
 * picker offers them no more.  (Should an item's removal come before the
 * answer that added it, its case counts until the next snapshot; the
 * server still refuses or accepts the add itself.) */
void model_note_added(struct model *m, const Tafel__Agenda *agenda);
/* The case is on the agenda, or on its way there (model_note_added). */
int model_on_agenda(const struct model *m, int64_t case_id);

/* Look-ups; NULL if unknown. */
const Tafel__AgendaItem *model_item(const struct model *m, int64_t id);
const Tafel__AgendaItem *model_item_at(const struct model *m, size_t idx);
size_t model_item_index(const struct model *m, int64_t id);	/* n if absent */
const Tafel__Case *model_case(const struct model *m, int64_t id);
const Tafel__ActionPoint *model_action(const struct model *m, int64_t id);
const Tafel__Organisation *model_org(const struct model *m, int64_t id);
/* The newest info round of a case on the agenda, NULL if none. */
const Tafel__InfoRound *model_case_round(const struct model *m,
    int64_t case_id);
const struct mrec *model_rec(const struct mset *s, int64_t id);

/* The chair's current item id, 0 if none. */
int64_t model_current_item(const struct model *m);
/* The agenda item after (dir > 0) or before (dir < 0) the chair's current
 * item, or the first/last one if there is none; 0 at either end. */
int64_t model_neighbour_item(const struct model *m, int dir);
/* The same from item `from`; from one not on the agenda (none current, or
 * the current one taken off it): forward the first item still pending,
 * back the last one discussed (else the first/last one). */
int64_t model_neighbour_of(const struct model *m, int64_t from, int dir);

/* Follow mode. */
void model_follow(struct model *m);		/* follow the chair again */
void model_detach(struct model *m);		/* go one's own way */
void model_select(struct model *m, int64_t item_id);	/* own navigation: detaches */
void model_select_step(struct model *m, int dir);	/* own navigation: detaches */

/* Whether a record changed less than MODEL_FLASH_SECONDS before now. */
int model_recent(double changed, double now);
/* Whether any flash mark is still running (the UI then redraws later). */
int model_any_recent(const struct model *m, double now);
/* Seconds until the next running flash mark ends, -1 if none runs. */
double model_next_flash(const struct model *m, double now);

/* Action points of one case, sorted by due date then id; returns the count,
 * fills out[] up to max. */
size_t model_case_actions(const struct model *m, int64_t case_id,
    const Tafel__ActionPoint **out, size_t max);
/* The standing item's action points, sorted by due date then id. */
size_t model_standing_actions(const struct model *m,
    const Tafel__ActionPoint **out, size_t max);
/* Open action points sorted overdue first, then by due date, then id. */
size_t model_open_actions(const struct model *m,
    const Tafel__ActionPoint **out, size_t max);

/* Canonical text of the state (no seq, no flash marks); caller frees. */
char *model_dump(const struct model *m);

/* Deep copy of any message (pack + unpack); free with protobuf_c_message_free_unpacked. */
ProtobufCMessage *model_dup(const ProtobufCMessage *msg);

/*
 * A page of a case list (list_cases, the case list's snapshot) added to
 * *list: a copy when *list is NULL, else the cases not in it yet, up to max
 * in all; the list takes the page's omitted.  Returns the before_id to ask
 * the next page with, or 0 when the list is complete or full.
 */
int64_t model_cases_append(Tafel__CaseList **list,
    const Tafel__CaseList *page, size_t max);

#endif
