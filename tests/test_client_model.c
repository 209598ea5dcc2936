/* Unit tests of the client's view model: snapshots, events, duplicates, follow mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"

/* --- builders: heap copies via model_dup, freed with the snapshot ---------- */

static Tafel__Meeting *
mk_meeting(int64_t id, int state, int64_t current, int64_t version)
{
	Tafel__Meeting m = TAFEL__MEETING__INIT;

	m.id = id;
	m.series_name = "WZT Noord";
	m.state = state;
	m.chair_id = 7;
	m.chair_name = "Voorzitter";
	m.current_item_id = current;
	m.version = version;
	return (Tafel__Meeting *)model_dup(&m.base);
}

static Tafel__AgendaItem *
mk_item(int64_t id, int64_t meeting, int64_t case_id, int pos, int state,
    const char *decision, int64_t version)
{
	Tafel__AgendaItem it = TAFEL__AGENDA_ITEM__INIT;

	it.id = id;
	it.meeting_id = meeting;
	it.case_id = case_id;
	it.position = pos;
	it.state = state;
	it.decision = (char *)decision;
	it.version = version;
	return (Tafel__AgendaItem *)model_dup(&it.base);
}

static Tafel__Case *
mk_case(int64_t id, const char *number, int status, int64_t version)
{
	Tafel__Case c = TAFEL__CASE__INIT;
	Tafel__Person p = TAFEL__PERSON__INIT;
	Tafel__Person *pp[1] = { &p };

	c.id = id;
	c.number = (char *)number;
	c.theme = "domestic_violence";
	c.status = status;
	c.version = version;
	p.id = id * 10;
	p.case_id = id;
	p.role = TAFEL__PERSON_ROLE__PERSON_VICTIM;
	p.name = "A. de Vries";
	c.persons = pp;
	c.n_persons = 1;
	return (Tafel__Case *)model_dup(&c.base);
}

static Tafel__ActionPoint *
mk_action(int64_t id, int64_t case_id, int64_t org, const char *due, int state,
    int overdue, int64_t version)
{
	Tafel__ActionPoint a = TAFEL__ACTION_POINT__INIT;

	a.id = id;
	a.case_id = case_id;
	a.meeting_id = 1;
	a.description = "Huisbezoek afleggen";
	a.owner_org_id = org;
	a.due_date = (char *)due;
	a.state = state;
	a.overdue = overdue;
	a.version = version;
	return (Tafel__ActionPoint *)model_dup(&a.base);
}

static Tafel__Organisation *
mk_org(int64_t id, const char *name)
{
	Tafel__Organisation o = TAFEL__ORGANISATION__INIT;

	o.id = id;
	o.name = (char *)name;
	return (Tafel__Organisation *)model_dup(&o.base);
}

/* A snapshot owning heap arrays of heap messages. */
struct snap {
	Tafel__Snapshot s;
};

static void
snap_free(struct snap *sn)
{
	Tafel__Snapshot *s = &sn->s;

	if (s->meeting)
		protobuf_c_message_free_unpacked(&s->meeting->base, NULL);
	for (size_t i = 0; i < s->n_agenda; i++)
		protobuf_c_message_free_unpacked(&s->agenda[i]->base, NULL);
	for (size_t i = 0; i < s->n_cases; i++)
		protobuf_c_message_free_unpacked(&s->cases[i]->base, NULL);
	for (size_t i = 0; i < s->n_actions; i++)
		protobuf_c_message_free_unpacked(&s->actions[i]->base, NULL);
	for (size_t i = 0; i < s->n_organisations; i++)
		protobuf_c_message_free_unpacked(&s->organisations[i]->base, NULL);
	free(s->agenda);
	free(s->cases);
	free(s->actions);
	free(s->organisations);
}

#define PUSH(arr, n, x) do { \
	(arr) = realloc((arr), ((n) + 1) * sizeof *(arr)); \
	(arr)[(n)++] = (x); } while (0)

/* The starting state at seq 10: two items, two cases, one action. */
static void
snap_before(struct snap *sn)
{
	Tafel__Snapshot init = TAFEL__SNAPSHOT__INIT;
	Tafel__Snapshot *s = &sn->s;

	*s = init;
	s->meeting = mk_meeting(1, TAFEL__MEETING_STATE__MEETING_PLANNED, 0, 1);
	PUSH(s->agenda, s->n_agenda, mk_item(11, 1, 101, 1, 0, "", 1));
	PUSH(s->agenda, s->n_agenda, mk_item(12, 1, 102, 2, 0, "", 1));
	PUSH(s->cases, s->n_cases, mk_case(101, "2026-0001", 5, 1));
	PUSH(s->cases, s->n_cases, mk_case(102, "2026-0002", 4, 1));
	PUSH(s->actions, s->n_actions,
	    mk_action(201, 101, 3, "2026-02-01", 0, 0, 1));
	PUSH(s->organisations, s->n_organisations, mk_org(3, "Politie"));
	PUSH(s->organisations, s->n_organisations, mk_org(4, "Veilig Thuis"));
}

/* What the server would send as a fresh snapshot after events 11..16. */
static void
snap_after(struct snap *sn)
{
	Tafel__Snapshot init = TAFEL__SNAPSHOT__INIT;
	Tafel__Snapshot *s = &sn->s;

	*s = init;
	s->meeting = mk_meeting(1, TAFEL__MEETING_STATE__MEETING_OPEN, 12, 3);
	PUSH(s->agenda, s->n_agenda, mk_item(12, 1, 102, 2, 1,
	    "Casemanager aanstellen", 3));
	PUSH(s->agenda, s->n_agenda, mk_item(13, 1, 103, 3, 0, "", 1));
	PUSH(s->cases, s->n_cases, mk_case(102, "2026-0002", 5, 2));
	PUSH(s->cases, s->n_cases, mk_case(103, "2026-0003", 1, 1));
	PUSH(s->actions, s->n_actions,
	    mk_action(202, 102, 4, "2026-03-01", 0, 0, 1));
	PUSH(s->actions, s->n_actions,
	    mk_action(203, 103, 3, "2026-01-15", 0, 1, 1));
	PUSH(s->organisations, s->n_organisations, mk_org(3, "Politie"));
	PUSH(s->organisations, s->n_organisations, mk_org(4, "Veilig Thuis"));
}

/* Events 11..16 that lead from snap_before to snap_after. */
static size_t
events(Tafel__Event ***out)
{
	Tafel__Event **v = NULL;
	size_t n = 0;
	Tafel__Event e;
	Tafel__AgendaItem *items[2];
	Tafel__ActionPoint *acts[1];

	/* 11: meeting opened */
	tafel__event__init(&e);
	e.seq = 11;
	e.meeting = mk_meeting(1, TAFEL__MEETING_STATE__MEETING_OPEN, 0, 2);
	PUSH(v, n, (Tafel__Event *)model_dup(&e.base));
	protobuf_c_message_free_unpacked(&e.meeting->base, NULL);

	/* 12: chair moves to item 12 (meeting + item state) */
	tafel__event__init(&e);
	e.seq = 12;
	e.meeting = mk_meeting(1, TAFEL__MEETING_STATE__MEETING_OPEN, 12, 3);
	items[0] = mk_item(12, 1, 102, 2, 1, "", 2);
	e.agenda_items = items;
	e.n_agenda_items = 1;
	PUSH(v, n, (Tafel__Event *)model_dup(&e.base));
	protobuf_c_message_free_unpacked(&e.meeting->base, NULL);
	protobuf_c_message_free_unpacked(&items[0]->base, NULL);

	/* 13: decision + case moved + new action point on case 102 */
	tafel__event__init(&e);
	e.seq = 13;
	items[0] = mk_item(12, 1, 102, 2, 1, "Casemanager aanstellen", 3);
	e.agenda_items = items;
	e.n_agenda_items = 1;
	e.case_ = mk_case(102, "2026-0002", 5, 2);
	e.action_point = mk_action(202, 102, 4, "2026-03-01", 0, 0, 1);
	PUSH(v, n, (Tafel__Event *)model_dup(&e.base));
	protobuf_c_message_free_unpacked(&items[0]->base, NULL);
	protobuf_c_message_free_unpacked(&e.case_->base, NULL);
	protobuf_c_message_free_unpacked(&e.action_point->base, NULL);

	/* 14: case 103 added to the agenda, with its action point */
	tafel__event__init(&e);
	e.seq = 14;
	items[0] = mk_item(13, 1, 103, 3, 0, "", 1);
	e.agenda_items = items;
	e.n_agenda_items = 1;
	e.case_ = mk_case(103, "2026-0003", 1, 1);
	acts[0] = mk_action(203, 103, 3, "2026-01-15", 0, 1, 1);
	e.actions = acts;
	e.n_actions = 1;
	PUSH(v, n, (Tafel__Event *)model_dup(&e.base));
	protobuf_c_message_free_unpacked(&items[0]->base, NULL);
	protobuf_c_message_free_unpacked(&e.case_->base, NULL);
	protobuf_c_message_free_unpacked(&acts[0]->base, NULL);

	/* 15: item 11 taken off the agenda (its case and action leave) */
	tafel__event__init(&e);
	e.seq = 15;
	items[0] = mk_item(11, 1, 101, 1, 0, "", 2);
	items[0]->removed = 1;
	e.agenda_items = items;
	e.n_agenda_items = 1;
	PUSH(v, n, (Tafel__Event *)model_dup(&e.base));
	protobuf_c_message_free_unpacked(&items[0]->base, NULL);

	/* 16: an event of another meeting: changes nothing here */
	tafel__event__init(&e);
	e.seq = 16;
	e.meeting = mk_meeting(2, TAFEL__MEETING_STATE__MEETING_OPEN, 0, 9);
	items[0] = mk_item(99, 2, 101, 1, 0, "", 1);
	e.agenda_items = items;
	e.n_agenda_items = 1;
	PUSH(v, n, (Tafel__Event *)model_dup(&e.base));
	protobuf_c_message_free_unpacked(&e.meeting->base, NULL);
	protobuf_c_message_free_unpacked(&items[0]->base, NULL);

	*out = v;
	return n;
}

static void
events_free(Tafel__Event **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		protobuf_c_message_free_unpacked(&v[i]->base, NULL);
	free(v);
}

static void
test_snapshot_plus_events_equals_fresh(void **state)
{
	struct snap a, b;
	struct model m1, m2;
	Tafel__Event **ev;
	size_t n = events(&ev);
	char *d1, *d2;

	(void)state;
	snap_before(&a);
	snap_after(&b);
	model_init(&m1, MODEL_MEETING, 1);
	model_init(&m2, MODEL_MEETING, 1);
	model_apply_snapshot(&m1, 10, &a.s, 100.0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(model_apply_event(&m1, ev[i], 101.0 + (double)i),
		    MODEL_APPLIED);
	model_apply_snapshot(&m2, 16, &b.s, 200.0);
	d1 = model_dump(&m1);
	d2 = model_dump(&m2);
	assert_string_equal(d1, d2);
	assert_int_equal(m1.seq, 16);
	assert_int_equal(m1.agenda.n, 2);
	assert_int_equal(model_item_at(&m1, 0)->id, 12);
	assert_int_equal(model_current_item(&m1), 12);
	free(d1);
	free(d2);
	model_free(&m1);
	model_free(&m2);
	snap_free(&a);
	snap_free(&b);
	events_free(ev, n);
}

static void
test_old_and_duplicate_events_ignored(void **state)
{
	struct snap a;
	struct model m;
	Tafel__Event **ev;
	size_t n = events(&ev);
	char *d1, *d2;

	(void)state;
	snap_before(&a);
	model_init(&m, MODEL_MEETING, 1);
	model_apply_snapshot(&m, 12, &a.s, 1.0);
	d1 = model_dump(&m);
	/* seq 11 and 12 are not newer than the snapshot */
	assert_int_equal(model_apply_event(&m, ev[0], 2.0), MODEL_IGNORED);
	assert_int_equal(model_apply_event(&m, ev[1], 2.0), MODEL_IGNORED);
	d2 = model_dump(&m);
	assert_string_equal(d1, d2);
	free(d2);
	assert_int_equal(model_apply_event(&m, ev[2], 3.0), MODEL_APPLIED);
	d2 = model_dump(&m);
	/* the same event again changes nothing */
	assert_int_equal(model_apply_event(&m, ev[2], 4.0), MODEL_IGNORED);
	free(d1);
	d1 = model_dump(&m);
	assert_string_equal(d1, d2);
	assert_int_equal(m.seq, 13);
	/* the flash mark is set by the applied event, not by the duplicate */
	assert_true(model_recent(model_rec(&m.actions, 202)->changed, 4.0));
	assert_true(model_rec(&m.actions, 202)->changed == 3.0);
	assert_false(model_recent(model_rec(&m.actions, 202)->changed,
	    3.0 + MODEL_FLASH_SECONDS + 0.1));
	assert_false(model_recent(model_rec(&m.cases, 101)->changed, 4.0));
	free(d1);
	free(d2);
	model_free(&m);
	snap_free(&a);
	events_free(ev, n);
}

/* A person event rebuilds its case from the old one (which shares parts
 * with the copy): the new and the old persons are both there, intact (this
 * read freed memory before; ASan). */
static void
test_person_event(void **state)
{
	struct snap a;
	struct model m;
	Tafel__Event ev = TAFEL__EVENT__INIT;
	Tafel__Person p = TAFEL__PERSON__INIT;
	const Tafel__Case *c;

	(void)state;
	snap_before(&a);
	model_init(&m, MODEL_MEETING, 1);
	model_apply_snapshot(&m, 10, &a.s, 1.0);
	p.id = 9999;
	p.case_id = 101;
	p.name = "B. Jansen";
	ev.seq = 11;
	ev.person = &p;
	assert_int_equal(model_apply_event(&m, &ev, 2.0), MODEL_APPLIED);
	c = model_case(&m, 101);
	assert_non_null(c);
	assert_int_equal(c->n_persons, 2);
	assert_string_equal(c->persons[0]->name, "A. de Vries");
	assert_string_equal(c->persons[1]->name, "B. Jansen");
	model_free(&m);
	snap_free(&a);
}

/*
 * An event cut to a list's records (Event.list_only: the case list's copy
 * of a change, come before the meeting's own replay after a reconnect) is
 * not the meeting model's: it takes nothing, not even its seq, so that the
 * whole change that follows with the same seq still lands (an agenda item
 * added across a reconnect missed the chair's screen).
 */
static void
test_list_only_event_left_alone(void **state)
{
	struct snap a;
	struct model m;
	Tafel__Event lst = TAFEL__EVENT__INIT, full = TAFEL__EVENT__INIT;
	Tafel__Case *k = mk_case(777, "2026-0777", TAFEL__CASE_STATUS__CASE_SIGNAL, 1);
	Tafel__AgendaItem *it = mk_item(7770, 1, 777, 9, TAFEL__ITEM_STATE__ITEM_PENDING, "", 1);
	Tafel__AgendaItem *items[1] = { it };
	size_t before;

	(void)state;
	snap_before(&a);
	model_init(&m, MODEL_MEETING, 1);
	model_apply_snapshot(&m, 10, &a.s, 1.0);
	before = m.agenda.n;
	lst.seq = 11;
	lst.case_ = k;
	lst.list_only = 1;
	assert_int_equal(model_apply_event(&m, &lst, 2.0), MODEL_IGNORED);
	assert_int_equal(m.seq, 10);
	full.seq = 11;
	full.case_ = k;
	full.agenda_items = items;
	full.n_agenda_items = 1;
	assert_int_equal(model_apply_event(&m, &full, 3.0), MODEL_APPLIED);
	assert_int_equal(m.agenda.n, before + 1);
	assert_non_null(model_case(&m, 777));
	model_free(&m);
	snap_free(&a);
	tafel__case__free_unpacked(k, NULL);
	tafel__agenda_item__free_unpacked(it, NULL);
}

/* The standing item: open action points of the earlier meetings (here 7)
 * whose case is not on the agenda, kept by events. */
static void
test_standing(void **state)
{
	struct snap a;
	struct model m;
	Tafel__Event ev = TAFEL__EVENT__INIT;
	Tafel__ActionPoint *x = mk_action(301, 103, 3, "2026-01-10", 0, 1, 1);
	Tafel__ActionPoint *y = mk_action(302, 103, 3, "2026-01-20", 0, 0, 1);
	Tafel__ActionPoint *z = mk_action(303, 104, 3, "2026-01-05", 0, 0, 1);
	Tafel__AgendaItem *it = mk_item(13, 1, 103, 3, 0, "", 1);
	Tafel__Case *c = mk_case(103, "2026-0003", 4, 1);
	int64_t earlier[] = { 7 };
	Tafel__ActionPoint *xs[1], *acts[2];
	Tafel__AgendaItem *items[3];
	const Tafel__ActionPoint *out[8];

	(void)state;
	x->meeting_id = y->meeting_id = 7;
	z->meeting_id = 8;		/* another series' meeting */
	snap_before(&a);
	xs[0] = x;
	a.s.open_actions = xs;
	a.s.n_open_actions = 1;
	a.s.earlier_meeting_ids = earlier;
	a.s.n_earlier_meeting_ids = 1;
	model_init(&m, MODEL_MEETING, 1);
	model_apply_snapshot(&m, 10, &a.s, 1.0);
	a.s.open_actions = NULL;
	a.s.n_open_actions = 0;
	a.s.earlier_meeting_ids = NULL;
	a.s.n_earlier_meeting_ids = 0;
	assert_int_equal(model_standing_actions(&m, out, 8), 1);
	assert_int_equal(out[0]->id, 301);

	/* a new one agreed at meeting 7 comes in; one of meeting 8 does not */
	ev.seq = 11;
	ev.action_point = y;
	model_apply_event(&m, &ev, 2.0);
	ev.seq = 12;
	ev.action_point = z;
	model_apply_event(&m, &ev, 2.0);
	assert_int_equal(model_standing_actions(&m, out, 8), 2);
	assert_int_equal(out[0]->id, 301);	/* overdue first */
	assert_int_equal(out[1]->id, 302);

	/* completed: it leaves */
	y->state = TAFEL__ACTION_STATE__ACTION_DONE;
	ev.seq = 13;
	ev.action_point = y;
	model_apply_event(&m, &ev, 3.0);
	assert_int_equal(model_standing_actions(&m, out, 8), 1);

	/* its case on the agenda: with the case, not in the standing item */
	ev.action_point = NULL;
	ev.seq = 14;
	/* copies: the model replaces (frees) its own records */
	items[0] = (Tafel__AgendaItem *)model_dup(m.agenda.v[0].msg);
	items[1] = (Tafel__AgendaItem *)model_dup(m.agenda.v[1].msg);
	items[2] = it;
	ev.agenda_items = items;
	ev.n_agenda_items = 3;
	ev.case_ = c;
	acts[0] = x;
	ev.actions = acts;
	ev.n_actions = 1;
	model_apply_event(&m, &ev, 4.0);
	protobuf_c_message_free_unpacked(&items[0]->base, NULL);
	protobuf_c_message_free_unpacked(&items[1]->base, NULL);
	assert_int_equal(model_standing_actions(&m, out, 8), 0);
	assert_int_equal(model_case_actions(&m, 103, out, 8), 1);

	/* off the agenda again: the removal's event brings it back */
	it->removed = 1;
	items[0] = it;
	ev.agenda_items = items;
	ev.n_agenda_items = 1;
	ev.case_ = NULL;
	ev.seq = 15;
	model_apply_event(&m, &ev, 5.0);
	assert_int_equal(model_standing_actions(&m, out, 8), 1);
	assert_int_equal(out[0]->id, 301);
	assert_int_equal(model_case_actions(&m, 103, out, 8), 0);

	model_free(&m);
	snap_free(&a);
	protobuf_c_message_free_unpacked(&x->base, NULL);
	protobuf_c_message_free_unpacked(&y->base, NULL);
	protobuf_c_message_free_unpacked(&z->base, NULL);
	protobuf_c_message_free_unpacked(&it->base, NULL);
	protobuf_c_message_free_unpacked(&c->base, NULL);
}

static void
test_resync(void **state)
{
	struct model m;
	Tafel__Event e = TAFEL__EVENT__INIT;

	(void)state;
	model_init(&m, MODEL_MEETING, 1);
	e.resync = 1;
	assert_int_equal(model_apply_event(&m, &e, 1.0), MODEL_RESYNC);
	model_free(&m);
}

/* A write's answer (record_decision) updates its item at once, before the
 * write's event; never over a version the model already has (its event or
 * a later change came first), nor an item the model does not hold. */
static void
test_write_answer_item(void **state)
{
	struct snap a;
	struct model m;
	Tafel__AgendaItem *v2 = mk_item(11, 1, 101, 1, 0, "Besproken.", 2);
	Tafel__AgendaItem *v3 = mk_item(11, 1, 101, 1, 0, "Besproken. Meer.", 3);
	Tafel__AgendaItem *other = mk_item(19, 1, 109, 3, 0, "Elders.", 2);
	Tafel__AgendaItem *items[1] = { v3 };
	Tafel__Event e = TAFEL__EVENT__INIT;

	(void)state;
	snap_before(&a);
	model_init(&m, MODEL_MEETING, 1);
	model_apply_snapshot(&m, 10, &a.s, 1.0);
	assert_string_equal(model_item(&m, 11)->decision, "");
	assert_int_equal(model_apply_item(&m, v2, 2.0), 1);
	assert_string_equal(model_item(&m, 11)->decision, "Besproken.");
	assert_int_equal(model_item(&m, 11)->version, 2);
	assert_true(model_recent(model_rec(&m.agenda, 11)->changed, 2.5));
	assert_int_equal(m.seq, 10);		/* no event was seen */
	/* the same answer again, an item not held: nothing */
	assert_int_equal(model_apply_item(&m, v2, 3.0), 0);
	assert_int_equal(model_apply_item(&m, other, 3.0), 0);
	assert_null(model_item(&m, 19));
	/* a later change's event first: the older answer leaves it */
	e.seq = 11;
	e.n_agenda_items = 1;
	e.agenda_items = items;
	assert_int_equal(model_apply_event(&m, &e, 4.0), MODEL_APPLIED);
	assert_int_equal(model_apply_item(&m, v2, 5.0), 0);
	assert_string_equal(model_item(&m, 11)->decision, "Besproken. Meer.");
	model_free(&m);
	snap_free(&a);
	protobuf_c_message_free_unpacked(&v2->base, NULL);
	protobuf_c_message_free_unpacked(&v3->base, NULL);
	protobuf_c_message_free_unpacked(&other->base, NULL);
}

/* The answer to add_agenda_item (the meeting's agenda) before the add's
 * event: the new item's case counts as on the agenda (a case picker
 * opened meanwhile must not offer it again) until the event or a snapshot
 * brings the model up to date; a removal then takes it off. */
static void
test_added_before_event(void **state)
{
	struct snap a;
	struct model m;
	Tafel__AgendaItem *held = mk_item(11, 1, 101, 1, 0, "", 1);
	Tafel__AgendaItem *added = mk_item(20, 1, 120, 4, 0, "", 1);
	Tafel__AgendaItem *gone = mk_item(20, 1, 120, 4, 0, "", 2);
	Tafel__AgendaItem *elsewhere = mk_item(30, 2, 130, 1, 0, "", 1);
	Tafel__AgendaItem *answer_items[2] = { held, added };
	Tafel__AgendaItem *ev_items[1] = { added };
	Tafel__Agenda answer = TAFEL__AGENDA__INIT, other = TAFEL__AGENDA__INIT;
	Tafel__Event e = TAFEL__EVENT__INIT;

	(void)state;
	gone->removed = 1;
	snap_before(&a);
	model_init(&m, MODEL_MEETING, 1);
	model_apply_snapshot(&m, 10, &a.s, 1.0);
	assert_true(model_on_agenda(&m, 101));
	assert_false(model_on_agenda(&m, 120));

	answer.meeting_id = 1;
	answer.n_items = 2;
	answer.items = answer_items;
	model_note_added(&m, &answer);
	assert_true(model_on_agenda(&m, 120));
	assert_null(model_item(&m, 20));	/* not shown before its event */
	assert_int_equal(m.n_added, 1);		/* the item held is not noted */
	/* another meeting's agenda: nothing */
	other.meeting_id = 2;
	other.n_items = 1;
	other.items = &elsewhere;
	model_note_added(&m, &other);
	assert_false(model_on_agenda(&m, 130));

	/* the add's event: the model holds the item itself */
	e.seq = 11;
	e.n_agenda_items = 1;
	e.agenda_items = ev_items;
	assert_int_equal(model_apply_event(&m, &e, 2.0), MODEL_APPLIED);
	assert_int_equal(m.n_added, 0);
	assert_true(model_on_agenda(&m, 120));
	/* taken off the agenda: no longer counted */
	ev_items[0] = gone;
	e.seq = 12;
	assert_int_equal(model_apply_event(&m, &e, 3.0), MODEL_APPLIED);
	assert_false(model_on_agenda(&m, 120));

	/* noted again, then a snapshot (a resync) decides alone */
	answer.n_items = 1;
	answer.items = &added;
	model_note_added(&m, &answer);
	assert_true(model_on_agenda(&m, 120));
	model_apply_snapshot(&m, 20, &a.s, 4.0);
	assert_false(model_on_agenda(&m, 120));
	assert_true(model_on_agenda(&m, 101));

	model_free(&m);
	snap_free(&a);
	protobuf_c_message_free_unpacked(&held->base, NULL);
	protobuf_c_message_free_unpacked(&added->base, NULL);
	protobuf_c_message_free_unpacked(&gone->base, NULL);
	protobuf_c_message_free_unpacked(&elsewhere->base, NULL);
}

static void
test_follow_and_detach(void **state)
{
	struct snap a;
	struct model m;
	Tafel__Event **ev;
	size_t n = events(&ev);

	(void)state;
	snap_before(&a);
	model_init(&m, MODEL_MEETING, 1);
	assert_true(m.following);
	model_apply_snapshot(&m, 10, &a.s, 1.0);
	/* no current item yet: the first item is selected */
	assert_int_equal(m.selected_item_id, 11);
	model_apply_event(&m, ev[0], 2.0);
	model_apply_event(&m, ev[1], 3.0);	/* chair moves to 12 */
	assert_int_equal(m.selected_item_id, 12);
	/* own navigation detaches and stays put when the chair moves */
	model_select_step(&m, -1);
	assert_false(m.following);
	assert_int_equal(m.selected_item_id, 11);
	model_apply_event(&m, ev[2], 4.0);
	assert_int_equal(m.selected_item_id, 11);
	/* following again jumps to the chair's item */
	model_follow(&m);
	assert_true(m.following);
	assert_int_equal(m.selected_item_id, 12);
	/* selecting explicitly also detaches */
	model_select(&m, 11);
	assert_false(m.following);
	assert_int_equal(m.selected_item_id, 11);
	/* the selected item disappears: selection falls back to the current */
	model_apply_event(&m, ev[3], 5.0);
	model_apply_event(&m, ev[4], 6.0);
	assert_int_equal(m.selected_item_id, 12);
	assert_false(m.following);
	model_detach(&m);
	assert_false(m.following);
	/* the chair's neighbours */
	assert_int_equal(model_neighbour_item(&m, 1), 13);
	assert_int_equal(model_neighbour_item(&m, -1), 0);
	/* from another item: where a step waiting for its answer leads */
	assert_int_equal(model_neighbour_of(&m, 13, -1), model_current_item(&m));
	/* from nowhere (the current item taken off the agenda): forward to
	 * the first item still pending, not back to the first one (12, the
	 * chair's, is not pending); back to the last one discussed, none
	 * here: the last item */
	assert_int_equal(m.agenda.v[0].id, 12);
	assert_int_equal(model_neighbour_of(&m, 0, 1), 13);
	assert_int_equal(model_neighbour_of(&m, 0, -1),
	    m.agenda.v[m.agenda.n - 1].id);
	model_free(&m);
	snap_free(&a);
	events_free(ev, n);
}

static void
test_org_actions(void **state)
{
	struct model m;
	Tafel__ActionList list = TAFEL__ACTION_LIST__INIT;
	Tafel__ActionPoint *acts[2];
	const Tafel__ActionPoint *open[8];
	Tafel__Event e = TAFEL__EVENT__INIT;

	(void)state;
	acts[0] = mk_action(1, 5, 3, "2026-05-01", 0, 0, 1);
	acts[1] = mk_action(2, 6, 3, "2026-06-01", 0, 1, 1);
	list.actions = acts;
	list.n_actions = 2;
	model_init(&m, MODEL_ORG_ACTIONS, 3);
	model_apply_actions(&m, 40, &list, 1.0);
	assert_int_equal(model_open_actions(&m, open, 8), 2);
	assert_int_equal(open[0]->id, 2);	/* overdue first */
	/*
	 * gone with our own action point: the flag was for another list of
	 * the session (one event, one flag: a decided nomination, say,
	 * docs/protocol.md 8.4); the action point is still ours and stays
	 */
	e.seq = 41;
	e.action_point = acts[0];
	e.gone = 1;
	assert_int_equal(model_apply_event(&m, &e, 2.0), MODEL_APPLIED);
	assert_non_null(model_action(&m, 1));
	/* given to another organisation (gone): no longer ours */
	e.seq = 42;
	acts[0]->owner_org_id = 4;
	assert_int_equal(model_apply_event(&m, &e, 3.0), MODEL_APPLIED);
	assert_null(model_action(&m, 1));
	/* another organisation's action point is not ours, gone or not */
	e.seq = 43;
	e.gone = 0;
	model_apply_event(&m, &e, 3.5);
	assert_null(model_action(&m, 1));
	/* completed: no longer open */
	e.seq = 44;
	acts[1]->state = TAFEL__ACTION_STATE__ACTION_DONE;
	e.action_point = acts[1];
	model_apply_event(&m, &e, 4.0);
	assert_int_equal(model_open_actions(&m, open, 8), 0);
	assert_non_null(model_action(&m, 2));
	protobuf_c_message_free_unpacked(&acts[0]->base, NULL);
	protobuf_c_message_free_unpacked(&acts[1]->base, NULL);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_plus_events_equals_fresh),
		cmocka_unit_test(test_old_and_duplicate_events_ignored),
		cmocka_unit_test(test_person_event),
		cmocka_unit_test(test_list_only_event_left_alone),
		cmocka_unit_test(test_standing),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_write_answer_item),
		cmocka_unit_test(test_added_before_event),
		cmocka_unit_test(test_follow_and_detach),
		cmocka_unit_test(test_org_actions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
