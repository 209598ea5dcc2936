/* The forms' shared insides: the form and field tables, the one state they fill in, and the helpers every forms-*.c uses. */
#ifndef TAFEL_CLIENT_FORMS_INT_H
#define TAFEL_CLIENT_FORMS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ui.h"

/* What a field takes, and so how forms.c checks what was typed. */
enum ask_kind {
	ASK_TEXT,		/* any text, into .text */
	ASK_DATE,		/* a date as people type it (8-12, morgen, +7), into
				 * .text as YYYY-MM-DD; empty: "" */
	ASK_TIME,		/* HH:MM, into .text as "13:30" */
	ASK_WHEN,		/* a date and a time, into .num as a Unix time */
	ASK_NUMBER,		/* a whole number from .min to .max, into .num */
	ASK_CHOICE,		/* a value of .choices by its label, short name or
				 * start, into .num */
	ASK_YESNO,		/* y/n, into .num as 1 or 0 */
};

/*
 * One question of a form.  The answer shown first is what the destination
 * holds (a text, or a number, choice label, ...); a refused answer is asked
 * again with the text typed and a message.
 */
struct field {
	const char *label;	/* N_() prompt; %s: what the form acts on;
				 * NULL ends a list */
	enum ask_kind kind;
	int required;		/* empty is refused here, before sending */
	const char *missing;	/* N_(): said for an empty required one;
				 * NULL: a general message */
	const char *wrong;	/* N_(): said for an answer the kind cannot
				 * take; NULL: the kind's message */
	/* After the kind's own check: NULL when the answer is fine, else the
	 * (translated) message to show, or form_pending when it opened a
	 * picker or a question whose answer goes on with form_again().
	 * NULL: no further check. */
	const char *(*check)(struct ui *, const char *text);
	int (*skip)(void);	/* not asked while this returns 1 */
	char *text;		/* where a text, date or time goes */
	size_t size;
	int64_t *num;		/* where a number, choice or yes/no goes */
	int min, max;		/* ASK_NUMBER */
	const ProtobufCEnumDescriptor *choices;	/* ASK_CHOICE */
	/* ASK_TEXT: the text offered is a default (a name, a date), not a
	 * text to edit: the first character typed replaces it, as for the
	 * other kinds (Backspace, an arrow key or End keep it to edit). */
	int replace;
};

/*
 * One write form.  form_ask() asks its fields in turn (a form with only a
 * label asks one optional text); after the last, send() sends the write
 * through form_send(); form_reply() takes the answer: accepted() on
 * success, else refused() decides whether to ask again (taking the current
 * version from a CONFLICT) and reopen() asks (NULL: the last field again,
 * with the text typed).
 */
struct form {
	const char *label;		/* N_() one text field, %s: fs.what */
	const struct field *fields;	/* or these, in the order asked */
	void (*send)(struct ui *, const char *text);	/* the last answer */
	/* A refused write: takes the current record's version from a
	 * CONFLICT; returns 0 when nothing is left to change, -1 when it
	 * sent the write again itself (nothing to say). NULL: 0. */
	int (*refused)(struct ui *, const Tafel__Error *);
	/* Asks again after a refusal; NULL: the last field, as typed. */
	void (*reopen)(struct ui *, const Tafel__Error *);
	/* Accepted: says what happened. */
	void (*accepted)(struct ui *);
	/* The prompt was cancelled, NULL: nothing to do. */
	void (*cancelled)(struct ui *);
	/* N_() said instead of the generic text when the server answers
	 * FORBIDDEN: who may do this; NULL: the generic text. */
	const char *forbidden;
	/* Its answers are lines of a list, one a prompt (the persons of a
	 * signal): what is typed ahead after an Enter is the next line,
	 * kept for the prompt send() opens again, not dropped. */
	int lines;
};

/* What the forms fill in; one form is on the prompt at a time. */
struct forms_state {
	const struct form *form;	/* on the prompt, or last sent */
	size_t field;			/* its field being asked */
	char what[200];			/* what the form acts on, in the label */
	char text[TAFEL_MAX_TEXT + 1];	/* typed, kept on errors */
	int64_t id, version;		/* the record and the version seen */
	int64_t user_id;		/* attendance: of whom; else a number */
	int64_t present;		/* attendance: present; accept or not */
	int64_t remote;			/* attendance: by video */
	Tafel__SeriesList *series;	/* list_series answer, owned */
	int64_t series_id;		/* the series chosen from it */
	char series_name[200];		/* typed or offered */
	const Tafel__Envelope *reply;	/* the answer accepted() is told of */
	struct {
		uint64_t request_id;	/* 0: free slot */
		const struct form *form;
	} sent[16];			/* writes in flight: whose answer */
};
extern struct forms_state fs;

/* The helper (forms.c). */
/* Drops what was typed ahead and not read yet; 1 when there was any. */
int form_drop_typed_ahead(struct ui *);
/* Only spaces, tabs and line feeds (or nothing): what a required field,
 * a description or a decision counts as empty. */
int form_blank(const char *text);
void form_ask(struct ui *, const struct form *);
void form_start(struct ui *, const struct form *, const char *initial);
void form_typed(struct ui *, const char *text);
void form_again(struct ui *, size_t field, const char *shown);
extern const char form_pending[];
const char *form_label(const struct form *);
void form_send(struct ui *, Tafel__Envelope__BodyCase, void *req);
int retry_refused(struct ui *, const Tafel__Error *);

/* Shared pieces (forms.c). */
int action_refused(const Tafel__Error *, int64_t *version);
void quote(char *buf, size_t len, const char *text);
const char *item_case(struct ui *, const Tafel__AgendaItem *);
/* Shortens the series name in a question naming a meeting, so that the
 * question fits on the input line with its date whole. */
void fit_meeting_question(struct ui *, char *label, size_t len,
    const char *series);
int need_meeting(struct ui *);
/* d, a right after n, p (forms-meeting.c): while the chair's own step is
 * on its way, then(u) waits for it (returns 1); forms_step_landed() (forms.h)
 * runs it once the step has landed. */
int forms_after_step(struct ui *, void (*then)(struct ui *));
int date_field(const char *text, char *out, size_t len);
/* "'31-02' is not a date: type e.g. ...": why a date typed is refused. */
const char *date_refusal(const char *text);
int enum_from_text(const ProtobufCEnumDescriptor *, const char *text);
/* list_series, then form f (whose first field checks with series_check,
 * into fs.series_name); the series' names are shown.  Offered first:
 * series prefer (0: none), else one of district (NULL: none), else the one
 * the user chairs, else the only one; else nothing (series_offered() is
 * 0, for the field's skip functions: the label asks to type one). */
void series_ask(struct ui *, const struct form *f, int64_t prefer,
    const char *district);
const char *series_check(struct ui *, const char *text);
int series_offered(void);
int series_not_offered(void);

#endif
