#!/usr/bin/env python3
"""The outside client, part two: a case's life from intake to the minutes, driven
over the wire from docs/protocol.md (sections 7.2-7.14, 8, 9) alone.

usage: tafel_lifecycle.py --port N --ca CA.crt [--host 127.0.0.1] [--proto-dir proto] [--only NAME]

Needs a tafeld with the demo data (tafelctl demo-data) on which the chair
`voorzitter` is process manager of district Eemland (`tafelctl pm add
voorzitter Eemland`, run.sh does it).  The checks run in order and build on
each other (the case registered by the first is the one the meeting discusses).
Prints one line per check and exits 1 if any failed.  tests/outside/README.md
lists the checks.
"""

import argparse
import datetime
import os
import random
import re
import sys
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tafel_wire as w  # noqa: E402

pb = None
A = None
failures = []
S = {}  # state shared by the checks, in order
AMS = ZoneInfo("Europe/Amsterdam")
PASSWORD = "demo"


check = w.check
expect = w.expect


def code_name(code):
    return pb.ErrorCode.Name(code) if code in pb.ErrorCode.values() else str(code)


def today(days=0):
    """A date in Europe/Amsterdam (section 7.7: Tafel plans in that zone)."""
    return (datetime.datetime.now(AMS).date() + datetime.timedelta(days=days)).isoformat()


def ams_time(date, hhmm):
    """Unix seconds of a wall-clock time in Europe/Amsterdam."""
    d = datetime.date.fromisoformat(date)
    h, m = (int(x) for x in hhmm.split(":"))
    return int(datetime.datetime(d.year, d.month, d.day, h, m, tzinfo=AMS).timestamp())


# ---------------------------------------------------------------------------
# Sessions and requests
# ---------------------------------------------------------------------------

class Session:
    """A logged-in connection of one demo user."""

    def __init__(self, login):
        self.name = login
        self.c = w.Conn(A.host, A.port, A.ca)
        r = self.call("login", pb.LoginRequest(login=login, password=PASSWORD))
        expect(r.WhichOneof("body") == "login_ok", "login %s: %s" % (login, r))
        self.user = r.login_ok.user
        self.org_id = self.user.org_id
        self.ticket = r.login_ok.resume_ticket

    def call(self, op, msg=None, key=None):
        """One request; a RATE_LIMITED answer (section 5.7) is waited out and
        the request sent again (a write with the same key)."""
        for _ in range(20):
            r = self.c.request(op, msg, key=key)
            if r.WhichOneof("body") == "error" and r.error.code == pb.RATE_LIMITED and r.error.retry_after_ms:
                time.sleep(r.error.retry_after_ms / 1000.0 + 0.05)
                continue
            return r
        raise AssertionError("%s: still RATE_LIMITED" % op)

    def ok(self, op, msg=None, body=None, write=False):
        """A request that must succeed; returns its answer's body message."""
        r = self.call(op, msg, key=w.key() if write else None)
        got = r.WhichOneof("body")
        if got == "error":
            raise AssertionError("%s by %s: %s %s (field %r)" % (op, self.name, code_name(r.error.code),
                                                               r.error.message, r.error.field))
        if body is not None:
            expect(got == body, "%s answered %s, not %s" % (op, got, body))
        return getattr(r, got)

    def w(self, op, msg=None, body=None):
        return self.ok(op, msg, body, write=True)

    def err(self, op, msg, code, field=None, write=True):
        """A request that must fail with `code` naming `field` (5.4: the path)."""
        r = self.call(op, msg, key=w.key() if write else None)
        expect(r.WhichOneof("body") == "error", "%s by %s: expected %s (field %r), got %s" %
               (op, self.name, code_name(code), field, r))
        e = r.error
        expect(e.code == code, "%s by %s: expected %s, got %s (%s, field %r)" %
               (op, self.name, code_name(code), code_name(e.code), e.message, e.field))
        if field is not None:
            expect(e.field == field, "%s by %s: %s with field %r, expected %r (%s)" %
                   (op, self.name, code_name(code), e.field, field, e.message))
        return e

    def sub(self, topic, meeting_id=0, **kw):
        return self.ok("subscribe", pb.SubscribeRequest(topic=topic, meeting_id=meeting_id, **kw), "subscribed")

    def event(self, pred, what, timeout=10.0):
        try:
            return self.c.wait_event(pred, timeout)
        except w.Timeout:
            raise AssertionError("%s: no event %s within %.0f s" % (self.name, what, timeout))

    def settle(self, quiet=1.0):
        """Collects the events still on their way (c.events keeps them)."""
        self.c.drain_events(quiet)

    def take(self, pred):
        """Removes and returns the kept events for which pred holds."""
        got = [e for e in self.c.events if pred(e)]
        self.c.events = [e for e in self.c.events if not pred(e)]
        return got

    def close(self):
        self.c.close()


_sessions = {}


def user(login):
    """One session per demo user, kept across the checks (events pile up in it)."""
    if login not in _sessions:
        _sessions[login] = Session(login)
    return _sessions[login]


def drop(login):
    s = _sessions.pop(login, None)
    if s:
        s.close()


def resync(*sessions):
    """Waits for the resync that follows an attendance event (8.4) and drops the views."""
    for s in sessions:
        s.event(lambda e: e.resync, "resync after attendance")
        s.settle(0.3)
        s.c.events = [e for e in s.c.events if e.HasField("inbox_entry")]


# ---------------------------------------------------------------------------
# Intake
# ---------------------------------------------------------------------------

PERSONS = [("Lotte Jansen", "1990-04-12", "PERSON_VICTIM"), ("Bram de Wit", "1985-01-30", "PERSON_SUSPECT")]


def case_request(summary, **kw):
    req = pb.CreateCaseRequest(theme="domestic_violence", district="Eemland", summary=summary,
                               reason="melding na politie-inzet", **kw)
    for name, born, role in PERSONS:
        req.persons.add(name=name, birth_date=born, role=pb.PersonRole.Value(role))
    return req


@check("intake: create_case answers a signal; the submitter and the district's process manager get it live (7.4, 7.6, 8.1)")
def t_intake():
    chair, pol, woning = user("voorzitter"), user("politie"), user("woningcorporatie")
    orgs = chair.ok("list_organisations", body="organisation_list")
    S["users"] = {u.login: u for u in orgs.users}
    S["orgs"] = {o.id: o for o in orgs.organisations}
    series = [s for s in chair.ok("list_series", body="series_list").series if s.district == "Eemland"]
    expect(len(series) == 1, "one Eemland series in the demo data, got %s" % series)
    S["series"] = series[0]
    expect(pol.org_id in series[0].member_org_ids and woning.org_id not in series[0].member_org_ids,
           "demo data: police is a member of the Eemland series and housing is not")
    for s in (chair, pol, woning):
        s.sub(pb.TOPIC_CASE_LIST)
    summary = "outside lifecycle %d" % time.time_ns()
    case = pol.w("create_case", case_request(summary), "case_record")
    expect(case.status == pb.CASE_SIGNAL and case.version == 1, "new case %s" % case)
    expect(re.fullmatch(r"\d{4}-\d{4,}", case.number), "case number %r is not YYYY-NNNN" % case.number)
    expect(case.submitter_org_id == pol.org_id and case.submitter_user_id == pol.user.id,
           "submitter %d/%d" % (case.submitter_org_id, case.submitter_user_id))
    expect(chair.user.id in case.process_manager_ids, "process_manager_ids %s" % case.process_manager_ids)
    expect(sorted(p.name for p in case.persons) == sorted(n for n, _, _ in PERSONS) and
           all(p.id > 0 and p.case_id == case.id for p in case.persons), "persons %s" % case.persons)
    expect(case.summary == summary and case.reason, "the submitter sees its own summary and reason")
    for s in (pol, chair):
        ev = s.event(lambda e: e.HasField("case") and e.case.id == case.id, "for the new case")
        expect(ev.case.version == 1 and ev.by_user_id == pol.user.id, "%s: event %s" % (s.name, ev))
    S["case_seq"] = ev.seq  # a resume point after which every change of the case B and most of A follow
    # The chair knows it as process manager: involved, names in full.
    ev_names = sorted(p.name for p in chair.ok("get_case", pb.GetCaseRequest(case_id=case.id)).case.persons)
    expect(ev_names == sorted(n for n, _, _ in PERSONS), "process manager sees %s" % ev_names)
    second = pol.w("create_case", case_request(summary + " B"), "case_record")
    S["case"], S["case_b"] = case, second
    # Housing is neither involved nor a member of the series: the case does not exist for it (9.2).
    woning.err("get_case", pb.GetCaseRequest(case_id=case.id), pb.NOT_FOUND, "case_id", write=False)
    expect(all(k.id != case.id for k in woning.ok("list_cases", body="case_list").cases), "housing lists the case")
    woning.settle(1.0)
    leaked = woning.take(lambda e: e.HasField("case") and e.case.id in (case.id, second.id))
    expect(not leaked, "housing got the case on its case list: %s" % leaked)


@check("intake errors: theme, persons[i].name, birth dates, enums, ids, text; observers refused (5.4, 5.5, 7.4)")
def t_intake_errors():
    pol = user("politie")

    def bad(code, field, **changes):
        req = case_request("bad intake")
        persons = changes.pop("persons", None)
        for k, v in changes.items():
            setattr(req, k, v)
        if persons:
            for i, kv in persons.items():
                for k, v in kv.items():
                    setattr(req.persons[i], k, v)
        return pol.err("create_case", req, code, field)

    bad(pb.INVALID_ARGUMENT, "theme", theme="Huiselijk Geweld")
    bad(pb.INVALID_ARGUMENT, "theme", theme="")
    bad(pb.STRING_TOO_LONG, "theme", theme="a" * 201)
    bad(pb.INVALID_ARGUMENT, "district", district="Eem\nland")
    bad(pb.INVALID_ARGUMENT, "summary", summary="regel\r\nregel")
    bad(pb.STRING_TOO_LONG, "summary", summary="x" * 8001)
    bad(pb.OUT_OF_RANGE, "approach", approach=99)
    bad(pb.OUT_OF_RANGE, "case_manager_id", case_manager_id=-1)
    bad(pb.INVALID_ARGUMENT, "persons[1].name", persons={1: {"name": ""}})
    bad(pb.INVALID_ARGUMENT, "persons[0].name", persons={0: {"name": "Lotte\tJansen"}})
    bad(pb.INVALID_ARGUMENT, "persons[0].birth_date", persons={0: {"birth_date": "12-04-1990"}})
    bad(pb.OUT_OF_RANGE, "persons[0].birth_date", persons={0: {"birth_date": "1990-02-30"}})
    bad(pb.OUT_OF_RANGE, "persons[1].role", persons={1: {"role": 77}})
    # The database's own rule (5.4: named without the index): not after today.
    bad(pb.OUT_OF_RANGE, "persons[0].birth_date", persons={0: {"birth_date": "1899-12-31"}})
    bad(pb.OUT_OF_RANGE, "persons.birth_date", persons={0: {"birth_date": today(400)}})
    bad(pb.NOT_FOUND, "case_manager_id", case_manager_id=987654)
    # No key, and an observer (5.3 steps 6, 7).
    r = pol.call("create_case", case_request("no key"))
    expect(r.WhichOneof("body") == "error" and r.error.code == pb.IDEMPOTENCY_KEY_REQUIRED and
           r.error.field == "idempotency_key", "no key: %s" % r)
    user("waarnemer").err("create_case", case_request("observer"), pb.FORBIDDEN, "")


# ---------------------------------------------------------------------------
# Routing, the inbox, resuming the inbox
# ---------------------------------------------------------------------------

@check("routing: move_case along the table, INVALID_TRANSITION with `missing`, who may move; the submitter's inbox (7.4, 7.12)")
def t_routing():
    chair, pol, woning = user("voorzitter"), user("politie"), user("woningcorporatie")
    case = S["case"]
    inbox = pol.sub(pb.TOPIC_INBOX)
    expect(inbox.HasField("inbox"), "inbox subscription without the inbox list: %s" % inbox)
    S["inbox_seq"] = inbox.seq
    # Not in the table (signal -> plan), and who may move (7.4).
    e = chair.err("move_case", pb.MoveCaseRequest(id=case.id, version=case.version, to=pb.CASE_PLAN),
                  pb.INVALID_TRANSITION, "to")
    expect(not e.missing, "a move outside the table carries missing %s" % e.missing)
    pol.err("move_case", pb.MoveCaseRequest(id=case.id, version=case.version, to=pb.CASE_SCREENING),
            pb.FORBIDDEN)
    woning.err("move_case", pb.MoveCaseRequest(id=case.id, version=case.version, to=pb.CASE_SCREENING),
               pb.NOT_FOUND, "id")
    chair.err("move_case", pb.MoveCaseRequest(id=case.id, version=case.version, to=77), pb.OUT_OF_RANGE, "to")
    moved = chair.w("move_case", pb.MoveCaseRequest(id=case.id, version=case.version, to=pb.CASE_SCREENING),
                    "case_record")
    expect(moved.status == pb.CASE_SCREENING and moved.version == case.version + 1, "moved %s" % moved)
    e = chair.err("move_case", pb.MoveCaseRequest(id=case.id, version=case.version, to=pb.CASE_INFO_ROUND),
                  pb.CONFLICT, "version")
    expect(e.WhichOneof("current_record") == "current_case" and e.current_case.version == moved.version,
           "CONFLICT of move_case: %s" % e)
    # The submitter's inbox entry, pushed (7.12).
    ev = pol.event(lambda e: e.HasField("inbox_entry") and e.inbox_entry.case_id == case.id, "inbox entry")
    ie = ev.inbox_entry
    expect(ie.kind == pb.INBOX_CASE_MOVED and ie.from_status == "signal" and ie.to_status == "screening",
           "inbox entry %s" % ie)
    expect(ie.recipient_org_id == pol.org_id and ie.recipient_user_id == pol.user.id and
           ie.sender_id == chair.user.id and not ie.sent_by_me and ie.read_at == 0, "inbox entry %s" % ie)
    expect(ev.seq > S["inbox_seq"], "inbox event seq %d" % ev.seq)
    S["inbox_seq"] = ev.seq
    S["inbox_entry"] = ie
    lst = pol.ok("list_inbox", pb.ListInboxRequest(unread_only=True), "inbox_list")
    expect(any(x.id == ie.id for x in lst.entries) and lst.unread >= 1, "list_inbox %s" % lst)
    # to info_round, then direction: lacks lead_org and case_manager, in that order.
    cur = chair.w("move_case", pb.MoveCaseRequest(id=case.id, version=moved.version, to=pb.CASE_INFO_ROUND),
                  "case_record")
    e = chair.err("move_case", pb.MoveCaseRequest(id=case.id, version=cur.version, to=pb.CASE_DIRECTION),
                  pb.INVALID_TRANSITION, "to")
    expect(list(e.missing) == ["lead_org", "case_manager"], "missing %s" % list(e.missing))
    S["case"] = cur


@check("resume the inbox after a dropped connection: resumed, then exactly the missed entry (6.1.1, 8.3)")
def t_inbox_resume():
    chair, pol = user("voorzitter"), user("politie")
    pol.settle(0.5)
    seq, ticket = S["inbox_seq"], pol.ticket
    for e in pol.c.events:
        if e.HasField("inbox_entry"):
            seq = max(seq, e.seq)
    drop("politie")
    # Meanwhile the chair moves case B: the police's inbox gets an entry it does not see live.
    b = S["case_b"]
    mb = chair.w("move_case", pb.MoveCaseRequest(id=b.id, version=b.version, to=pb.CASE_SCREENING), "case_record")
    S["case_b"] = mb
    c = w.Conn(A.host, A.port, A.ca)
    r = c.login("politie", ticket=ticket)
    expect(r.WhichOneof("body") == "login_ok" and r.login_ok.resumed, "ticket login %s" % r)
    s = Session.__new__(Session)
    s.name, s.c, s.user, s.org_id, s.ticket = "politie", c, r.login_ok.user, r.login_ok.user.org_id, \
        r.login_ok.resume_ticket
    _sessions["politie"] = s
    sub = s.sub(pb.TOPIC_INBOX, resume_from=seq)
    expect(sub.resumed and sub.seq == seq and not sub.HasField("inbox"), "resume answer %s" % sub)
    ev = s.event(lambda e: e.HasField("inbox_entry"), "replayed after the resume")
    expect(ev.seq > seq and ev.inbox_entry.case_id == b.id and ev.inbox_entry.to_status == "screening",
           "replayed %s" % ev)
    s.settle(1.0)
    more = s.take(lambda e: e.HasField("inbox_entry"))
    expect(not more, "more than the missed entry: %s" % more)
    s.sub(pb.TOPIC_CASE_LIST)


# ---------------------------------------------------------------------------
# Before the meeting: info round, contributions, goals, routing
# ---------------------------------------------------------------------------

@check("info round: start, the asked organisation sees its own entry and the persons, answers, close (7.10)")
def t_info_round():
    chair, pol, woning = user("voorzitter"), user("politie"), user("woningcorporatie")
    case = S["case"]
    woning.sub(pb.TOPIC_ORG_ACTIONS)

    def start(**kw):
        return pb.StartInfoRoundRequest(case_id=case.id, **kw)
    chair.err("start_info_round", start(reply_by=today(7)), pb.INVALID_ARGUMENT, "org_ids")
    chair.err("start_info_round", start(org_ids=[987654], reply_by=today(7)), pb.NOT_FOUND, "org_ids")
    chair.err("start_info_round", start(org_ids=[woning.org_id], reply_by=today(-2)), pb.IN_THE_PAST, "reply_by")
    chair.err("start_info_round", start(org_ids=[woning.org_id]), pb.INVALID_ARGUMENT, "reply_by")
    chair.err("start_info_round", start(org_ids=[woning.org_id], reply_by="volgende week"),
              pb.INVALID_ARGUMENT, "reply_by")
    pol.err("start_info_round", start(org_ids=[woning.org_id], reply_by=today(7)), pb.FORBIDDEN)
    rnd = chair.w("start_info_round", start(org_ids=[woning.org_id], reply_by=today(7)), "info_round")
    expect(rnd.state == pb.INFO_ROUND_OPEN and rnd.case_id == case.id and rnd.reply_by == today(7) and
           [a.org_id for a in rnd.asked] == [woning.org_id] and rnd.asked[0].answer == pb.INFO_PENDING,
           "round %s" % rnd)
    chair.err("start_info_round", start(org_ids=[woning.org_id], reply_by=today(7)),
              pb.INVALID_TRANSITION, "case_id")
    # The asked organisation: its work list gets it, with the persons in full (identifying).
    ev = woning.event(lambda e: e.HasField("info_round") and e.info_round.id == rnd.id, "info round")
    got = ev.info_round
    expect(got.identifying and sorted(p.name for p in got.persons) == sorted(n for n, _, _ in PERSONS) and
           sorted(p.birth_date for p in got.persons) == sorted(b for _, b, _ in PERSONS),
           "asked organisation's round %s" % got)
    expect([a.org_id for a in got.asked] == [woning.org_id], "asked entries %s" % got.asked)
    lst = woning.ok("list_info_rounds", pb.ListInfoRoundsRequest(), "info_round_list")
    expect(any(r.id == rnd.id for r in lst.rounds), "asked organisation's list_info_rounds %s" % lst)
    # ... and its inbox the round's notice (7.12): the case number and the date, nothing personal.
    inbox = woning.ok("list_inbox", pb.ListInboxRequest(unread_only=True), "inbox_list")
    asked = [e for e in inbox.entries if e.kind == pb.INBOX_INFO_ROUND_ASKED and e.info_round_id == rnd.id]
    expect(len(asked) == 1 and asked[0].case_number == case.number and asked[0].reply_by == today(7) and
           asked[0].sender_id == chair.user.id and not asked[0].HasField("action_point"),
           "asked organisation's inbox %s" % inbox)
    woning.err("get_case", pb.GetCaseRequest(case_id=case.id), pb.NOT_FOUND, "case_id", write=False)
    # The submitter: connected, not asked: no persons under the round's rule.
    pr = [r for r in pol.ok("list_info_rounds", pb.ListInfoRoundsRequest(case_id=case.id),
                            "info_round_list").rounds if r.id == rnd.id]
    expect(pr and not pr[0].persons and not pr[0].identifying, "submitter's round %s" % pr)
    # Answers.
    woning.err("answer_info_round", pb.AnswerInfoRoundRequest(id=rnd.id, answer=pb.INFO_PENDING),
               pb.INVALID_ARGUMENT, "answer")
    woning.err("answer_info_round", pb.AnswerInfoRoundRequest(id=rnd.id, answer=pb.INFO_KNOWN, note="n" * 501),
               pb.STRING_TOO_LONG, "note")
    pol.err("answer_info_round", pb.AnswerInfoRoundRequest(id=rnd.id, answer=pb.INFO_KNOWN), pb.NOT_FOUND, "id")
    ans = woning.w("answer_info_round", pb.AnswerInfoRoundRequest(id=rnd.id, answer=pb.INFO_KNOWN,
                                                                  note="huurder sinds 2019"), "info_round")
    mine = [a for a in ans.asked if a.org_id == woning.org_id][0]
    expect(mine.answer == pb.INFO_KNOWN and mine.note == "huurder sinds 2019" and mine.answered_at > 0,
           "answer %s" % mine)
    ev = chair.event(lambda e: e.HasField("info_round") and e.info_round.id == rnd.id and
                     e.info_round.asked[0].answer == pb.INFO_KNOWN, "answered round (process manager)")
    expect(ev.info_round.asked[0].note == "huurder sinds 2019", "the process manager sees the note")
    # Close: version checked; the asked organisation loses the persons.
    cur = ev.info_round
    chair.err("close_info_round", pb.CloseInfoRoundRequest(id=rnd.id, version=cur.version - 1),
              pb.CONFLICT, "version")
    closed = chair.w("close_info_round", pb.CloseInfoRoundRequest(id=rnd.id, version=cur.version), "info_round")
    expect(closed.state == pb.INFO_ROUND_CLOSED and closed.closed_at > 0, "closed %s" % closed)
    woning.err("answer_info_round", pb.AnswerInfoRoundRequest(id=rnd.id, answer=pb.INFO_NOT_KNOWN),
               pb.INVALID_TRANSITION, "id")
    after = [r for r in woning.ok("list_info_rounds", pb.ListInfoRoundsRequest(include_closed=True),
                                  "info_round_list").rounds if r.id == rnd.id]
    expect(after and not after[0].persons and not after[0].identifying, "after closing %s" % after)
    S["round"] = closed


@check("contributions, goals and routing fields; the moves they unlock (7.4, 7.6)")
def t_plan_of_approach():
    chair, pol = user("voorzitter"), user("politie")
    case = S["case"]
    pol.err("add_contribution", pb.AddContributionRequest(case_id=case.id, facts=" ", judgement=""),
            pb.INVALID_ARGUMENT, "facts")
    user("woningcorporatie").err("add_contribution", pb.AddContributionRequest(case_id=case.id, facts="x"),
                                 pb.NOT_FOUND, "case_id")
    con = pol.w("add_contribution", pb.AddContributionRequest(case_id=case.id, facts="twee meldingen",
                                                              judgement="zorgelijk"), "contribution")
    expect(con.org_id == pol.org_id and con.author_id == pol.user.id and con.version == 1, "contribution %s" % con)
    pol.err("update_contribution", pb.UpdateContributionRequest(id=con.id, version=con.version + 5, facts="x"),
            pb.CONFLICT, "version")
    user("reclassering").err("update_contribution",
                             pb.UpdateContributionRequest(id=con.id, version=con.version, facts="x"),
                             pb.NOT_FOUND, "id")
    chair.err("update_routing", pb.UpdateRoutingRequest(id=case.id, version=case.version, lead_org_id=987654),
              pb.NOT_FOUND, "lead_org_id")
    chair.err("update_routing", pb.UpdateRoutingRequest(id=case.id, version=case.version, end_date="31-12-2026"),
              pb.INVALID_ARGUMENT, "end_date")
    cur = chair.ok("get_case", pb.GetCaseRequest(case_id=case.id), "case_detail").case
    routed = chair.w("update_routing", pb.UpdateRoutingRequest(id=case.id, version=cur.version,
                                                              lead_org_id=pol.org_id,
                                                              case_manager_id=chair.user.id,
                                                              review_date=today(20)), "case_record")
    expect(routed.lead_org_id == pol.org_id and routed.case_manager_id == chair.user.id and
           routed.review_date == today(20), "routed %s" % routed)
    d = chair.w("move_case", pb.MoveCaseRequest(id=case.id, version=routed.version, to=pb.CASE_DIRECTION),
                "case_record")
    e = chair.err("move_case", pb.MoveCaseRequest(id=case.id, version=d.version, to=pb.CASE_PLAN),
                  pb.INVALID_TRANSITION, "to")
    expect(list(e.missing) == ["goal"], "missing %s" % list(e.missing))
    chair.err("add_goal", pb.GoalRequest(goal=pb.Goal(case_id=case.id, description="  ")),
              pb.INVALID_ARGUMENT, "goal.description")
    goal = chair.w("add_goal", pb.GoalRequest(goal=pb.Goal(case_id=case.id, description="veiligheid thuis")),
                   "goal")
    expect(goal.case_id == case.id and goal.version == 1 and not goal.achieved, "goal %s" % goal)
    e = chair.err("update_goal", pb.GoalRequest(goal=pb.Goal(id=goal.id, version=goal.version + 2, description="x")),
                  pb.CONFLICT, "goal.version")
    expect(not e.WhichOneof("current_record"), "update_goal's CONFLICT carries %s" % e.WhichOneof("current_record"))
    chair.err("update_goal", pb.GoalRequest(goal=pb.Goal(id=987654, version=1, description="x")),
              pb.NOT_FOUND, "goal.id")
    p = chair.w("move_case", pb.MoveCaseRequest(id=case.id, version=d.version, to=pb.CASE_PLAN), "case_record")
    expect(p.status == pb.CASE_PLAN, "moved to plan %s" % p)
    det = pol.ok("get_case", pb.GetCaseRequest(case_id=case.id), "case_detail")
    expect(any(c.id == con.id for c in det.contributions) and any(g.id == goal.id for g in det.goals) and
           any(r.id == S["round"].id for r in det.info_rounds), "get_case of the submitter %s" % det)
    S["case"], S["goal"] = p, goal


# ---------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------

@check("plan_meetings: occurrences in Europe/Amsterdam, one event each, a rerun creates nothing; its refusals (7.7)")
def t_plan_meetings():
    chair, pol = user("voorzitter"), user("politie")
    sid = S["series"].id
    pol.sub(pb.TOPIC_MEETING_LIST)
    first = today(21)

    def plan(**kw):
        base = dict(series_id=sid, first_date=first, time="13:30")
        base.update(kw)
        return pb.PlanMeetingsRequest(**base)
    chair.err("plan_meetings", plan(series_id=987654), pb.NOT_FOUND, "series_id")
    chair.err("plan_meetings", plan(first_date=""), pb.INVALID_ARGUMENT, "first_date")
    chair.err("plan_meetings", plan(first_date="morgen"), pb.INVALID_ARGUMENT, "first_date")
    chair.err("plan_meetings", plan(first_date="2027-02-30"), pb.OUT_OF_RANGE, "first_date")
    chair.err("plan_meetings", plan(time="1330"), pb.INVALID_ARGUMENT, "time")
    chair.err("plan_meetings", plan(time="24:00"), pb.INVALID_ARGUMENT, "time")
    chair.err("plan_meetings", plan(every_weeks=53, until=today(60)), pb.OUT_OF_RANGE, "every_weeks")
    chair.err("plan_meetings", plan(every_weeks=2), pb.INVALID_ARGUMENT, "until")
    chair.err("plan_meetings", plan(every_weeks=2, until=today(14)), pb.INVALID_ARGUMENT, "until")
    chair.err("plan_meetings", plan(every_weeks=2, until=today(21 + 367)), pb.OUT_OF_RANGE, "until")
    chair.err("plan_meetings", plan(every_weeks=2, until="2027-13-01"), pb.OUT_OF_RANGE, "until")
    chair.err("plan_meetings", plan(first_date=today(-7)), pb.IN_THE_PAST, "first_date")
    chair.err("plan_meetings", plan(chair_id=pol.user.id), pb.INVALID_ARGUMENT, "chair_id")
    chair.err("plan_meetings", plan(chair_id=987654), pb.NOT_FOUND, "chair_id")
    pol.err("plan_meetings", plan(), pb.FORBIDDEN)
    ml = chair.w("plan_meetings", plan(every_weeks=2, until=today(21 + 28)), "meeting_list")
    starts = [m.scheduled_start for m in ml.meetings]
    want = [ams_time(today(21 + 14 * i), "13:30") for i in range(3)]
    expect(starts == want, "planned starts %s, expected %s (13:30 Europe/Amsterdam)" % (starts, want))
    expect(all(m.state == pb.MEETING_PLANNED and m.series_id == sid and m.chair_id == S["series"].usual_chair_id
               and m.version == 1 for m in ml.meetings), "planned %s" % ml)
    ids = {m.id for m in ml.meetings}
    for _ in ids:
        pol.event(lambda e: e.HasField("meeting") and e.meeting.id in ids, "per planned meeting")
    pol.settle(1.0)
    again = chair.w("plan_meetings", plan(every_weeks=2, until=today(21 + 28)), "meeting_list")
    expect(len(again.meetings) == 0, "the same plan again created %s" % again)
    pol.settle(1.0)
    extra = pol.take(lambda e: e.HasField("meeting") and e.meeting.id in ids)
    expect(len(extra) == 0, "%d events for a plan that created nothing or duplicates" % len(extra))
    S["planned"] = list(ml.meetings)


@check("move_meeting and cancel_meeting: version, states, IN_THE_PAST; cancelled stays listed (7.7)")
def t_move_cancel():
    chair, pol = user("voorzitter"), user("politie")
    m = S["planned"][2]
    chair.err("move_meeting", pb.MoveMeetingRequest(meeting_id=m.id, version=m.version,
                                                    scheduled_start=int(time.time()) - 86400),
              pb.IN_THE_PAST, "scheduled_start")
    chair.err("move_meeting", pb.MoveMeetingRequest(meeting_id=m.id, version=m.version + 3,
                                                    scheduled_start=m.scheduled_start + 3600),
              pb.CONFLICT, "version")
    pol.err("move_meeting", pb.MoveMeetingRequest(meeting_id=m.id, version=m.version,
                                                  scheduled_start=m.scheduled_start + 3600), pb.FORBIDDEN)
    mv = chair.w("move_meeting", pb.MoveMeetingRequest(meeting_id=m.id, version=m.version,
                                                       scheduled_start=m.scheduled_start + 3600), "meeting")
    expect(mv.scheduled_start == m.scheduled_start + 3600 and mv.version == m.version + 1, "moved %s" % mv)
    chair.err("cancel_meeting", pb.CancelMeetingRequest(meeting_id=m.id, version=mv.version, reason="r" * 501),
              pb.STRING_TOO_LONG, "reason")
    cn = chair.w("cancel_meeting", pb.CancelMeetingRequest(meeting_id=m.id, version=mv.version,
                                                           reason="vakantie"), "meeting")
    expect(cn.state == pb.MEETING_CANCELLED and cn.cancel_reason == "vakantie", "cancelled %s" % cn)
    chair.err("cancel_meeting", pb.CancelMeetingRequest(meeting_id=m.id, version=cn.version), pb.INVALID_TRANSITION)
    chair.err("move_meeting", pb.MoveMeetingRequest(meeting_id=m.id, version=cn.version,
                                                    scheduled_start=m.scheduled_start), pb.INVALID_TRANSITION)
    ev = pol.event(lambda e: e.HasField("meeting") and e.meeting.id == m.id and
                   e.meeting.state == pb.MEETING_CANCELLED, "for the cancelled meeting")
    expect(ev.meeting.cancel_reason == "vakantie", "event %s" % ev.meeting)
    listed = [x for x in pol.ok("list_meetings", body="meeting_list").meetings if x.id == m.id]
    expect(listed and listed[0].state == pb.MEETING_CANCELLED, "cancelled meeting listed as %s" % listed)


@check("create_meeting for today: its refusals; the agenda by nomination, proposals, publication (7.2, 7.7, 7.11)")
def t_prepare():
    chair, pol, woning = user("voorzitter"), user("politie"), user("woningcorporatie")
    sid = S["series"].id
    now = int(time.time())
    start = max(now + 120, ams_time(today(), "00:00") + 60)
    chair.err("create_meeting", pb.CreateMeetingRequest(series_id=sid), pb.OUT_OF_RANGE, "scheduled_start")
    chair.err("create_meeting", pb.CreateMeetingRequest(series_id=sid, scheduled_start=now - 3 * 86400),
              pb.IN_THE_PAST, "scheduled_start")
    chair.err("create_meeting", pb.CreateMeetingRequest(series_id=987654, scheduled_start=start),
              pb.NOT_FOUND, "series_id")
    chair.err("create_meeting", pb.CreateMeetingRequest(series_id=sid, scheduled_start=start,
                                                        chair_id=pol.user.id), pb.INVALID_ARGUMENT, "chair_id")
    pol.err("create_meeting", pb.CreateMeetingRequest(series_id=sid, scheduled_start=start), pb.FORBIDDEN)
    m = chair.w("create_meeting", pb.CreateMeetingRequest(series_id=sid, scheduled_start=start), "meeting")
    due = datetime.date.fromisoformat(today()) - datetime.timedelta(days=1)
    while due.weekday() >= 5:
        due -= datetime.timedelta(days=1)
    expect(m.state == pb.MEETING_PLANNED and m.chair_id == chair.user.id and m.version == 1 and
           m.published_at == 0 and m.publish_due == due.isoformat() and m.publish_overdue,
           "today's meeting: publish_due should be the working day before and overdue: %s" % m)
    S["meeting"] = m
    case, b = S["case"], S["case_b"]
    # Nominations by the police (a member of the series); the chair decides.
    chair.sub(pb.TOPIC_NOMINATIONS)
    pol.sub(pb.TOPIC_NOMINATIONS)
    pol.err("nominate_case", pb.NominateCaseRequest(series_id=sid, case_id=case.id), pb.INVALID_ARGUMENT, "reason")
    pol.err("nominate_case", pb.NominateCaseRequest(series_id=sid, case_id=case.id, reason="r" * 2001),
            pb.STRING_TOO_LONG, "reason")
    pol.err("nominate_case", pb.NominateCaseRequest(series_id=sid, case_id=987654, reason="x"),
            pb.NOT_FOUND, "case_id")
    woning.err("nominate_case", pb.NominateCaseRequest(series_id=sid, case_id=case.id, reason="x"), pb.FORBIDDEN)
    n = pol.w("nominate_case", pb.NominateCaseRequest(series_id=sid, case_id=case.id, reason="huisverbod"),
              "nomination")
    expect(n.state == pb.NOMINATION_PENDING and n.org_id == pol.org_id and n.case_id == case.id and
           n.reason == "huisverbod", "nomination %s" % n)
    pol.err("nominate_case", pb.NominateCaseRequest(series_id=sid, case_id=case.id, reason="nog eens"),
            pb.INVALID_ARGUMENT, "case_id")
    ev = chair.event(lambda e: e.HasField("nomination") and e.nomination.id == n.id, "for the nomination")
    expect(ev.nomination.case_number == case.number, "nomination event %s" % ev.nomination)
    nb = pol.w("nominate_case", pb.NominateCaseRequest(series_id=sid, case_id=b.id, reason="tweede"),
               "nomination")
    pol.err("accept_nomination", pb.NominationDecisionRequest(id=n.id, version=n.version, meeting_id=m.id),
            pb.FORBIDDEN)
    chair.err("accept_nomination", pb.NominationDecisionRequest(id=n.id, version=n.version + 1, meeting_id=m.id),
              pb.CONFLICT, "version")
    acc = chair.w("accept_nomination", pb.NominationDecisionRequest(id=n.id, version=n.version, meeting_id=m.id),
                  "nomination")
    expect(acc.state == pb.NOMINATION_ACCEPTED and acc.meeting_id == m.id and acc.agenda_item_id > 0 and
           acc.decided_by == chair.user.id, "accepted %s" % acc)
    chair.err("decline_nomination", pb.NominationDecisionRequest(id=nb.id, version=nb.version), pb.INVALID_ARGUMENT,
              "reason")
    dec = chair.w("decline_nomination", pb.NominationDecisionRequest(id=nb.id, version=nb.version,
                                                                     reason="eerst screenen"), "nomination")
    expect(dec.state == pb.NOMINATION_DECLINED and dec.decline_reason == "eerst screenen", "declined %s" % dec)
    chair.err("decline_nomination", pb.NominationDecisionRequest(id=nb.id, version=dec.version, reason="x"),
              pb.INVALID_TRANSITION, "id")
    chair.err("accept_nomination", pb.NominationDecisionRequest(id=n.id, version=acc.version, meeting_id=m.id),
              pb.INVALID_TRANSITION, "id")
    ev = pol.event(lambda e: e.HasField("nomination") and e.nomination.id == nb.id and
                   e.nomination.state == pb.NOMINATION_DECLINED, "for the declined nomination")
    expect(ev.nomination.decline_reason == "eerst screenen", "the nominating organisation sees the reason")
    expect(ev.gone, "a decided nomination did not leave the pending list (gone, 8.1)")
    S["item"] = acc.agenda_item_id
    # Proposals: case B (a new signal of the series' district) is proposed; decline it.
    pol.err("list_proposals", pb.ListProposalsRequest(meeting_id=m.id), pb.FORBIDDEN, write=False)
    chair.err("list_proposals", pb.ListProposalsRequest(), pb.INVALID_ARGUMENT, "series_id", write=False)
    pl = chair.ok("list_proposals", pb.ListProposalsRequest(meeting_id=m.id), "proposal_list")
    expect(pl.meeting.id == m.id, "proposal list for %d" % pl.meeting.id)
    expect(all(p.case_id != case.id for p in pl.proposals), "a case on the agenda is still proposed")
    pb_ = [p for p in pl.proposals if p.case_id == b.id]
    expect(pb_ and any(r.code == "new_signal" for r in pb_[0].reasons), "case B proposed as %s" % pb_)
    chair.err("decline_proposal", pb.DeclineProposalRequest(meeting_id=m.id, case_id=b.id), pb.INVALID_ARGUMENT,
              "reason")
    chair.err("decline_proposal", pb.DeclineProposalRequest(meeting_id=m.id, case_id=case.id, reason="x"),
              pb.NOT_FOUND, "case_id")
    chair.sub(pb.TOPIC_MEETING, m.id)
    pol.sub(pb.TOPIC_MEETING, m.id)
    dp = chair.w("decline_proposal", pb.DeclineProposalRequest(meeting_id=m.id, case_id=b.id, reason="later"),
                 "proposal")
    ev = chair.event(lambda e: e.HasField("proposal") and e.proposal.case_id == b.id, "for the declined proposal")
    expect(ev.proposal.decline_reason == "later", "proposal event %s" % ev.proposal)
    pol.settle(1.0)
    seen = pol.take(lambda e: e.HasField("proposal"))
    expect(not seen, "a partner who does not decide got the proposal: %s" % seen)
    pol.ok("unsubscribe", pb.UnsubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=m.id), "ok")
    chair.ok("unsubscribe", pb.UnsubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=m.id), "ok")
    expect(dp.state == pb.PROPOSAL_DECLINED and dp.decline_reason == "later" and dp.declined_by_name,
           "declined proposal %s" % dp)
    pl = chair.ok("list_proposals", pb.ListProposalsRequest(meeting_id=m.id), "proposal_list")
    expect(pl.proposals and pl.proposals[-1].state == pb.PROPOSAL_DECLINED, "declined ones last: %s" % pl)


@check("publish_agenda: once, versioned; member organisations get agenda_published and an inbox entry (7.11, 7.12)")
def t_publish():
    chair, pol, woning = user("voorzitter"), user("politie"), user("woningcorporatie")
    pol.sub(pb.TOPIC_ORG_ACTIONS)
    m = chair.ok("list_meetings", body="meeting_list")
    m = [x for x in m.meetings if x.id == S["meeting"].id][0]
    e = chair.err("publish_agenda", pb.PublishAgendaRequest(meeting_id=m.id, version=m.version + 7), pb.CONFLICT,
                  "version")
    expect(e.WhichOneof("current_record") == "current_meeting", "CONFLICT of publish_agenda: %s" % e)
    pol.err("publish_agenda", pb.PublishAgendaRequest(meeting_id=m.id, version=m.version), pb.FORBIDDEN)
    pub = chair.w("publish_agenda", pb.PublishAgendaRequest(meeting_id=m.id, version=m.version), "meeting")
    expect(pub.published_at > 0 and pub.published_by_name == chair.user.display_name and
           pub.version == m.version + 1, "published %s" % pub)
    chair.err("publish_agenda", pb.PublishAgendaRequest(meeting_id=m.id, version=pub.version),
              pb.INVALID_TRANSITION)
    ev = pol.event(lambda e: e.HasField("agenda_published") and e.agenda_published.meeting_id == m.id,
                   "agenda_published")
    ap = ev.agenda_published
    expect(ap.series_id == S["series"].id and ap.item_count == 1 and ap.published_at == pub.published_at and
           ap.scheduled_start == m.scheduled_start, "agenda_published %s" % ap)
    expect(ev.HasField("meeting") and ev.meeting.id == m.id, "the event carries the meeting too")
    ie = pol.event(lambda e: e.HasField("inbox_entry") and e.inbox_entry.kind == pb.INBOX_AGENDA_PUBLISHED and
                   e.inbox_entry.meeting_id == m.id, "inbox entry for the publication").inbox_entry
    expect(ie.case_id == 0 and ie.case_number == "" and ie.recipient_org_id == pol.org_id and
           ie.recipient_user_id == 0 and ie.series_name == S["series"].name, "publication entry %s" % ie)
    woning.settle(0.5)
    leak = woning.take(lambda e: e.HasField("agenda_published") or (e.HasField("meeting") and e.meeting.id == m.id))
    expect(not leak, "a non-member organisation got the publication: %s" % leak)
    # An item added after publication is marked; case B is on the agenda at position 2.
    ag = chair.w("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=S["case_b"].id), "agenda")
    late = [i for i in ag.items if i.case_id == S["case_b"].id][0]
    early = [i for i in ag.items if i.id == S["item"]][0]
    expect(late.added_after_publication and not early.added_after_publication and late.position == 2,
           "agenda %s" % ag)
    chair.err("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=S["case_b"].id),
              pb.INVALID_ARGUMENT, "case_id")
    chair.err("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=S["case"].id, position=9),
              pb.INVALID_ARGUMENT, "case_id")
    S["item_b"] = late.id
    S["meeting"] = pub
    # The calendar shows it, today.
    cal = chair.ok("list_calendar", pb.ListCalendarRequest(), "calendar")
    expect(any(x.meeting.id == m.id for x in cal.entries), "calendar %s" % [x.meeting.id for x in cal.entries])
    chair.err("list_calendar", pb.ListCalendarRequest(**{"from": "morgen"}), pb.INVALID_ARGUMENT, "from",
              write=False)
    chair.err("list_calendar", pb.ListCalendarRequest(to="2026-13-01"), pb.OUT_OF_RANGE, "to", write=False)


# ---------------------------------------------------------------------------
# The meeting
# ---------------------------------------------------------------------------

@check("the meeting: subscribe, open (nobody_present), attendance + resync, current item, decision, action point, the chair moves on, shared screen (7.2, 7.3, 8, 9.3)")
def t_meeting():
    chair, pol, woning, obs = user("voorzitter"), user("politie"), user("woningcorporatie"), user("waarnemer")
    m = S["meeting"]
    case = S["case"]
    woning.err("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=m.id), pb.FORBIDDEN,
               "meeting_id", write=False)
    pol.err("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=m.id, presentation=True),
            pb.FORBIDDEN, "presentation", write=False)
    chair.err("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING), pb.OUT_OF_RANGE, write=False)
    chair.err("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=987654), pb.NOT_FOUND,
              write=False)
    chair.err("subscribe", pb.SubscribeRequest(topic=55), pb.OUT_OF_RANGE, write=False)
    mine = chair.sub(pb.TOPIC_MEETING, m.id)
    snap = mine.snapshot
    expect(snap.meeting.id == m.id and [i.id for i in snap.agenda] == [S["item"], S["item_b"]] and
           [c.id for c in snap.cases] == [case.id, S["case_b"].id], "chair's snapshot %s" % snap.agenda)
    expect(list(snap.member_org_ids) == list(S["series"].member_org_ids) or
           sorted(snap.member_org_ids) == sorted(S["series"].member_org_ids),
           "member_org_ids %s" % snap.member_org_ids)
    psub = pol.sub(pb.TOPIC_MEETING, m.id)
    screen = Session("voorzitter")  # the beamer: a second connection (8.1)
    screen.sub(pb.TOPIC_MEETING, m.id, presentation=True)
    # Attendance before opening.
    pol.err("record_attendance", pb.AttendanceRequest(meeting_id=m.id, user_id=pol.user.id, present=True),
            pb.INVALID_TRANSITION, "meeting_id")
    chair.err("open_meeting", pb.MeetingStateRequest(meeting_id=m.id, version=m.version + 1), pb.CONFLICT,
              "version")
    op = chair.w("open_meeting", pb.MeetingStateRequest(meeting_id=m.id, version=m.version), "meeting")
    expect(op.state == pb.MEETING_OPEN and op.warning == "nobody_present" and op.version == m.version + 1,
           "opened %s" % op)
    expect(any(a.user_id == chair.user.id and a.present for a in op.attendance), "chair present %s" % op.attendance)
    ev = pol.event(lambda e: e.HasField("meeting") and e.meeting.id == m.id and e.meeting.state == pb.MEETING_OPEN,
                   "for the opening")
    expect(ev.meeting.warning == "" and ev.seq > psub.seq, "open event %s" % ev.meeting)
    chair.err("open_meeting", pb.MeetingStateRequest(meeting_id=m.id, version=op.version), pb.INVALID_TRANSITION)
    # Attendance: oneself only, a member organisation only.
    pol.err("record_attendance", pb.AttendanceRequest(meeting_id=m.id, user_id=S["users"]["reclassering"].id,
                                                      present=True), pb.FORBIDDEN, "user_id")
    woning.err("record_attendance", pb.AttendanceRequest(meeting_id=m.id, user_id=woning.user.id, present=True),
               pb.FORBIDDEN, "meeting_id")
    chair.err("record_attendance", pb.AttendanceRequest(meeting_id=m.id, user_id=987654, present=True),
              pb.NOT_FOUND, "user_id")
    att = pol.w("record_attendance", pb.AttendanceRequest(meeting_id=m.id, user_id=pol.user.id, present=True),
                "attendance")
    expect(att.present and att.user_id == pol.user.id and att.org_id == pol.org_id, "attendance %s" % att)
    ev = pol.event(lambda e: e.HasField("attendance") and e.attendance.user_id == pol.user.id, "attendance")
    expect(ev.HasField("meeting"), "attendance event without the meeting")
    rs = pol.event(lambda e: e.resync, "resync after attendance")
    expect(rs.seq == 0 and not rs.HasField("meeting"), "resync carries nothing else: %s" % rs)
    resync(screen, chair)
    # The chair records the observer present: the shared screen must hide what an observer may not see.
    oid = S["users"]["waarnemer"].id
    chair.w("record_attendance", pb.AttendanceRequest(meeting_id=m.id, user_id=oid, present=True), "attendance")
    resync(pol, screen, chair)
    psub = pol.sub(pb.TOPIC_MEETING, m.id)
    ch = chair.sub(pb.TOPIC_MEETING, m.id).snapshot
    expect(all(c.beamer_redacted and c.beamer_reason == "observer" for c in ch.cases),
           "chair's beamer marks with an observer present: %s" % [(c.beamer_redacted, c.beamer_reason)
                                                                 for c in ch.cases])
    scr = screen.sub(pb.TOPIC_MEETING, m.id, presentation=True)
    expect(all(c.redacted and c.redaction_reason == "presentation" and c.summary == "" for c in scr.snapshot.cases),
           "shared screen with an observer present: %s" % [(c.id, c.redaction_reason) for c in scr.snapshot.cases])
    # The info round in the meeting (7.10): the process manager sees the note; the screen, with an observer
    # in the room (who may not see case_summary), the round without the answers (answers_hidden).
    rid = S["round"].id
    mine_r = [r for r in ch.info_rounds if r.id == rid]
    expect(mine_r and mine_r[0].asked[0].note == "huurder sinds 2019", "chair's rounds %s" % list(ch.info_rounds))
    scr_r = [r for r in scr.snapshot.info_rounds if r.id == rid]
    expect(scr_r and not scr_r[0].asked and scr_r[0].answers_hidden and scr_r[0].started_by_name == "" and
           not scr_r[0].persons and not scr_r[0].identifying, "shared screen's round %s" % scr_r)
    # Current item: the case comes with the event (8.4).
    chair.err("set_current_item", pb.SetCurrentItemRequest(meeting_id=m.id, item_id=987654), pb.NOT_FOUND, "item_id")
    cur = chair.w("set_current_item", pb.SetCurrentItemRequest(meeting_id=m.id, item_id=S["item"]), "meeting")
    expect(cur.current_item_id == S["item"] and cur.version > op.version, "current %s" % cur)
    ev = pol.event(lambda e: e.HasField("meeting") and e.meeting.current_item_id == S["item"], "for the current item")
    items = {i.id: i for i in ev.agenda_items}
    expect(S["item"] in items and items[S["item"]].state == pb.ITEM_CURRENT, "agenda_items %s" % ev.agenda_items)
    expect(ev.HasField("case") and ev.case.id == case.id, "the current item's case is not in the event")
    sev = screen.event(lambda e: e.HasField("case") and e.case.id == case.id, "shared screen: the current case")
    expect(sev.case.redacted and sev.case.redaction_reason == "presentation" and sev.case.summary == "",
           "the current case on the shared screen %s" % sev.case)
    # Decision and action point.
    item = [i for i in chair.sub(pb.TOPIC_MEETING, m.id).snapshot.agenda if i.id == S["item"]][0]
    chair.err("record_decision", pb.RecordDecisionRequest(item_id=item.id, version=item.version,
                                                          decision="a\x1b[2Jb"), pb.INVALID_ARGUMENT, "decision")
    dec = chair.w("record_decision", pb.RecordDecisionRequest(item_id=item.id, version=item.version,
                                                              decision="Huisverbod; hulpverlening via VT"),
                  "agenda_item")
    pol.event(lambda e: any(a.id == item.id and a.version == dec.version for a in e.agenda_items), "decision")

    def action(**kw):
        base = dict(case_id=case.id, meeting_id=m.id, description="gesprek met betrokkene",
                    owner_org_id=pol.org_id, due_date=today(14))
        base.update(kw)
        return pb.CreateActionRequest(**base)
    chair.err("create_action", action(due_date="2026-02-30"), pb.OUT_OF_RANGE, "due_date")
    chair.err("create_action", action(due_date="over twee weken"), pb.INVALID_ARGUMENT, "due_date")
    chair.err("create_action", action(due_date=""), pb.INVALID_ARGUMENT, "due_date")
    chair.err("create_action", action(description="  "), pb.INVALID_ARGUMENT, "description")
    chair.err("create_action", action(owner_org_id=987654), pb.NOT_FOUND, "owner_org_id")
    chair.err("create_action", action(owner_org_id=0), pb.OUT_OF_RANGE, "owner_org_id")
    chair.err("create_action", action(owner_user_id=987654), pb.NOT_FOUND, "owner_user_id")
    chair.err("create_action", action(owner_user_id=S["users"]["reclassering"].id), pb.INVALID_ARGUMENT,
              "owner_user_id")
    chair.err("create_action", action(goal_id=987654), pb.INVALID_ARGUMENT, "goal_id")
    other = [k for k in chair.ok("list_cases", body="case_list").cases
             if k.id not in (case.id, S["case_b"].id)][0]
    chair.err("create_action", action(case_id=other.id), pb.INVALID_ARGUMENT, "meeting_id")
    ap = chair.w("create_action", action(owner_user_id=pol.user.id, goal_id=S["goal"].id), "action_point")
    expect(ap.state == pb.ACTION_OPEN and ap.meeting_id == m.id and ap.owner_org_id == pol.org_id and
           ap.due_date == today(14) and ap.goal_id == S["goal"].id and ap.version == 1, "action point %s" % ap)
    ev = pol.event(lambda e: e.HasField("action_point") and e.action_point.id == ap.id, "for the action point")
    expect(ev.action_point.description == "gesprek met betrokkene", "the owner sees its action point in full")
    S["action"] = ap
    # Only the chair gets the beamer marks (9.3); an observer's view of the meeting is redacted (9.4).
    psnap = pol.sub(pb.TOPIC_MEETING, m.id).snapshot
    expect(all(not c.beamer_redacted and c.beamer_reason == "" for c in psnap.cases),
           "a partner got the chair's beamer marks")
    osnap = obs.sub(pb.TOPIC_MEETING, m.id).snapshot
    oc = [c for c in osnap.cases if c.id == case.id][0]
    expect(oc.redacted and oc.redaction_reason == "observer" and oc.summary == "" and
           all(p.birth_date == "" and p.name not in [n for n, _, _ in PERSONS] for p in oc.persons),
           "observer's case %s" % oc)
    obs.err("record_decision", pb.RecordDecisionRequest(item_id=item.id, version=dec.version, decision="x"),
            pb.FORBIDDEN)
    # The chair moves on (7.2): the previous item becomes discussed, the next current; the screen follows.
    nx = chair.w("set_current_item", pb.SetCurrentItemRequest(meeting_id=m.id, item_id=S["item_b"]), "meeting")
    expect(nx.current_item_id == S["item_b"], "next %s" % nx)
    ev = pol.event(lambda e: e.HasField("meeting") and e.meeting.current_item_id == S["item_b"], "for the next item")
    st = {i.id: i for i in ev.agenda_items}
    expect(S["item"] in st and st[S["item"]].state == pb.ITEM_DISCUSSED and
           st[S["item"]].version == dec.version + 1 and st[S["item_b"]].state == pb.ITEM_CURRENT,
           "states after moving on: %s" % ev.agenda_items)
    expect(ev.HasField("case") and ev.case.id == S["case_b"].id, "the next item's case is not in the event")
    screen.event(lambda e: e.HasField("meeting") and e.meeting.current_item_id == S["item_b"],
                 "on the shared screen for the next item")
    screen.close()
    S["item_a_now"] = st[S["item"]]


@check("after the meeting: close, minutes per organisation, a decision changed after closing, open action points (7.2, 7.13)")
def t_after():
    chair, pol, recl, woning = user("voorzitter"), user("politie"), user("reclassering"), user("woningcorporatie")
    m = [x for x in chair.ok("list_meetings", body="meeting_list").meetings if x.id == S["meeting"].id][0]
    chair.err("get_minutes", pb.MinutesRequest(meeting_id=m.id), pb.INVALID_TRANSITION, "meeting_id", write=False)
    pol.err("close_meeting", pb.MeetingStateRequest(meeting_id=m.id, version=m.version), pb.FORBIDDEN)
    cl = chair.w("close_meeting", pb.MeetingStateRequest(meeting_id=m.id, version=m.version), "meeting")
    expect(cl.state == pb.MEETING_CLOSED and cl.current_item_id == 0, "closed %s" % cl)
    ev = pol.event(lambda e: e.HasField("meeting") and e.meeting.id == m.id and
                   e.meeting.state == pb.MEETING_CLOSED, "for the closing")
    disc = [a for a in ev.agenda_items if a.id == S["item_b"] and a.state == pb.ITEM_DISCUSSED]
    expect(disc and [a.id for a in ev.agenda_items] == [S["item_b"]],
           "closing event lacks the former current item, now discussed: %s" % ev.agenda_items)
    pol.err("record_attendance", pb.AttendanceRequest(meeting_id=m.id, user_id=pol.user.id, present=False),
            pb.INVALID_TRANSITION, "meeting_id")
    chair.err("set_current_item", pb.SetCurrentItemRequest(meeting_id=m.id, item_id=S["item"]),
              pb.INVALID_TRANSITION)
    # A decision changed after closing is marked.
    d = S["item_a_now"]
    ch = chair.w("record_decision", pb.RecordDecisionRequest(item_id=d.id, version=d.version,
                                                             decision=d.decision + " (aangevuld)"), "agenda_item")
    expect(ch.decision_changed_after_close and ch.decision_by_name == chair.user.display_name and
           ch.decision_at > 0, "changed after close %s" % ch)
    # Minutes: the police (present, involved) sees everything; probation (member, absent, not involved) is redacted.
    mp = pol.ok("get_minutes", pb.MinutesRequest(meeting_id=m.id), "minutes")
    expect(mp.org_id == pol.org_id and mp.meeting.id == m.id and mp.closed_at > 0 and
           mp.chair_name == chair.user.display_name, "minutes %s" % mp.meeting)
    expect(any(a.user_id == pol.user.id for a in mp.present), "present %s" % mp.present)
    expect([i.item.id for i in mp.items] == [S["item"], S["item_b"]], "items %s" % [i.item.id for i in mp.items])
    it = mp.items[0]
    expect(it.item.decision == ch.decision and it.changed_after_close and
           [a.id for a in it.actions] == [S["action"].id], "police minutes item %s" % it)
    expect(S["orgs"][recl.org_id].name in mp.absent_orgs, "absent_orgs %s" % list(mp.absent_orgs))
    mr = recl.ok("get_minutes", pb.MinutesRequest(meeting_id=m.id), "minutes")
    ri = mr.items[0]
    expect(mr.org_id == recl.org_id and ri.case.redacted and ri.case.redaction_reason == "not_involved" and
           ri.case.summary == "" and ri.item.decision == "" and
           all(a.description == "" for a in ri.actions) and
           all(p.name not in [n for n, _, _ in PERSONS] and p.birth_date == "" for p in ri.case.persons),
           "probation's minutes item %s" % ri)
    woning.err("get_minutes", pb.MinutesRequest(meeting_id=m.id), pb.NOT_FOUND, "meeting_id", write=False)
    # The open action point carries over to the series' next meeting as the standing item.
    nxt = S["planned"][0]
    oa = chair.ok("list_open_actions", pb.OpenActionsRequest(meeting_id=nxt.id), "action_list")
    expect(any(a.id == S["action"].id for a in oa.actions), "open actions of the next meeting %s" %
           [a.id for a in oa.actions])
    woning.err("list_open_actions", pb.OpenActionsRequest(meeting_id=nxt.id), pb.NOT_FOUND, "meeting_id",
               write=False)
    ns = chair.sub(pb.TOPIC_MEETING, nxt.id).snapshot
    expect(any(a.id == S["action"].id for a in ns.open_actions) and m.id in ns.earlier_meeting_ids,
           "next meeting's snapshot: open_actions %s, earlier %s" % ([a.id for a in ns.open_actions],
                                                                     list(ns.earlier_meeting_ids)))
    S["next"] = nxt


@check("action point done: the submitter's inbox entry, the sender's read receipt; reports (7.3, 7.12, 7.14)")
def t_done_inbox_report():
    chair, pol, woning = user("voorzitter"), user("politie"), user("woningcorporatie")
    ap = S["action"]
    chair.sub(pb.TOPIC_INBOX)
    chair.err("complete_action", pb.FinishActionRequest(id=ap.id, version=ap.version + 4, note="klaar"),
              pb.CONFLICT, "version")
    woning.err("complete_action", pb.FinishActionRequest(id=ap.id, version=ap.version, note="klaar"),
               pb.NOT_FOUND, "id")
    chair.err("complete_action", pb.FinishActionRequest(id=ap.id, version=ap.version, note=" "),
              pb.INVALID_ARGUMENT, "note")
    chair.err("cancel_action", pb.FinishActionRequest(id=ap.id, version=ap.version, note=""),
              pb.INVALID_ARGUMENT, "note")
    done = chair.w("complete_action", pb.FinishActionRequest(id=ap.id, version=ap.version, note="gesprek gevoerd"),
                   "action_point")
    expect(done.state == pb.ACTION_DONE and done.completion_note == "gesprek gevoerd", "done %s" % done)
    chair.err("cancel_action", pb.FinishActionRequest(id=ap.id, version=done.version, note="x"),
              pb.INVALID_TRANSITION)
    ie = pol.event(lambda e: e.HasField("inbox_entry") and e.inbox_entry.kind == pb.INBOX_ACTION_DONE,
                   "inbox entry for the done action").inbox_entry
    expect(ie.action_point.id == ap.id and ie.action_point.completion_note == "gesprek gevoerd" and
           ie.sender_id == chair.user.id and not ie.sent_by_me and ie.recipient_org_id == pol.org_id,
           "entry %s" % ie)
    mine = chair.event(lambda e: e.HasField("inbox_entry") and e.inbox_entry.id == ie.id, "the sender's copy")
    expect(mine.inbox_entry.sent_by_me, "the sender's copy is not sent_by_me")
    woning.err("mark_inbox_read", pb.MarkInboxReadRequest(id=ie.id), pb.NOT_FOUND, "id")
    chair.err("mark_inbox_read", pb.MarkInboxReadRequest(id=ie.id), pb.NOT_FOUND, "id")
    before = pol.ok("list_inbox", pb.ListInboxRequest(unread_only=True), "inbox_list")
    expect(any(x.id == ie.id for x in before.entries) and before.unread == len(before.entries),
           "unread %d with %d unread entries" % (before.unread, len(before.entries)))
    rd = pol.w("mark_inbox_read", pb.MarkInboxReadRequest(id=ie.id), "inbox_entry")
    after = pol.ok("list_inbox", pb.ListInboxRequest(unread_only=True), "inbox_list")
    expect(after.unread == before.unread - 1 and all(x.id != ie.id for x in after.entries),
           "unread after reading: %d (was %d)" % (after.unread, before.unread))
    expect(rd.read_at > 0 and rd.read_by == pol.user.id and rd.version == ie.version + 1, "read %s" % rd)
    rc = chair.event(lambda e: e.HasField("inbox_entry") and e.inbox_entry.id == ie.id and e.inbox_entry.read_at,
                     "read receipt")
    expect(rc.inbox_entry.read_by_name == pol.user.display_name, "receipt %s" % rc.inbox_entry)
    again = pol.w("mark_inbox_read", pb.MarkInboxReadRequest(id=ie.id), "inbox_entry")
    expect(again.read_at == rd.read_at and again.version == rd.version, "read again changed it: %s" % again)
    # Reports: chairs only; totals.
    pol.err("get_report", pb.ReportRequest(**{"from": today(-30), "to": today()}), pb.FORBIDDEN, write=False)
    chair.err("get_report", pb.ReportRequest(**{"from": "gisteren", "to": today()}), pb.INVALID_ARGUMENT, "from",
              write=False)
    chair.err("get_report", pb.ReportRequest(**{"from": today(), "to": "2026-02-30"}), pb.INVALID_ARGUMENT, "to",
              write=False)
    chair.err("get_report", pb.ReportRequest(**{"from": today(), "to": today(-1)}), pb.OUT_OF_RANGE, "to",
              write=False)
    chair.err("get_report", pb.ReportRequest(**{"from": "2010-01-01", "to": today()}), pb.OUT_OF_RANGE, "to",
              write=False)
    rep = chair.ok("get_report", pb.ReportRequest(**{"from": today(-1), "to": today()}), "report")
    po = [o for o in rep.orgs if o.org_id == pol.org_id]
    expect(po and po[0].agreed >= 1 and po[0].done_on_time >= 1 and po[0].attended >= 1,
           "police's report %s" % po)
    area = [a for a in rep.areas if a.district == "Eemland" and a.theme == "domestic_violence"]
    expect(area and area[0].opened >= 2 and [p.status for p in area[0].phases][:2] == ["signal", "screening"],
           "area %s" % area)


# ---------------------------------------------------------------------------
# More before and around the meeting: clocks, agenda edits, earlier cases
# ---------------------------------------------------------------------------

def notice_day(ends_on, days_before):
    """The kind's days before ends_on, moved back to the Friday in a weekend (7.9)."""
    d = datetime.date.fromisoformat(ends_on) - datetime.timedelta(days=days_before)
    while d.weekday() >= 5:
        d -= datetime.timedelta(days=1)
    return d.isoformat()


@check("legal clocks: set_clock derives the end, LEGAL_LIMIT, extend_clock, who may; the probation's notice in its inbox (7.9, 7.12)")
def t_clocks():
    pol, recl, woning = user("politie"), user("reclassering"), user("woningcorporatie")
    case = S["case"]
    recl.sub(pb.TOPIC_INBOX)

    def clock(**kw):
        base = dict(case_id=case.id, kind="huisverbod", starts_on=today())
        base.update(kw)
        return pb.SetClockRequest(**base)
    pol.err("set_clock", clock(kind="bestaat_niet"), pb.NOT_FOUND, "kind")
    pol.err("set_clock", clock(ends_on=today(14)), pb.LEGAL_LIMIT, "ends_on")
    pol.err("set_clock", clock(starts_on="2 december"), pb.INVALID_ARGUMENT, "starts_on")
    pol.err("set_clock", clock(note="n" * 501), pb.STRING_TOO_LONG, "note")
    pol.err("set_clock", clock(kind="police_custody"), pb.INVALID_ARGUMENT, "ends_on")
    pol.err("set_clock", clock(kind="police_custody", ends_on=today(3), hearing_date=today(2)),
            pb.INVALID_ARGUMENT, "hearing_date")
    woning.err("set_clock", clock(), pb.NOT_FOUND, "case_id")
    recl.err("set_clock", clock(), pb.FORBIDDEN)
    c = pol.w("set_clock", clock(note="na incident"), "case_record")
    hv = [k for k in c.clocks if k.kind == "huisverbod"]
    expect(hv and hv[0].ends_on == today(9) and hv[0].total_days == 10 and hv[0].day == 1 and hv[0].running and
           hv[0].max_total_days == 28 and hv[0].extensions == 0 and hv[0].label, "huisverbod %s" % hv)
    expect(c.version == case.version + 1, "the case version did not go up: %d" % c.version)
    ev = pol.event(lambda e: e.HasField("case") and e.case.id == case.id and e.case.version == c.version,
                   "for the clock (case list)")
    expect(any(k.id == hv[0].id for k in ev.case.clocks), "the case event lacks the clock")
    hv = hv[0]
    pol.err("extend_clock", pb.ExtendClockRequest(id=hv.id, version=hv.version, ends_on=today(28)),
            pb.LEGAL_LIMIT, "ends_on")
    pol.err("extend_clock", pb.ExtendClockRequest(id=hv.id, version=hv.version, ends_on=today(5)),
            pb.INVALID_ARGUMENT, "ends_on")
    e = pol.err("extend_clock", pb.ExtendClockRequest(id=hv.id, version=hv.version + 1, ends_on=today(19)),
                pb.CONFLICT, "version")
    expect(e.WhichOneof("current_record") == "current_case", "CONFLICT of extend_clock: %s" % e)
    x = pol.w("extend_clock", pb.ExtendClockRequest(id=hv.id, version=hv.version, ends_on=today(19)), "case_record")
    hv2 = [k for k in x.clocks if k.id == hv.id][0]
    expect(hv2.ends_on == today(19) and hv2.total_days == 20 and hv2.extensions == 1 and
           hv2.version == hv.version + 1, "extended %s" % hv2)
    # Police custody: a notice to the probation service, which is involved through the series (7.9).
    pc = pol.w("set_clock", clock(kind="police_custody", starts_on=today(-1), ends_on=today(10)), "case_record")
    k = [k for k in pc.clocks if k.kind == "police_custody"][0]
    expect(k.max_total_days == 0 and k.notice_org_kind == "probation" and k.notice_due == notice_day(today(10), 1),
           "custody clock %s" % k)
    pol.err("extend_clock", pb.ExtendClockRequest(id=k.id, version=k.version, ends_on=today(12)),
            pb.LEGAL_LIMIT, "ends_on")
    ie = recl.event(lambda e: e.HasField("inbox_entry") and e.inbox_entry.kind == pb.INBOX_CLOCK_SET,
                    "INBOX_CLOCK_SET for the probation service").inbox_entry
    expect(ie.case_id == case.id and ie.clock_id == k.id and ie.clock_ends_on == today(10) and
           ie.notice_on == today(-1) and ie.clock_label == k.label and
           ie.recipient_org_id == recl.org_id and ie.recipient_user_id == 0 and not ie.HasField("action_point"),
           "clock entry %s" % ie)
    S["case"] = pc


@check("agenda edits: positions, reorder from a stale agenda, remove with `removed` in the event (7.2, 8.4)")
def t_agenda_edits():
    chair, pol = user("voorzitter"), user("politie")
    m = S["planned"][0]
    a_id, b_id = S["case"].id, S["case_b"].id
    pol.sub(pb.TOPIC_MEETING, m.id)
    chair.err("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=a_id, position=2),
              pb.OUT_OF_RANGE, "position")
    chair.err("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=a_id, position=501),
              pb.OUT_OF_RANGE, "position")
    pol.err("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=a_id), pb.FORBIDDEN)
    ag = chair.w("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=a_id), "agenda")
    ev = pol.event(lambda e: e.HasField("case") and e.case.id == a_id and
                   any(i.meeting_id == m.id for i in e.agenda_items), "for add_agenda_item")
    ag = chair.w("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=b_id, position=1), "agenda")
    order = [i.case_id for i in sorted(ag.items, key=lambda i: i.position)]
    expect(order == [b_id, a_id], "positions after inserting at 1: %s" % order)
    ids = {i.case_id: i.id for i in ag.items}
    chair.err("reorder_agenda", pb.ReorderAgendaRequest(meeting_id=m.id, item_ids=[ids[a_id]]),
              pb.INVALID_ARGUMENT, "item_ids")
    ro = chair.w("reorder_agenda", pb.ReorderAgendaRequest(meeting_id=m.id, item_ids=[ids[a_id], ids[b_id]]),
                 "agenda")
    expect([i.id for i in sorted(ro.items, key=lambda i: i.position)] == [ids[a_id], ids[b_id]], "reorder %s" % ro)
    ev = pol.event(lambda e: len(e.agenda_items) == 2 and
                   {i.id: i.position for i in e.agenda_items} == {ids[a_id]: 1, ids[b_id]: 2}, "for the reorder")
    item_b = [i for i in ro.items if i.id == ids[b_id]][0]
    e = chair.err("remove_agenda_item", pb.RemoveAgendaItemRequest(item_id=item_b.id, version=item_b.version + 1),
                  pb.CONFLICT, "version")
    expect(e.WhichOneof("current_record") == "current_agenda_item", "CONFLICT of remove_agenda_item: %s" % e)
    rm = chair.w("remove_agenda_item", pb.RemoveAgendaItemRequest(item_id=item_b.id, version=item_b.version),
                 "agenda")
    expect([i.id for i in rm.items] == [ids[a_id]], "agenda after removing %s" % rm)
    ev = pol.event(lambda e: any(i.id == item_b.id and i.removed for i in e.agenda_items), "with removed: true")
    expect(any(i.id == ids[a_id] and not i.removed for i in ev.agenda_items), "remaining items %s" % ev.agenda_items)
    chair.err("remove_agenda_item", pb.RemoveAgendaItemRequest(item_id=item_b.id, version=item_b.version + 1),
              pb.NOT_FOUND)
    pol.c.request("unsubscribe", pb.UnsubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=m.id))


@check("an action point given to another organisation: `gone` for the old owner's work list (7.3, 8.4)")
def t_action_gone():
    chair, pol, recl = user("voorzitter"), user("politie"), user("reclassering")
    recl.sub(pb.TOPIC_ORG_ACTIONS)
    pol.sub(pb.TOPIC_ORG_ACTIONS)
    case = S["case"]
    ap = chair.w("create_action", pb.CreateActionRequest(case_id=case.id, description="dossier opvragen",
                                                         owner_org_id=pol.org_id, due_date=today(7)), "action_point")
    expect(ap.meeting_id == 0, "outside a meeting: %s" % ap)
    pol.event(lambda e: e.HasField("action_point") and e.action_point.id == ap.id, "for the new action point")
    req = pb.UpdateActionRequest(id=ap.id, version=ap.version, description=ap.description,
                                 owner_org_id=recl.org_id, due_date=ap.due_date)
    user("woningcorporatie").err("update_action", req, pb.NOT_FOUND, "id")
    up = chair.w("update_action", req, "action_point")
    expect(up.owner_org_id == recl.org_id and up.version == ap.version + 1, "updated %s" % up)
    old = pol.event(lambda e: e.HasField("action_point") and e.action_point.id == ap.id and
                    e.action_point.version == up.version, "for the old owner")
    expect(old.gone, "the old owner's event is not marked gone")
    new = recl.event(lambda e: e.HasField("action_point") and e.action_point.id == ap.id, "for the new owner")
    expect(not new.gone and new.action_point.description == "dossier opvragen",
           "the new owner's event %s" % new)
    expect(any(a.id == ap.id for a in recl.ok("list_my_actions", body="action_list").actions),
           "the new owner's list_my_actions lacks it")


@check("earlier cases: a name alike with the same birth date, list_earlier_cases, link_persons (7.6)")
def t_earlier():
    pol = user("politie")
    a = S["case"]
    req = pb.CreateCaseRequest(theme="domestic_violence", district="Eemland", summary="nieuw signaal",
                               reason="opnieuw melding")
    req.persons.add(name="lotte janssen", birth_date="1990-04-12", role=pb.PERSON_VICTIM)
    c = pol.w("create_case", req, "case_record")
    expect(c.earlier_discussed, "'lotte janssen' 1990-04-12 is not earlier_discussed (Lotte Jansen of %s)" % a.number)
    ec = pol.ok("list_earlier_cases", pb.ListEarlierCasesRequest(case_id=c.id), "earlier_cases")
    mt = [x for x in ec.matches if x.case_id == a.id]
    expect(ec.case_id == c.id and mt and mt[0].other_person_name == "Lotte Jansen" and
           mt[0].birth_date == "1990-04-12" and mt[0].case_number == a.number and not mt[0].linked,
           "earlier cases %s" % ec)
    pol.err("link_persons", pb.LinkPersonsRequest(person_id=c.persons[0].id, other_person_id=c.persons[0].id),
            pb.INVALID_ARGUMENT, "other_person_id")
    lk = pol.w("link_persons", pb.LinkPersonsRequest(person_id=c.persons[0].id, other_person_id=mt[0].other_person_id),
               "person_link")
    expect(lk.case_id == c.id and lk.other_case_id == a.id and lk.other_case_number == a.number and
           lk.created_by == pol.user.id, "link %s" % lk)
    again = pol.w("link_persons", pb.LinkPersonsRequest(person_id=c.persons[0].id,
                                                        other_person_id=mt[0].other_person_id), "person_link")
    expect(again.id == lk.id, "linking again made a second link")
    ec = pol.ok("list_earlier_cases", pb.ListEarlierCasesRequest(case_id=c.id), "earlier_cases")
    expect([x.linked for x in ec.matches if x.case_id == a.id] == [True], "linked %s" % ec)
    S["case_c"] = c


@check("a non-signatory partner sees a case it is involved in pseudonymised, its own action point in full (9.1, 9.4)")
def t_not_signatory():
    chair, gp = user("voorzitter"), user("huisarts")
    case = S["case"]
    expect(not S["orgs"][gp.org_id].covenant_signed, "demo data: huisarts's organisation has not signed")
    ap = chair.w("create_action", pb.CreateActionRequest(case_id=case.id, description="medicatie nagaan",
                                                         owner_org_id=gp.org_id, due_date=today(7)), "action_point")
    k = gp.ok("get_case", pb.GetCaseRequest(case_id=case.id), "case_detail").case
    expect(k.redacted and k.redaction_reason == "not_signatory" and k.summary == "" and k.reason == "" and
           not k.earlier_discussed and all(p.birth_date == "" for p in k.persons), "not-signatory case %s" % k)
    names = sorted(p.name for p in k.persons)
    expect(names == ["B. d. W.", "L. J."], "initials %s" % names)
    mine = [x for x in gp.ok("list_my_actions", body="action_list").actions if x.id == ap.id]
    expect(mine and mine[0].description == "medicatie nagaan", "its own action point %s" % mine)


@check("plan_mdo: a meeting of the case's own MDO series, whose members are exactly the involved organisations (7.6)")
def t_mdo():
    chair, pol, woning = user("voorzitter"), user("politie"), user("woningcorporatie")
    case = S["case"]
    start = ams_time(today(3), "10:00")

    def mdo(**kw):
        base = dict(case_id=case.id, scheduled_start=start)
        base.update(kw)
        return pb.PlanMdoRequest(**base)
    pol.err("plan_mdo", mdo(), pb.FORBIDDEN)
    woning.err("plan_mdo", mdo(), pb.NOT_FOUND, "case_id")
    chair.err("plan_mdo", mdo(scheduled_start=int(time.time()) - 3 * 86400), pb.IN_THE_PAST, "scheduled_start")
    chair.err("plan_mdo", mdo(chair_id=pol.user.id), pb.INVALID_ARGUMENT, "chair_id")
    m = chair.w("plan_mdo", mdo(), "meeting")
    expect(m.series_name == "MDO " + case.number and m.chair_id == chair.user.id and
           m.scheduled_start == start and m.state == pb.MEETING_PLANNED, "MDO meeting %s" % m)
    pol.event(lambda e: e.HasField("meeting") and e.meeting.id == m.id, "for the MDO (meeting list)")
    series = [x for x in chair.ok("list_series", body="series_list").series if x.id == m.series_id]
    expect(series and series[0].kind == "mdo" and list(series[0].themes) == [case.theme] and
           series[0].district == case.district, "MDO series %s" % series)
    # the chair's organisation too: the routing made the chair its case manager (7.6)
    involved = {pol.org_id, user("reclassering").org_id, user("huisarts").org_id, chair.org_id}
    expect(set(series[0].member_org_ids) == involved, "MDO members %s, involved %s" %
           (sorted(series[0].member_org_ids), sorted(involved)))
    snap = pol.sub(pb.TOPIC_MEETING, m.id).snapshot
    expect([i.case_id for i in snap.agenda] == [case.id], "MDO agenda %s" % snap.agenda)
    expect(all(x.id != m.id for x in woning.ok("list_meetings", body="meeting_list").meetings),
           "housing sees the MDO")
    woning.err("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=m.id), pb.FORBIDDEN,
               "meeting_id", write=False)
    pol.c.request("unsubscribe", pb.UnsubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=m.id))


@check("writing back a redacted record keeps what the writer could not see (9.1, 9.5)")
def t_writeback():
    wo, pol = user("woningcorporatie"), user("politie")
    req = pb.CreateCaseRequest(theme="domestic_violence", district="Enschede-Noord", summary="huurachterstand",
                               reason="overlast")
    req.persons.add(name="Piet Bos", birth_date="1970-05-05", role=pb.PERSON_OTHER)
    c = wo.w("create_case", req, "case_record")
    # Housing may not see birth dates and summaries (9.1's example), not even of its own signal.
    expect(c.redacted and c.redaction_reason == "category" and
           list(c.hidden_categories) == ["birth_dates", "case_summary"] and c.summary == "" and
           c.persons[0].name == "Piet Bos" and c.persons[0].birth_date == "", "housing's own case %s" % c)
    u = wo.w("update_case", pb.UpdateCaseRequest(id=c.id, version=c.version, theme=c.theme, approach=c.approach,
                                                 district="Enschede", summary=c.summary), "case_record")
    expect(u.district == "Enschede" and u.version == c.version + 1, "update_case %s" % u)
    p = c.persons[0]
    wo.err("add_person", pb.PersonRequest(person=pb.Person(id=p.id, case_id=c.id, name="X")),
           pb.INVALID_ARGUMENT, "person.id")
    wo.err("update_person", pb.PersonRequest(person=pb.Person(id=p.id, case_id=S["case"].id, name=p.name,
                                                              version=p.version)),
           pb.INVALID_ARGUMENT, "person.case_id")
    e = wo.err("update_person", pb.PersonRequest(person=pb.Person(id=p.id, case_id=c.id, name=p.name,
                                                                  version=p.version + 4)), pb.CONFLICT, "version")
    expect(e.WhichOneof("current_record") == "current_person" and e.current_person.birth_date == "",
           "update_person's CONFLICT, redacted for housing: %s" % e)
    wo.w("update_person", pb.PersonRequest(person=pb.Person(id=p.id, case_id=c.id, role=pb.PERSON_VICTIM,
                                                            name=p.name, birth_date=p.birth_date,
                                                            version=p.version)), "person")
    # The police, made involved by an action point, sees what housing sent back as "" unchanged.
    wo.w("create_action", pb.CreateActionRequest(case_id=c.id, description="gesprek", owner_org_id=pol.org_id,
                                                 due_date=today(7)), "action_point")
    k = pol.ok("get_case", pb.GetCaseRequest(case_id=c.id), "case_detail").case
    expect(not k.redacted and k.summary == "huurachterstand" and k.reason == "overlast" and
           k.district == "Enschede" and [(x.name, x.birth_date, x.role) for x in k.persons] ==
           [("Piet Bos", "1970-05-05", pb.PERSON_VICTIM)], "after the write-back %s" % k)


@check("closing a case: its requirements, the submitter's INBOX_CASE_CLOSED, `gone` from the case list (7.4, 7.12, 8.1)")
def t_close_case():
    chair, pol = user("voorzitter"), user("politie")
    # Without it, the police's meeting subscription (case B is on that agenda) would take the change:
    # then one full event comes without `gone` and the list drops the case by its state (8.1).
    pol.ok("unsubscribe", pb.UnsubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=S["meeting"].id), "ok")
    b = [k for k in chair.ok("list_cases", body="case_list").cases if k.id == S["case_b"].id][0]
    e = chair.err("move_case", pb.MoveCaseRequest(id=b.id, version=b.version, to=pb.CASE_CLOSED),
                  pb.INVALID_TRANSITION, "to")
    expect(list(e.missing) == ["closing_reason", "evaluation"], "missing %s" % list(e.missing))
    cl = chair.w("move_case", pb.MoveCaseRequest(id=b.id, version=b.version, to=pb.CASE_CLOSED,
                                                 closing_reason="geen zorgen meer", evaluation="goed verlopen"),
                 "case_record")
    expect(cl.status == pb.CASE_CLOSED and cl.closing_reason == "geen zorgen meer", "closed %s" % cl)
    ev = pol.event(lambda e: e.HasField("case") and e.case.id == b.id and e.case.status == pb.CASE_CLOSED,
                   "for the closed case")
    expect(ev.gone, "a closed case did not leave the case list (gone, 8.1)")
    ie = pol.event(lambda e: e.HasField("inbox_entry") and e.inbox_entry.kind == pb.INBOX_CASE_CLOSED,
                   "INBOX_CASE_CLOSED").inbox_entry
    expect(ie.case_id == b.id and ie.from_status == "screening" and ie.to_status == "closed", "entry %s" % ie)
    expect(all(k.id != b.id for k in pol.ok("list_cases", body="case_list").cases), "closed case listed")
    expect(any(k.id == b.id for k in pol.ok("list_cases", pb.ListCasesRequest(include_closed=True),
                                            "case_list").cases), "include_closed lacks the closed case")
    pol.err("nominate_case", pb.NominateCaseRequest(series_id=S["series"].id, case_id=b.id, reason="x"),
            pb.INVALID_TRANSITION)


@check("TOPIC_CASES (20) is the case list: one subscription whichever number (8.1)")
def t_alias():
    pol = user("politie")
    r = pol.sub(pb.TOPIC_CASES)
    expect(r.HasField("cases") and any(k.id == S["case"].id for k in r.cases.cases), "topic 20 answer %s" % r)
    pol.ok("unsubscribe", pb.UnsubscribeRequest(topic=pb.TOPIC_CASE_LIST), "ok")
    pol.err("unsubscribe", pb.UnsubscribeRequest(topic=pb.TOPIC_CASES), pb.NOT_FOUND, write=False)
    pol.sub(pb.TOPIC_CASE_LIST)


@check("the steering group: get_report and nothing else, no subscriptions (7.14)")
def t_steering():
    st = Session("stuur")
    rep = st.ok("get_report", pb.ReportRequest(**{"from": today(-30), "to": today()}), "report")
    expect(rep.orgs and all(o.org_name for o in rep.orgs), "report %s" % rep)
    st.ok("ping", pb.PingRequest(nonce=7), "pong")
    for op, msg in (("list_cases", None), ("list_meetings", None), ("list_inbox", None),
                    ("get_case", pb.GetCaseRequest(case_id=S["case"].id))):
        st.err(op, msg, pb.FORBIDDEN, write=False)
    st.err("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_CASE_LIST), pb.FORBIDDEN, write=False)
    st.err("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_INBOX), pb.FORBIDDEN, write=False)
    st.err("create_case", case_request("stuurgroep"), pb.FORBIDDEN)
    st.close()


@check("a proposal's earlier_discussed only for a chair who may see the match: list, decline answer and event (7.6, 7.11, 9.2)")
def t_proposal_match():
    chair, pol = user("voorzitter"), user("politie")
    # One person in two new signals: one of the chair's district (Eemland, where the chair is
    # process manager) and one of Enschede, which the chair has no connection to.  The police
    # submitted both and sees the match; the chair may not, so no answer of theirs tells of it.
    name = "Merel Zw" + "".join(random.choice("aeiou") + random.choice("bdklmnrstv") for _ in range(3))
    born = "1979-04-0%d" % random.randint(1, 9)
    hidden = pol.w("create_case", pb.CreateCaseRequest(
        theme="repeat_offenders", district="Enschede", summary="elders", reason="melding",
        persons=[pb.Person(name=name, birth_date=born, role=pb.PERSON_SUSPECT)]), "case_record")
    chair.err("get_case", pb.GetCaseRequest(case_id=hidden.id), pb.NOT_FOUND, "case_id", write=False)
    mine = pol.w("create_case", pb.CreateCaseRequest(
        theme="domestic_violence", district="Eemland", summary="hier", reason="melding",
        persons=[pb.Person(name=name, birth_date=born, role=pb.PERSON_SUSPECT)]), "case_record")
    expect(pol.ok("get_case", pb.GetCaseRequest(case_id=mine.id), "case_detail").case.earlier_discussed,
           "the police, who sees both cases, should see the match (earlier_discussed)")
    expect(not chair.ok("get_case", pb.GetCaseRequest(case_id=mine.id), "case_detail").case.earlier_discussed,
           "the chair sees earlier_discussed for a match in a case it may not see")
    pl = chair.ok("list_proposals", pb.ListProposalsRequest(series_id=S["series"].id), "proposal_list")
    mid = pl.meeting.id
    got = [p for p in pl.proposals if p.case_id == mine.id]
    expect(got and [r.code for r in got[0].reasons] == ["new_signal"],
           "the chair's proposal of the new signal should have new_signal alone: %s" % got)
    chair.sub(pb.TOPIC_MEETING, mid)
    dp = chair.w("decline_proposal", pb.DeclineProposalRequest(meeting_id=mid, case_id=mine.id, reason="later"),
                 "proposal")
    expect([r.code for r in dp.reasons] == ["new_signal"],
           "decline_proposal's answer tells the chair of a match it may not see: %s" % list(dp.reasons))
    ev = chair.event(lambda e: e.HasField("proposal") and e.proposal.case_id == mine.id, "for the declined proposal")
    expect([r.code for r in ev.proposal.reasons] == ["new_signal"],
           "the decline's event tells the chair of a match it may not see: %s" % list(ev.proposal.reasons))
    chair.ok("unsubscribe", pb.UnsubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=mid), "ok")


@check("another series' agenda: a case the chair cannot know is not tabled; a partner gets no items of a meeting it may not see (7.2, 8.4, 9.2)")
def t_other_series():
    chair, pol = user("voorzitter"), user("politie")
    jz = Session("jeugdzorg")  # youth care: a member of the Eemland series, not of the SSO
    meetings = chair.ok("list_meetings", pb.ListMeetingsRequest(), "meeting_list").meetings
    eem = [m for m in meetings if m.series_id == S["series"].id and m.state == pb.MEETING_PLANNED]
    sso = [m for m in meetings if m.series_name == "SSO Enschede" and m.state == pb.MEETING_PLANNED]
    expect(eem and sso, "a planned Eemland and SSO meeting: %s" % [(m.id, m.series_name, m.state) for m in meetings])
    eem, sso = eem[0], sso[0]
    expect(jz.org_id not in [s for s in chair.ok("list_series", body="series_list").series
                             if s.id == sso.series_id][0].member_org_ids, "demo data: youth care is no SSO member")
    # A signal of the SSO's district, which the chair has no connection to: not on the
    # Eemland agenda, refused exactly as a case that does not exist (7.2).
    far = pol.w("create_case", pb.CreateCaseRequest(theme="domestic_violence", district="Enschede",
                                                    summary="elders", reason="melding"), "case_record")
    chair.err("get_case", pb.GetCaseRequest(case_id=far.id), pb.NOT_FOUND, "case_id", write=False)
    e1 = chair.err("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=eem.id, case_id=far.id),
                   pb.NOT_FOUND, "case_id")
    e2 = chair.err("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=eem.id, case_id=987654321),
                   pb.NOT_FOUND, "case_id")
    expect(e1.message == e2.message, "the refusal tells the case exists: %r vs %r" % (e1.message, e2.message))
    jz.err("get_case", pb.GetCaseRequest(case_id=far.id), pb.NOT_FOUND, "case_id", write=False)
    # An Eemland signal on the Eemland agenda, youth care involved (its contribution):
    # then the police nominates it for the SSO and the chair accepts it into the SSO's
    # meeting.  Youth care follows its own meeting, where the case is, and gets the
    # change, but no agenda items of the SSO's meeting (8.4), as get_case's history.
    near = pol.w("create_case", pb.CreateCaseRequest(theme="domestic_violence", district="Eemland",
                                                     summary="hier", reason="melding"), "case_record")
    chair.w("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=eem.id, case_id=near.id), "agenda")
    jz.w("add_contribution", pb.AddContributionRequest(case_id=near.id, facts="bekend bij jeugdzorg"),
         "contribution")
    jz.sub(pb.TOPIC_MEETING, eem.id)
    jz.settle(0.5)
    jz.c.events = []
    nom = pol.w("nominate_case", pb.NominateCaseRequest(series_id=sso.series_id, case_id=near.id,
                                                        reason="ook voor het SSO"), "nomination")
    acc = chair.w("accept_nomination", pb.NominationDecisionRequest(id=nom.id, version=nom.version,
                                                                    meeting_id=sso.id), "nomination")
    expect(acc.meeting_id == sso.id, "accepted into %d" % acc.meeting_id)
    ev = jz.event(lambda e: e.HasField("case") and e.case.id == near.id, "for the case put on the SSO's agenda")
    expect(not ev.agenda_items, "youth care got the agenda items of the SSO's meeting %d: %s" %
           (sso.id, [(i.meeting_id, i.case_id) for i in ev.agenda_items]))
    hist = jz.ok("get_case", pb.GetCaseRequest(case_id=near.id), "case_detail").history
    expect(all(h.meeting_id != sso.id for h in hist), "get_case's history shows youth care the SSO's meeting")
    jz.close()


@check("the covenant on the wire: an uninvolved partner got nothing of the case in the whole run, nor on a resume (9.2, 8.3, 8.4)")
def t_covenant():
    woning = user("woningcorporatie")
    woning.settle(1.0)
    ids = (S["case"].id, S["case_b"].id)
    leaked = [e for e in woning.c.events
              if (e.HasField("case") and e.case.id in ids) or any(a.case_id in ids for a in e.agenda_items) or
              (e.HasField("action_point") and e.action_point.case_id in ids) or
              (e.HasField("contribution") and e.contribution.case_id in ids) or
              (e.HasField("goal") and e.goal.case_id in ids) or
              (e.HasField("nomination") and e.nomination.case_id in ids) or
              (e.HasField("inbox_entry") and e.inbox_entry.case_id in ids and
               e.inbox_entry.kind != pb.INBOX_INFO_ROUND_ASKED)]
    expect(not leaked, "housing received %d events about the case: %s" % (len(leaked), leaked[:2]))
    for cid in ids:
        woning.err("get_case", pb.GetCaseRequest(case_id=cid), pb.NOT_FOUND, "case_id", write=False)
        woning.err("list_earlier_cases", pb.ListEarlierCasesRequest(case_id=cid), pb.NOT_FOUND, "case_id",
                   write=False)
    # Resumed from the case's creation on a new connection (8.3: the demo data has no change-log
    # rows, so the snapshot's seq was 0, from which no resume is possible): the replay of every
    # later change filters as live delivery did.
    late = Session("woningcorporatie")
    sub = late.sub(pb.TOPIC_CASE_LIST, resume_from=S["case_seq"])
    expect(sub.resumed and sub.seq == S["case_seq"], "resume of the case list %s" % sub)
    late.ok("ping", pb.PingRequest(nonce=1), "pong")
    late.settle(1.5)
    seqs = [e.seq for e in late.c.events]
    expect(seqs == sorted(set(seqs)), "replayed seqs not strictly increasing: %s" % seqs)
    replayed = [e for e in late.c.events if (e.HasField("case") and e.case.id in ids) or
                (e.HasField("person") and e.person.case_id in ids) or
                (e.HasField("info_round") and e.info_round.case_id in ids and e.info_round.persons)]
    expect(not replayed, "the replay gave housing the case: %s" % replayed[:2])
    late.close()
    inbox = woning.ok("list_inbox", pb.ListInboxRequest(include_sent=True), "inbox_list")
    # (the notice of the info round it was asked in names the case number only, 7.12)
    expect(all(e.case_id not in ids or (e.kind == pb.INBOX_INFO_ROUND_ASKED and not e.HasField("action_point"))
               for e in inbox.entries), "housing's inbox holds the case")
    acts = woning.ok("list_my_actions", pb.ListActionsRequest(include_finished=True), "action_list")
    expect(all(a.case_id not in ids for a in acts.actions), "housing's actions hold the case")


CHECKS = [t_intake, t_intake_errors, t_routing, t_inbox_resume, t_info_round, t_plan_of_approach,
          t_plan_meetings, t_move_cancel, t_prepare, t_publish, t_meeting, t_after, t_done_inbox_report,
          t_clocks, t_agenda_edits, t_action_gone, t_earlier, t_not_signatory, t_mdo, t_writeback, t_close_case, t_alias, t_steering,
          t_proposal_match, t_other_series, t_covenant]


def main():
    global A, pb
    ap = argparse.ArgumentParser()
    w.server_args(ap)
    ap.add_argument("--only", default="", help="stop after the check with this name (the checks build on each other)")
    A = ap.parse_args()
    pb = w.load_proto(A.proto_dir)
    ran = 0
    for fn in CHECKS:
        ran += 1
        w.run_check(fn, failures)
        if A.only and A.only == fn.__name__:
            break
    print("%d lifecycle checks, %d failed" % (ran, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
