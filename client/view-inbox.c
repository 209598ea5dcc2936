/* The inbox view: feedback on the cases my organisation submitted and the entries I sent, with who read them (docs/protocol.md 7.12), newest first; v shows all, only the received or only the sent ones; Enter marks a received entry read. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forms.h"
#include "i18n.h"
#include "views.h"

#define MAX_ENTRIES 512

/* Which entries are shown (v cycles them in this order). */
enum inbox_show { SHOW_ALL, SHOW_RECEIVED, SHOW_SENT, SHOW__COUNT };

static struct {
	Tafel__InboxList *list;		/* the list_inbox answer, owned */
	size_t sel;			/* the selected line (of those shown) */
	/* the entry selected: the selection follows it when the lines
	 * move (ui_list_keep); 0: none yet */
	int64_t sel_id;
	enum inbox_show show;		/* kept while the client runs */
	size_t shown[MAX_ENTRIES];	/* the lines: indexes into list */
	int what_w, who_w;		/* the column widths (widths()) */
} st;

/* What v shows, in the title ("" for all) and when nothing is there. */
static const struct {
	const char *title;
	const char *empty;
} show_texts[SHOW__COUNT] = {
	[SHOW_ALL] = { NULL, N_("The inbox is empty: feedback on the cases "
	    "your organisation submitted, and what you sent, appears here.") },
	[SHOW_RECEIVED] = { N_("received"), N_("Nothing received: v shows "
	    "the entries you sent.") },
	[SHOW_SENT] = { N_("sent"), N_("Nothing sent by you: v shows all "
	    "entries.") },
};

/* What happened, by kind (a table, not a switch). */
static const struct {
	Tafel__InboxKind kind;
	const char *text;
} kind_texts[] = {
	{ TAFEL__INBOX_KIND__INBOX_ACTION_DONE, N_("action point done") },
	{ TAFEL__INBOX_KIND__INBOX_ACTION_CANCELLED,
	  N_("action point cancelled") },
	{ TAFEL__INBOX_KIND__INBOX_CASE_MOVED, N_("moved to") },
	{ TAFEL__INBOX_KIND__INBOX_CASE_CLOSED, N_("case closed") },
	{ TAFEL__INBOX_KIND__INBOX_ACTION_OVERDUE,
	  N_("action point overdue") },
	{ TAFEL__INBOX_KIND__INBOX_CLOCK_SET, N_("notice: clock set") },
	{ TAFEL__INBOX_KIND__INBOX_CLOCK_NOTICE, N_("notice: clock ends") },
	{ TAFEL__INBOX_KIND__INBOX_AGENDA_PUBLISHED,
	  N_("agenda published") },
	{ TAFEL__INBOX_KIND__INBOX_INFO_ROUND_ASKED,
	  N_("info round: asked") },
	{ TAFEL__INBOX_KIND__INBOX_ACTION_ASSIGNED,
	  N_("action point for you") },
	{ TAFEL__INBOX_KIND__INBOX_LEAD_ASSIGNED, N_("lead (regie) is yours") },
	{ TAFEL__INBOX_KIND__INBOX_CASE_MANAGER_ASSIGNED,
	  N_("case manager") },
};

/* A routing step as the server stores it ("info_round", or the enum's
 * name "CASE_INFO_ROUND") in the words the rest of the client uses. */
static const char *
status_text(const char *status)
{
	const ProtobufCEnumValue *v;
	char name[64];
	size_t i = 0;

	if (strncasecmp(status, "CASE_", 5) != 0)
		i = (size_t)snprintf(name, sizeof name, "CASE_");
	for (const char *c = status; *c != '\0' && i + 1 < sizeof name; c++)
		name[i++] = (char)toupper((unsigned char)*c);
	name[i] = '\0';
	v = protobuf_c_enum_descriptor_get_value_by_name(
	    &tafel__case_status__descriptor, name);
	return v != NULL ? ui_enum(&tafel__case_status__descriptor, v->value) :
	    status;
}

static void
what_text(const Tafel__InboxEntry *e, char *buf, size_t len)
{
	const char *t = "?";

	for (size_t i = 0; i < sizeof kind_texts / sizeof kind_texts[0]; i++)
		if (kind_texts[i].kind == e->kind)
			t = _(kind_texts[i].text);
	if (e->kind == TAFEL__INBOX_KIND__INBOX_CASE_MOVED) {
		snprintf(buf, len, "%s %s", t, status_text(e->to_status));
		return;
	}
	if (e->kind == TAFEL__INBOX_KIND__INBOX_CLOCK_SET ||
	    e->kind == TAFEL__INBOX_KIND__INBOX_CLOCK_NOTICE) {
		/* "notice: clock ends: inverzekeringstelling 2026-12-09" */
		snprintf(buf, len, "%s: %s %s", t, e->clock_label,
		    e->clock_ends_on);
		return;
	}
	if (e->kind == TAFEL__INBOX_KIND__INBOX_CASE_MANAGER_ASSIGNED) {
		/* "case manager: Joris Mulder" */
		snprintf(buf, len, "%s: %s", t, e->recipient_user_name);
		return;
	}
	if (e->kind == TAFEL__INBOX_KIND__INBOX_AGENDA_PUBLISHED) {
		char when[40];

		ui_date(e->scheduled_start, when, sizeof when);
		snprintf(buf, len, "%s: %s %s", t, e->series_name, when);
		return;
	}
	snprintf(buf, len, "%s", t);
}

static int sent(const struct ui *u, const Tafel__InboxEntry *e);

/* The lines: the entries v shows (st.shown); st.sel is put on st.sel_id's
 * line when it is there. */
static size_t
lines(struct ui *u)
{
	size_t n = 0, all = st.list != NULL ? st.list->n_entries : 0;
	int64_t ids[MAX_ENTRIES];

	for (size_t i = 0; i < all && n < MAX_ENTRIES; i++) {
		const Tafel__InboxEntry *e = st.list->entries[i];

		if (st.show == SHOW_ALL || (st.show == SHOW_SENT) == sent(u, e)) {
			st.shown[n] = i;
			ids[n++] = e->id;
		}
	}
	ui_list_keep(&st.sel, &st.sel_id, ids, n);
	return n;
}

/* Line i's entry (of the lines() counted last). */
static const Tafel__InboxEntry *
entry(size_t i)
{
	return st.list->entries[st.shown[i]];
}

/* Selects line idx. */
static void
select_shown(struct ui *u, size_t idx)
{
	st.sel = idx;
	st.sel_id = 0;			/* the line, then its entry */
	(void)lines(u);
}

static void who_text(const struct ui *u, const Tafel__InboxEntry *e,
    char *buf, size_t len);

/* The column widths: what and who take 22 at 80 columns and share a
 * wider screen's extra by what their longest texts on the list lack
 * (layout_share): both whole when they fit, what gets the rest; else in
 * proportion, so "agenda published: series date" is not cut at 42 while
 * the who column keeps room it does not need.  Reckoned once a draw
 * (st.what_w, st.who_w) for the lines it draws. */
static void
widths(struct ui *u, size_t n)
{
	int lack_what = 0, lack_who = 0, w;
	char text[256];

	for (size_t i = 0; i < n; i++) {
		what_text(entry(i), text, sizeof text);
		if ((w = layout_width(text) - 22) > lack_what)
			lack_what = w;
		who_text(u, entry(i), text, sizeof text);
		if ((w = layout_width(text) - 22) > lack_who)
			lack_who = w;
	}
	layout_share(ui_list_widen(u->cols, 0, u->cols), lack_what, lack_who,
	    &st.what_w, &st.who_w);
	/* narrower than 80: what and who give up the columns, not the date
	 * (at 60 it was "…", and "Anouk de Vries (Gemee……") */
	w = u->cols < 80 ? (80 - u->cols + 1) / 2 : 0;
	if (w > 12)
		w = 12;
	st.what_w += 22 - w;
	st.who_w += 22 - w;
}

/* An entry I sent to another organisation (not one for mine to read). */
static int
sent(const struct ui *u, const Tafel__InboxEntry *e)
{
	return e->sent_by_me && e->recipient_org_id != u->my_org_id;
}

/* The mark before a line, by whether I sent the entry and whether it was
 * read: received unread "●" (bold), sent "→" (read: "✓"). */
static const char *
mark(const struct ui *u, const Tafel__InboxEntry *e)
{
	if (sent(u, e))
		return e->read_at != 0 ? "✓" : "→";
	return e->read_at == 0 ? "●" : " ";
}

/* Who sent an entry (a sent one: to whom). */
static void
who_text(const struct ui *u, const Tafel__InboxEntry *e, char *buf,
    size_t len)
{
	if (sent(u, e))
		snprintf(buf, len, _("to %s"), e->recipient_org_name);
	else if (e->sender_id == 0)
		snprintf(buf, len, "tafel");
	else
		snprintf(buf, len, "%s (%s)", e->sender_name,
		    e->sender_org_name);
}

/* Entry i as a line: what happened, who sent it (a sent one: to whom),
 * when. */
static void
line(struct ui *u, size_t i, char *buf, size_t len, attr_t *a)
{
	const Tafel__InboxEntry *e = entry(i);
	char what[256], who[256], when[40], f[3][320];

	if (e->read_at == 0 && !sent(u, e))
		*a = A_BOLD;
	what_text(e, what, sizeof what);
	who_text(u, e, who, sizeof who);
	ui_date(e->created_at, when, sizeof when);
	layout_cell(f[0], sizeof f[0], what, st.what_w);
	layout_cell(f[1], sizeof f[1], who, st.who_w);
	layout_cell(f[2], sizeof f[2], when, 16);
	snprintf(buf, len, "%s %-9s  %s  %s  %s", mark(u, e), e->case_number,
	    f[0], f[1], f[2]);
}

/* The selected entry in full: what happened, the action point and its
 * note or reason, who read it. */
static size_t
detail(struct ui *u, size_t sel, struct ui_detail_line *out, size_t max)
{
	const Tafel__InboxEntry *e = entry(sel);
	const Tafel__ActionPoint *ap = e->action_point;
	char what[256], when[40];
	size_t n = 0;

	if (max < 6)
		return 0;
	what_text(e, what, sizeof what);
	if (e->case_number[0] != '\0') {
		out[n].attr = A_BOLD;
		snprintf(out[n++].text, sizeof out[0].text, "%s %s · %s",
		    _("Case"), e->case_number, what);
	} else {
		out[n].attr = 0;
		snprintf(out[n++].text, sizeof out[0].text, "%s", what);
	}
	if (e->kind == TAFEL__INBOX_KIND__INBOX_INFO_ROUND_ASKED) {
		out[n].attr = 0;
		if (sent(u, e))		/* the line below says to whom */
			snprintf(out[n++].text, sizeof out[0].text, _("Info "
			    "round: asked for information on case %s; reply by "
			    "%s."), e->case_number, e->reply_by);
		else
			snprintf(out[n++].text, sizeof out[0].text, _("Info "
			    "round: your organisation is asked for information "
			    "on case %s; reply by %s. 8 shows the round (b "
			    "known, n not known)."), e->case_number,
			    e->reply_by);
	}
	if (e->kind == TAFEL__INBOX_KIND__INBOX_LEAD_ASSIGNED) {
		out[n].attr = 0;
		if (e->recipient_user_name[0] != '\0')
			snprintf(out[n++].text, sizeof out[0].text, _("%s now "
			    "leads case %s (regie); case manager: %s."),
			    e->recipient_org_name, e->case_number,
			    e->recipient_user_name);
		else
			snprintf(out[n++].text, sizeof out[0].text, _("%s now "
			    "leads case %s (regie)."), e->recipient_org_name,
			    e->case_number);
	}
	if (e->kind == TAFEL__INBOX_KIND__INBOX_CASE_MANAGER_ASSIGNED) {
		out[n].attr = 0;
		snprintf(out[n++].text, sizeof out[0].text, _("%s is now the "
		    "case manager of case %s."), e->recipient_user_name,
		    e->case_number);
	}
	if (ap != NULL && ap->description[0] != '\0') {
		out[n].attr = 0;
		snprintf(out[n++].text, sizeof out[0].text, "%s: %s",
		    _("Action point"), ap->description);
	}
	/* a new or overdue action point: who carries it out and by when,
	 * as under 3 */
	if (ap != NULL && ap->due_date[0] != '\0' &&
	    (e->kind == TAFEL__INBOX_KIND__INBOX_ACTION_ASSIGNED ||
	    e->kind == TAFEL__INBOX_KIND__INBOX_ACTION_OVERDUE)) {
		out[n].attr = 0;
		snprintf(out[n++].text, sizeof out[0].text, "%s: %s%s%s · %s %s",
		    _("Owner"), ap->owner_org_name, ap->owner_user_name[0] ?
		    " / " : "", ap->owner_user_name, _("due"), ap->due_date);
	}
	if (ap != NULL && ap->completion_note[0] != '\0') {
		out[n].attr = 0;
		snprintf(out[n++].text, sizeof out[0].text, "%s: %s",
		    e->kind == TAFEL__INBOX_KIND__INBOX_ACTION_CANCELLED ?
		    _("Reason") : _("Feedback"), ap->completion_note);
	}
	if (sent(u, e)) {
		out[n].attr = 0;
		snprintf(out[n++].text, sizeof out[0].text, _("Sent by you to "
		    "%s%s%s%s"), e->recipient_org_name, e->recipient_user_name[0] ?
		    " (" : "", e->recipient_user_name, e->recipient_user_name[0] ?
		    ")" : "");
	}
	if (e->read_at != 0) {
		ui_date(e->read_at, when, sizeof when);
		out[n].attr = sent(u, e) ? 0 : ui_attr(u, UI_A_DIM);
		snprintf(out[n++].text, sizeof out[0].text, _("Read by %s, %s"),
		    e->read_by_name, when);
	} else if (sent(u, e)) {
		out[n].attr = ui_attr(u, UI_A_DIM);
		snprintf(out[n++].text, sizeof out[0].text, "%s",
		    _("Not read yet."));
	}
	return n;
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	struct ui_column columns[] = { { N_("Case"), 9 },
	    { N_("What"), 22 }, { N_("Who"), 22 }, { N_("When"), 16 } };
	char head[300];
	struct ui_listing l = { .n = lines(u), .sel = &st.sel, .line = line,
	    .detail = detail, .header = head, .loading = st.list == NULL ?
	    _("Loading the inbox…") : NULL,
	    .empty = _(show_texts[st.show].empty) };

	widths(u, l.n);
	columns[1].width = st.what_w;
	columns[2].width = st.who_w;
	ui_list_header(head, sizeof head, "  ", columns, 4);
	ui_list_detail(u, w, rows, cols, &l);
}

static void
step(struct ui *u, int dir)
{
	size_t n = lines(u), sel = st.sel;

	if (n > 0) {
		ui_list_step(&sel, n, dir);
		select_shown(u, sel);
	}
}

static void
select_line(struct ui *u, size_t idx)
{
	select_shown(u, idx);
}

const Tafel__InboxEntry *
view_inbox_selected(struct ui *u)
{
	size_t n = lines(u);	/* puts st.sel on its line first */

	return st.sel < n ? entry(st.sel) : NULL;
}

/* v: all entries, only those received, only those I sent, in turn; the
 * selection stays on its entry when that is still shown. */
void
view_inbox_cycle(struct ui *u)
{
	st.show = (st.show + 1) % SHOW__COUNT;
	ui_dirty(u);
}

/* The title says which entries are shown, unless all are. */
static void
subtitle(struct ui *u, char *buf, size_t len)
{
	(void)u;
	snprintf(buf, len, "%s", show_texts[st.show].title != NULL ?
	    _(show_texts[st.show].title) : "");
}

/* Enter: a received entry is marked read and the selection moves on to
 * the next unread one below it, if any (Enter, Enter, ... reads down the
 * list); one I sent is the recipient's to read. */
static void
enter(struct ui *u)
{
	const Tafel__InboxEntry *e = view_inbox_selected(u);
	size_t n = lines(u), i;	/* (puts st.sel on its line) */

	if (e != NULL && sent(u, e)) {
		ui_message(u, 1, "%s", _("You sent this entry: its recipient "
		    "marks it read."));
		return;
	}
	if (e == NULL || e->read_at != 0) {
		forms_inbox_read(u);	/* says why not */
		return;
	}
	forms_inbox_read(u);
	for (i = st.sel + 1; i < n; i++)
		if (entry(i)->read_at == 0 && !sent(u, entry(i))) {
			select_shown(u, i);
			break;
		}
}

static void
on_list(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	Tafel__InboxList *old = st.list;

	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_INBOX_LIST)
		return;
	st.list = (Tafel__InboxList *)model_dup(&m->inbox_list->base);
	/* an answer read before a change that already arrived (an entry
	 * marked read while r reloaded) does not undo that change: the
	 * newer version of an entry stays */
	for (size_t i = 0; old != NULL && st.list != NULL &&
	    i < old->n_entries; i++)
		for (size_t j = 0; j < st.list->n_entries; j++)
			if (st.list->entries[j]->id == old->entries[i]->id &&
			    st.list->entries[j]->version <
			    old->entries[i]->version) {
				Tafel__InboxEntry *t = st.list->entries[j];

				st.list->entries[j] = old->entries[i];
				old->entries[i] = t;
			}
	if (old != NULL)
		protobuf_c_message_free_unpacked(&old->base, NULL);
	ui_dirty(u);
}

static void
reload(struct ui *u)
{
	Tafel__ListInboxRequest r = TAFEL__LIST_INBOX_REQUEST__INIT;

	/* what I sent too (as the inbox topic pushes it): its sender sees
	 * who read it and when */
	r.include_sent = 1;
	/* every view reloads after a reconnect: only once it was opened */
	if (u->view != VIEW_INBOX && st.list == NULL)
		return;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_INBOX, &r,
	    NET_REQ_READ, NULL, on_list, u);
}

void
view_inbox_open(struct ui *u)
{
	st.sel = 0;
	st.sel_id = 0;
	ui_set_view(u, VIEW_INBOX);
	reload(u);
}

/* An entry made or read (event or mark_inbox_read's answer): it replaces
 * its line, or a new one goes on top (newest first). */
void
view_inbox_update(struct ui *u, const Tafel__InboxEntry *e)
{
	Tafel__InboxEntry **v;
	size_t i;

	if (e == NULL || st.list == NULL)
		return;
	for (i = 0; i < st.list->n_entries; i++)
		if (st.list->entries[i]->id == e->id)
			break;
	if (i < st.list->n_entries) {
		if (st.list->entries[i]->version > e->version)
			return;
		protobuf_c_message_free_unpacked(&st.list->entries[i]->base,
		    NULL);
		st.list->entries[i] = (Tafel__InboxEntry *)model_dup(&e->base);
		ui_dirty(u);
		return;
	}
	if (st.list->n_entries >= MAX_ENTRIES)
		return;
	v = realloc(st.list->entries, (st.list->n_entries + 1) * sizeof *v);
	if (v == NULL)
		return;
	memmove(v + 1, v, st.list->n_entries * sizeof *v);
	v[0] = (Tafel__InboxEntry *)model_dup(&e->base);
	st.list->entries = v;
	st.list->n_entries++;
	ui_dirty(u);		/* the selection follows st.sel_id (lines) */
}

static void
free_state(struct ui *u)
{
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = NULL;
}

const struct ui_view_ops view_inbox_ops = {
	.title = N_("Inbox"),
	.help_title = N_("In the inbox"),
	.draw = draw,
	.subtitle = subtitle,
	.lines = lines,
	.step = step,
	.select = select_line,
	.enter = enter,
	.reload = reload,
	.free = free_state,
	.parent = VIEW__COUNT,
};
