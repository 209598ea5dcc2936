/* The client's view state: applying snapshots and events, follow mode and flash marks, no I/O. */
#include "model.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pbjson.h"
#include "xmalloc.h"

ProtobufCMessage *
model_dup(const ProtobufCMessage *msg)
{
	ProtobufCMessage *c;
	uint8_t *buf;
	size_t n;

	n = protobuf_c_message_get_packed_size(msg);
	buf = xmalloc(n > 0 ? n : 1);
	protobuf_c_message_pack(msg, buf);
	c = protobuf_c_message_unpack(msg->descriptor, NULL, n, buf);
	free(buf);
	if (c == NULL)
		fatalx("model: cannot copy a %s", msg->descriptor->name);
	return c;
}

int64_t
model_cases_append(Tafel__CaseList **list, const Tafel__CaseList *page,
    size_t max)
{
	Tafel__CaseList *l = *list;
	int64_t low = 0;
	size_t i = 0;

	if (l == NULL)
		l = *list = (Tafel__CaseList *)model_dup(&page->base);
	else {
		for (; i < page->n_cases && l->n_cases < max; i++) {
			Tafel__Case **v;
			size_t k = 0;

			while (k < l->n_cases && l->cases[k]->id !=
			    page->cases[i]->id)
				k++;
			if (k < l->n_cases)
				continue;	/* an event brought it */
			v = realloc(l->cases, (l->n_cases + 1) * sizeof *v);
			if (v == NULL)
				break;
			l->cases = v;
			v[l->n_cases++] = (Tafel__Case *)model_dup(
			    &page->cases[i]->base);
		}
		/* what is left out: the older pages and what did not fit */
		l->omitted = page->omitted + (uint32_t)(page->n_cases - i);
	}
	for (size_t k = 0; k < page->n_cases; k++)
		if (low == 0 || page->cases[k]->id < low)
			low = page->cases[k]->id;
	return page->omitted > 0 && l->n_cases < max ? low : 0;
}

/* --- record sets --------------------------------------------------------- */

static void
mset_clear(struct mset *s)
{
	for (size_t i = 0; i < s->n; i++)
		protobuf_c_message_free_unpacked(s->v[i].msg, NULL);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static size_t
mset_find(const struct mset *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id == id)
			return i;
	return s->n;
}

const struct mrec *
model_rec(const struct mset *s, int64_t id)
{
	size_t i = mset_find(s, id);

	return i < s->n ? &s->v[i] : NULL;
}

static int
cmp_id(const void *a, const void *b)
{
	const struct mrec *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int
cmp_position(const void *a, const void *b)
{
	const struct mrec *x = a, *y = b;
	const Tafel__AgendaItem *p = (const Tafel__AgendaItem *)x->msg;
	const Tafel__AgendaItem *q = (const Tafel__AgendaItem *)y->msg;

	if (p->position != q->position)
		return (p->position > q->position) - (p->position < q->position);
	return cmp_id(a, b);
}

/* Inserts or replaces a deep copy of msg under id; marks it changed at now. */
static void
mset_put(struct mset *s, int64_t id, const ProtobufCMessage *msg, double now,
    int (*cmp)(const void *, const void *))
{
	size_t i = mset_find(s, id);
	/* Copied before the old record is freed: msg may share its parts
	 * (put_person passes the old case with a new person list). */
	ProtobufCMessage *copy = model_dup(msg);

	if (i == s->n) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 16;
			s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
		}
		s->n++;
	} else
		protobuf_c_message_free_unpacked(s->v[i].msg, NULL);
	s->v[i].id = id;
	s->v[i].msg = copy;
	s->v[i].changed = now;
	qsort(s->v, s->n, sizeof *s->v, cmp != NULL ? cmp : cmp_id);
}

static void
mset_del(struct mset *s, int64_t id)
{
	size_t i = mset_find(s, id);

	if (i == s->n)
		return;
	protobuf_c_message_free_unpacked(s->v[i].msg, NULL);
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof *s->v);
	s->n--;
}

/* --- life cycle ---------------------------------------------------------- */

void
model_init(struct model *m, enum model_kind kind, int64_t id)
{
	memset(m, 0, sizeof *m);
	m->kind = kind;
	if (kind == MODEL_MEETING)
		m->meeting_id = id;
	else
		m->org_id = id;
	m->following = 1;
}

void
model_clear(struct model *m)
{
	if (m->meeting != NULL)
		protobuf_c_message_free_unpacked(&m->meeting->base, NULL);
	m->meeting = NULL;
	m->meeting_changed = 0;
	mset_clear(&m->attendance);
	mset_clear(&m->agenda);
	mset_clear(&m->cases);
	mset_clear(&m->actions);
	mset_clear(&m->orgs);
	mset_clear(&m->rounds);
	mset_clear(&m->standing);
	free(m->earlier);
	m->earlier = NULL;
	m->n_earlier = 0;
	m->n_member_orgs = 0;
	m->loaded = 0;
	m->seq = 0;
	m->n_added = 0;
}

void
model_free(struct model *m)
{
	model_clear(m);
}

/* --- applying ------------------------------------------------------------ */

static int
has_case(const struct model *m, int64_t case_id)
{
	return mset_find(&m->cases, case_id) < m->cases.n;
}

/* Keeps the selection valid and, when following, on the chair's item. */
static void
fix_selection(struct model *m)
{
	int64_t cur = model_current_item(m);

	if (m->following && cur != 0)
		m->selected_item_id = cur;
	if (mset_find(&m->agenda, m->selected_item_id) == m->agenda.n)
		m->selected_item_id = cur != 0 ? cur :
		    m->agenda.n > 0 ? m->agenda.v[0].id : 0;
}

static int
on_agenda(const struct model *m, int64_t case_id)
{
	for (size_t k = 0; k < m->agenda.n; k++)
		if (((Tafel__AgendaItem *)m->agenda.v[k].msg)->case_id == case_id)
			return 1;
	return 0;
}

/* An action point of the series' earlier meetings: in the standing item
 * while open and its case is not on the agenda. */
static void
put_standing(struct model *m, const Tafel__ActionPoint *ap, int gone,
    double now)
{
	int earlier = 0;

	for (size_t i = 0; i < m->n_earlier && !earlier; i++)
		earlier = m->earlier[i] == ap->meeting_id;
	if (!earlier)
		return;
	if (gone || ap->state != TAFEL__ACTION_STATE__ACTION_OPEN ||
	    on_agenda(m, ap->case_id))
		mset_del(&m->standing, ap->id);
	else
		mset_put(&m->standing, ap->id, &ap->base, now, NULL);
}

/* Drops cases no longer on the agenda, and action points of unknown cases;
 * the standing item loses what came on the agenda (what leaves it comes
 * back in the removal's event, as each viewer may see it). */
static void
prune(struct model *m)
{
	for (size_t i = m->standing.n; i-- > 0;)
		if (on_agenda(m, ((Tafel__ActionPoint *)
		    m->standing.v[i].msg)->case_id))
			mset_del(&m->standing, m->standing.v[i].id);
	for (size_t i = m->cases.n; i-- > 0;) {
		int used = 0;

		for (size_t k = 0; k < m->agenda.n && !used; k++)
			used = ((Tafel__AgendaItem *)m->agenda.v[k].msg)->case_id ==
			    m->cases.v[i].id;
		if (!used)
			mset_del(&m->cases, m->cases.v[i].id);
	}
	for (size_t i = m->actions.n; i-- > 0;)
		if (!has_case(m, ((Tafel__ActionPoint *)m->actions.v[i].msg)->case_id))
			mset_del(&m->actions, m->actions.v[i].id);
	for (size_t i = m->rounds.n; i-- > 0;)
		if (!has_case(m, ((Tafel__InfoRound *)m->rounds.v[i].msg)->case_id))
			mset_del(&m->rounds, m->rounds.v[i].id);
}

static void
put_meeting(struct model *m, const Tafel__Meeting *mt, double now)
{
	Tafel__Meeting copy = *mt;

	if (mt->n_attendance > 0) {	/* a meeting with attendance carries all of it */
		mset_clear(&m->attendance);
		for (size_t i = 0; i < mt->n_attendance; i++)
			mset_put(&m->attendance, mt->attendance[i]->user_id,
			    &mt->attendance[i]->base, now, NULL);
	}
	copy.n_attendance = 0;
	copy.attendance = NULL;
	if (m->meeting != NULL)
		protobuf_c_message_free_unpacked(&m->meeting->base, NULL);
	m->meeting = (Tafel__Meeting *)model_dup(&copy.base);
	m->meeting_changed = now;
}

/* The event of an item this client added has come: the model holds it. */
static void
drop_added(struct model *m, int64_t item_id)
{
	for (size_t i = 0; i < m->n_added; i++)
		if (m->added_item[i] == item_id) {
			m->n_added--;
			m->added_item[i] = m->added_item[m->n_added];
			m->added_case[i] = m->added_case[m->n_added];
			return;
		}
}

static void
put_item(struct model *m, const Tafel__AgendaItem *it, double now)
{
	if (it->meeting_id != m->meeting_id)
		return;
	drop_added(m, it->id);
	if (it->removed)
		mset_del(&m->agenda, it->id);
	else
		mset_put(&m->agenda, it->id, &it->base, now, cmp_position);
}

/* An action point arrived: keep it if it belongs in this model's view. */
static void
put_action(struct model *m, const Tafel__ActionPoint *ap, int gone, double now)
{
	int wanted;

	if (m->kind == MODEL_MEETING)
		wanted = has_case(m, ap->case_id);
	else
		wanted = ap->owner_org_id == m->org_id;
	if (gone || !wanted)
		mset_del(&m->actions, ap->id);
	else
		mset_put(&m->actions, ap->id, &ap->base, now, NULL);
}

/* A person changed: rebuild its case with the new person list. */
static void
put_person(struct model *m, const Tafel__Person *p, int gone, double now)
{
	const struct mrec *r = model_rec(&m->cases, p->case_id);
	Tafel__Case copy;
	Tafel__Person **list;
	size_t n = 0;
	int found = 0;

	if (r == NULL)
		return;
	copy = *(const Tafel__Case *)r->msg;
	list = xcalloc(copy.n_persons + 1, sizeof *list);
	for (size_t i = 0; i < copy.n_persons; i++) {
		if (copy.persons[i]->id == p->id) {
			found = 1;
			if (!gone)
				list[n++] = (Tafel__Person *)p;
		} else
			list[n++] = copy.persons[i];
	}
	if (!found && !gone)
		list[n++] = (Tafel__Person *)p;
	copy.persons = list;
	copy.n_persons = n;
	mset_put(&m->cases, copy.id, &copy.base, now, NULL);
	free(list);
}

void
model_apply_snapshot(struct model *m, uint64_t seq, const Tafel__Snapshot *snap,
    double now)
{
	model_clear(m);
	m->loaded = 1;
	m->seq = seq;
	if (snap == NULL)
		return;
	if (snap->meeting != NULL) {
		if (m->kind == MODEL_MEETING && m->meeting_id == 0)
			m->meeting_id = snap->meeting->id;
		put_meeting(m, snap->meeting, 0);
	}
	for (size_t i = 0; i < snap->n_agenda; i++)
		put_item(m, snap->agenda[i], 0);
	for (size_t i = 0; i < snap->n_cases; i++)
		mset_put(&m->cases, snap->cases[i]->id, &snap->cases[i]->base, 0,
		    NULL);
	for (size_t i = 0; i < snap->n_actions; i++)
		put_action(m, snap->actions[i], 0, 0);
	for (size_t i = 0; i < snap->n_organisations; i++)
		mset_put(&m->orgs, snap->organisations[i]->id,
		    &snap->organisations[i]->base, 0, NULL);
	for (size_t i = 0; i < snap->n_info_rounds; i++)
		mset_put(&m->rounds, snap->info_rounds[i]->id,
		    &snap->info_rounds[i]->base, 0, NULL);
	/* more members than fit are not marked expected, never overrun */
	m->n_member_orgs = 0;
	for (size_t i = 0; i < snap->n_member_org_ids
	    && m->n_member_orgs < MODEL_MAX_MEMBER_ORGS; i++)
		m->member_orgs[m->n_member_orgs++] = snap->member_org_ids[i];
	if (snap->n_earlier_meeting_ids > 0) {
		m->earlier = xcalloc(snap->n_earlier_meeting_ids,
		    sizeof *m->earlier);
		memcpy(m->earlier, snap->earlier_meeting_ids,
		    snap->n_earlier_meeting_ids * sizeof *m->earlier);
		m->n_earlier = snap->n_earlier_meeting_ids;
	}
	for (size_t i = 0; i < snap->n_open_actions; i++)
		mset_put(&m->standing, snap->open_actions[i]->id,
		    &snap->open_actions[i]->base, 0, NULL);
	m->meeting_changed = 0;
	fix_selection(m);
	(void)now;
}

void
model_apply_actions(struct model *m, uint64_t seq, const Tafel__ActionList *list,
    double now)
{
	mset_clear(&m->actions);
	m->loaded = 1;
	m->seq = seq;
	if (list == NULL)
		return;
	for (size_t i = 0; i < list->n_actions; i++)
		put_action(m, list->actions[i], 0, 0);
	(void)now;
}

/*
 * A write's own answer (record_decision): the item as the write left it,
 * at once, so that what the screen shows and d offers next is what was
 * recorded, not what was there before, until the write's event comes.
 * Only over an older version of an item the model holds: the event, or a
 * later change, may have come first.
 */
int
model_apply_item(struct model *m, const Tafel__AgendaItem *it, double now)
{
	const Tafel__AgendaItem *have;

	if (m->kind != MODEL_MEETING || it == NULL || it->removed ||
	    it->meeting_id != m->meeting_id)
		return 0;
	have = model_item(m, it->id);
	if (have == NULL || have->version >= it->version)
		return 0;
	put_item(m, it, now);
	return 1;
}

void
model_note_added(struct model *m, const Tafel__Agenda *agenda)
{
	if (m->kind != MODEL_MEETING || agenda == NULL ||
	    agenda->meeting_id != m->meeting_id)
		return;
	for (size_t i = 0; i < agenda->n_items; i++) {
		const Tafel__AgendaItem *it = agenda->items[i];

		if (it->removed || model_item(m, it->id) != NULL)
			continue;
		drop_added(m, it->id);
		if (m->n_added == MODEL_MAX_ADDED)	/* the oldest goes */
			drop_added(m, m->added_item[0]);
		m->added_item[m->n_added] = it->id;
		m->added_case[m->n_added] = it->case_id;
		m->n_added++;
	}
}

int
model_on_agenda(const struct model *m, int64_t case_id)
{
	for (size_t i = 0; i < m->agenda.n; i++)
		if (model_item_at(m, i)->case_id == case_id)
			return 1;
	for (size_t i = 0; i < m->n_added; i++)
		if (m->added_case[i] == case_id)
			return 1;
	return 0;
}

enum model_result
model_apply_event(struct model *m, const Tafel__Event *ev, double now)
{
	int resync = 0;

	if (ev->resync)
		return MODEL_RESYNC;
	/*
	 * A list's records only: not this model's change.  Taking its seq
	 * would drop the whole change when the meeting's own replay brings
	 * it after a reconnect (an agenda item added across one missed the
	 * chair's screen, as the case list's copy came first).
	 */
	if (ev->list_only)
		return MODEL_IGNORED;
	if (ev->seq <= m->seq)
		return MODEL_IGNORED;
	m->seq = ev->seq;
	if (m->kind == MODEL_MEETING) {
		if (ev->meeting != NULL && ev->meeting->id == m->meeting_id)
			put_meeting(m, ev->meeting, now);
		if (ev->attendance != NULL &&
		    ev->attendance->meeting_id == m->meeting_id)
			mset_put(&m->attendance, ev->attendance->user_id,
			    &ev->attendance->base, now, NULL);
		for (size_t i = 0; i < ev->n_agenda_items; i++)
			put_item(m, ev->agenda_items[i], now);
		if (ev->case_ != NULL) {
			int on_agenda = 0, carried = 0;

			for (size_t i = 0; i < m->agenda.n; i++)
				if (((Tafel__AgendaItem *)m->agenda.v[i].msg)->case_id ==
				    ev->case_->id)
					on_agenda = 1;
			for (size_t i = 0; i < ev->n_agenda_items; i++)
				if (ev->agenda_items[i]->case_id == ev->case_->id)
					carried = 1;
			/*
			 * Hidden from me before, not now (an action point or a
			 * contribution made my organisation involved): an action
			 * point of this meeting brings the case's item with the
			 * decision hidden until now (protocol.md, events); a
			 * contribution does not, and a fresh snapshot does.
			 */
			if (!ev->gone && on_agenda && !carried &&
			    model_case(m, ev->case_->id) != NULL &&
			    model_case(m, ev->case_->id)->redacted &&
			    !ev->case_->redacted)
				resync = 1;
			/* (not ev->gone: that is about the lists' records,
			 * a decided nomination or an action point gone to
			 * another organisation, never a meeting's case) */
			if (!on_agenda)
				mset_del(&m->cases, ev->case_->id);
			else
				mset_put(&m->cases, ev->case_->id,
				    &ev->case_->base, now, NULL);
		}
		if (ev->person != NULL)
			put_person(m, ev->person, 0, now);
		/* an info round of a case on the agenda (prune drops others) */
		if (ev->info_round != NULL)
			mset_put(&m->rounds, ev->info_round->id,
			    &ev->info_round->base, now, NULL);
		prune(m);
		if (ev->action_point != NULL)
			put_standing(m, ev->action_point, 0, now);
		for (size_t i = 0; i < ev->n_actions; i++)
			put_standing(m, ev->actions[i], 0, now);
	}
	/* whether it is wanted goes by the record itself (its case on the
	 * agenda; its owner my organisation), not by ev->gone, which is set
	 * once per event for whichever list it left (docs/protocol.md 8.4) */
	if (ev->action_point != NULL)
		put_action(m, ev->action_point, 0, now);
	for (size_t i = 0; i < ev->n_actions; i++)
		put_action(m, ev->actions[i], 0, now);
	if (m->kind == MODEL_MEETING)
		fix_selection(m);
	return resync ? MODEL_RESYNC : MODEL_APPLIED;
}

/* --- look-ups ------------------------------------------------------------ */

const Tafel__AgendaItem *
model_item(const struct model *m, int64_t id)
{
	const struct mrec *r = model_rec(&m->agenda, id);

	return r ? (const Tafel__AgendaItem *)r->msg : NULL;
}

const Tafel__AgendaItem *
model_item_at(const struct model *m, size_t idx)
{
	return idx < m->agenda.n ?
	    (const Tafel__AgendaItem *)m->agenda.v[idx].msg : NULL;
}

size_t
model_item_index(const struct model *m, int64_t id)
{
	return mset_find(&m->agenda, id);
}

const Tafel__Case *
model_case(const struct model *m, int64_t id)
{
	const struct mrec *r = model_rec(&m->cases, id);

	return r ? (const Tafel__Case *)r->msg : NULL;
}

const Tafel__ActionPoint *
model_action(const struct model *m, int64_t id)
{
	const struct mrec *r = model_rec(&m->actions, id);

	return r ? (const Tafel__ActionPoint *)r->msg : NULL;
}

const Tafel__InfoRound *
model_case_round(const struct model *m, int64_t case_id)
{
	const Tafel__InfoRound *best = NULL;

	for (size_t i = 0; i < m->rounds.n; i++) {
		const Tafel__InfoRound *r = (void *)m->rounds.v[i].msg;

		if (r->case_id == case_id && (best == NULL || r->id > best->id))
			best = r;
	}
	return best;
}

const Tafel__Organisation *
model_org(const struct model *m, int64_t id)
{
	const struct mrec *r = model_rec(&m->orgs, id);

	return r ? (const Tafel__Organisation *)r->msg : NULL;
}

int64_t
model_current_item(const struct model *m)
{
	return m->meeting != NULL ? m->meeting->current_item_id : 0;
}

int64_t
model_neighbour_item(const struct model *m, int dir)
{
	return model_neighbour_of(m, model_current_item(m), dir);
}

int64_t
model_neighbour_of(const struct model *m, int64_t from, int dir)
{
	size_t i = mset_find(&m->agenda, from);

	if (m->agenda.n == 0)
		return 0;
	if (i == m->agenda.n) {
		/* from nowhere (no current item: the current one was taken
		 * off the agenda): forward to the first item not discussed
		 * yet, back to the last one discussed, else the first/last */
		Tafel__ItemState want = dir > 0 ?
		    TAFEL__ITEM_STATE__ITEM_PENDING :
		    TAFEL__ITEM_STATE__ITEM_DISCUSSED;

		for (size_t k = 0; k < m->agenda.n; k++) {
			size_t at = dir > 0 ? k : m->agenda.n - 1 - k;

			if (model_item_at(m, at)->state == want)
				return m->agenda.v[at].id;
		}
		return dir > 0 ? m->agenda.v[0].id : m->agenda.v[m->agenda.n - 1].id;
	}
	if (dir > 0)
		return i + 1 < m->agenda.n ? m->agenda.v[i + 1].id : 0;
	return i > 0 ? m->agenda.v[i - 1].id : 0;
}

/* --- follow mode --------------------------------------------------------- */

void
model_follow(struct model *m)
{
	m->following = 1;
	fix_selection(m);
}

void
model_detach(struct model *m)
{
	m->following = 0;
}

void
model_select(struct model *m, int64_t item_id)
{
	model_detach(m);
	if (mset_find(&m->agenda, item_id) < m->agenda.n)
		m->selected_item_id = item_id;
}

void
model_select_step(struct model *m, int dir)
{
	size_t i = mset_find(&m->agenda, m->selected_item_id);

	model_detach(m);
	if (m->agenda.n == 0)
		return;
	if (i == m->agenda.n)
		i = 0;
	else if (dir > 0 && i + 1 < m->agenda.n)
		i++;
	else if (dir < 0 && i > 0)
		i--;
	m->selected_item_id = m->agenda.v[i].id;
}

/* --- flash --------------------------------------------------------------- */

int
model_recent(double changed, double now)
{
	return changed > 0 && now >= changed && now - changed < MODEL_FLASH_SECONDS;
}

static int
mset_any_recent(const struct mset *s, double now)
{
	for (size_t i = 0; i < s->n; i++)
		if (model_recent(s->v[i].changed, now))
			return 1;
	return 0;
}

int
model_any_recent(const struct model *m, double now)
{
	return model_recent(m->meeting_changed, now) ||
	    mset_any_recent(&m->attendance, now) ||
	    mset_any_recent(&m->agenda, now) || mset_any_recent(&m->cases, now) ||
	    mset_any_recent(&m->actions, now) || mset_any_recent(&m->rounds, now) ||
	    mset_any_recent(&m->standing, now);
}

static void
next_end(double changed, double now, double *best)
{
	double left;

	if (!model_recent(changed, now))
		return;
	left = changed + MODEL_FLASH_SECONDS - now;
	if (*best < 0 || left < *best)
		*best = left;
}

double
model_next_flash(const struct model *m, double now)
{
	const struct mset *sets[] = { &m->attendance, &m->agenda, &m->cases,
	    &m->actions, &m->rounds, &m->standing };
	double best = -1;

	next_end(m->meeting_changed, now, &best);
	for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++)
		for (size_t i = 0; i < sets[k]->n; i++)
			next_end(sets[k]->v[i].changed, now, &best);
	return best;
}

/* --- derived lists ------------------------------------------------------- */

static int
cmp_due(const void *a, const void *b)
{
	const Tafel__ActionPoint *x = *(const Tafel__ActionPoint *const *)a;
	const Tafel__ActionPoint *y = *(const Tafel__ActionPoint *const *)b;
	int c;

	if (x->overdue != y->overdue)
		return x->overdue ? -1 : 1;
	c = strcmp(x->due_date ? x->due_date : "", y->due_date ? y->due_date : "");
	if (c != 0)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

size_t
model_case_actions(const struct model *m, int64_t case_id,
    const Tafel__ActionPoint **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->actions.n && n < max; i++) {
		const Tafel__ActionPoint *a = (void *)m->actions.v[i].msg;

		if (a->case_id == case_id)
			out[n++] = a;
	}
	qsort(out, n, sizeof *out, cmp_due);
	return n;
}

size_t
model_standing_actions(const struct model *m, const Tafel__ActionPoint **out,
    size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->standing.n && n < max; i++)
		out[n++] = (void *)m->standing.v[i].msg;
	qsort(out, n, sizeof *out, cmp_due);
	return n;
}

size_t
model_open_actions(const struct model *m, const Tafel__ActionPoint **out,
    size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->actions.n && n < max; i++) {
		const Tafel__ActionPoint *a = (void *)m->actions.v[i].msg;

		if (a->state == TAFEL__ACTION_STATE__ACTION_OPEN)
			out[n++] = a;
	}
	qsort(out, n, sizeof *out, cmp_due);
	return n;
}

/* --- canonical dump ------------------------------------------------------ */

/* Every field of the message as canonical JSON (pbjson), or null. */
static void
dump_msg(FILE *f, const ProtobufCMessage *msg)
{
	char *text;

	if (msg == NULL) {
		fputs("null", f);
		return;
	}
	text = pbjson_to_string(msg);
	if (text == NULL)
		fatalx("model: cannot dump a %s", msg->descriptor->name);
	fputs(text, f);
	free(text);
}

static void
dump_set(FILE *f, const char *name, const struct mset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		fprintf(f, "%s ", name);
		dump_msg(f, s->v[i].msg);
		fputc('\n', f);
	}
}

char *
model_dump(const struct model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		fatal("open_memstream");
	fprintf(f, "kind %d meeting_id %" PRId64 " org_id %" PRId64 "\n",
	    (int)m->kind, m->meeting_id, m->org_id);
	fputs("meeting ", f);
	dump_msg(f, m->meeting ? &m->meeting->base : NULL);
	fputc('\n', f);
	dump_set(f, "attendance", &m->attendance);
	dump_set(f, "item", &m->agenda);
	dump_set(f, "case", &m->cases);
	dump_set(f, "action", &m->actions);
	dump_set(f, "org", &m->orgs);
	dump_set(f, "standing", &m->standing);
	fclose(f);
	return buf;
}
