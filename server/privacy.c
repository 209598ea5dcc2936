/* What a session may see: redaction of personal data in every answer and event it receives. */
#include "privacy.h"

#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "envelope.h"
#include "session.h"
#include "xmalloc.h"

#define PRIVACY_MAX_DEPTH 8

/* Reason shown (translated by the client) when a view is pseudonymised. */
static const char *
redaction_reason(const struct conn *c)
{
	if (session_is_observer(c))
		return "observer";
	return "not_signatory";
}

/* Decides whether c sees personal data of cases at all. */
static int
sees_personal_data(const struct conn *c)
{
	if (c->session == NULL)
		return 0;
	if (session_is_observer(c))
		return 0;
	return c->session->org_signed;
}

char *
privacy_initials(const char *name)
{
	size_t len = strlen(name), o = 0;
	char *out = xmalloc(len * 2 + 2);
	const unsigned char *p = (const unsigned char *)name;
	int at_word = 1;
	size_t i, n;

	for (i = 0; i < len; i++) {
		if (p[i] == ' ' || p[i] == '\t') {	/* as tafel_initials() */
			at_word = 1;
			continue;
		}
		if (!at_word || (p[i] & 0xc0) == 0x80)
			continue;
		at_word = 0;
		/* copy one whole UTF-8 character */
		n = 1;
		while (i + n < len && (p[i + n] & 0xc0) == 0x80)
			n++;
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, name + i, n);
		o += n;
		out[o++] = '.';
	}
	out[o] = '\0';
	return out;
}

static void
redact_person(Tafel__Person *p)
{
	char *ini;

	if (p->name != NULL && p->name[0] != '\0') {
		ini = privacy_initials(p->name);
		pb_string_set(&p->name, ini);
		free(ini);
	}
	if (p->birth_date != NULL && p->birth_date[0] != '\0')
		pb_string_set(&p->birth_date, "");
}

static void
redact_case(const struct conn *c, Tafel__Case *k)
{
	size_t i;

	for (i = 0; i < k->n_persons; i++)
		redact_person(k->persons[i]);
	if (k->summary != NULL && k->summary[0] != '\0')
		pb_string_set(&k->summary, "");
	if (k->reason != NULL && k->reason[0] != '\0')
		pb_string_set(&k->reason, "");
	if (k->closing_reason != NULL && k->closing_reason[0] != '\0')
		pb_string_set(&k->closing_reason, "");
	if (k->evaluation != NULL && k->evaluation[0] != '\0')
		pb_string_set(&k->evaluation, "");
	/* a legal clock's note is free text about the persons */
	for (i = 0; i < k->n_clocks; i++)
		if (k->clocks[i]->note != NULL && k->clocks[i]->note[0] != '\0')
			pb_string_set(&k->clocks[i]->note, "");
	k->earlier_discussed = 0;
	k->redacted = 1;
	pb_string_set(&k->redaction_reason, redaction_reason(c));
}

/* Walks msg and redacts every Case, Person and Nomination found. */
static int
walk(const struct conn *c, ProtobufCMessage *m, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	ProtobufCMessage *const *subs;
	int n = 0;
	unsigned i;
	size_t j, count;

	if (depth > PRIVACY_MAX_DEPTH)
		return 0;
	if (d == &tafel__case__descriptor) {
		redact_case(c, (Tafel__Case *)m);
		return 1;
	}
	if (d == &tafel__person__descriptor) {
		redact_person((Tafel__Person *)m);
		return 0;
	}
	if (d == &tafel__earlier_case__descriptor) {
		Tafel__EarlierCase *ec = (Tafel__EarlierCase *)m;
		char *ini = privacy_initials(ec->other_person_name);

		pb_string_set(&ec->other_person_name, ini);
		free(ini);
		pb_string_set(&ec->birth_date, "");
		return 0;
	}
	if (d == &tafel__nomination__descriptor) {
		Tafel__Nomination *nm = (Tafel__Nomination *)m;

		/* its texts are free text about the case */
		if (nm->reason[0] != '\0' || nm->decline_reason[0] != '\0')
			nm->redacted = 1;
		pb_string_set(&nm->reason, "");
		pb_string_set(&nm->decline_reason, "");
		return 1;
	}
	if (d == &tafel__info_round_org__descriptor) {
		/* an answer's note is free text about the case: not for
		 * others, but an organisation's own members (not observers)
		 * read the note it wrote itself */
		Tafel__InfoRoundOrg *io = (Tafel__InfoRoundOrg *)m;
		int64_t org;
		const char *name;

		if (session_is_observer(c) || !session_org_of(c, &org, &name) ||
		    io->org_id != org)
			pb_string_set(&io->note, "");
		return 0;
	}
	if (d == &tafel__info_round__descriptor)
		((Tafel__InfoRound *)m)->identifying = 0;
	if (d == &tafel__case_clock__descriptor) {
		/* its note is free text about the persons */
		pb_string_set(&((Tafel__CaseClock *)m)->note, "");
		return 0;
	}
	if (d == &tafel__proposal__descriptor) {
		pb_string_set(&((Tafel__Proposal *)m)->decline_reason, "");
		return 0;
	}
	for (i = 0; i < d->n_fields; i++) {
		subs = pb_field_messages(m, &d->fields[i], &count);
		for (j = 0; j < count; j++)
			n += walk(c, subs[j], depth + 1);
	}
	return n;
}

int
privacy_filter_message(struct conn *c, ProtobufCMessage *msg)
{
	if (msg == NULL || sees_personal_data(c))
		return 0;
	return walk(c, msg, 0);
}

int
privacy_sees_personal_data(const struct conn *c)
{
	return sees_personal_data(c);
}

void
privacy_filter_error(struct conn *c, Tafel__Error *err)
{
	privacy_filter_message(c, &err->base);
}
