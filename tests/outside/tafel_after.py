#!/usr/bin/env python3
"""The outside client, part three: accountability after the meeting and the
writes parts one and two used least, driven over the wire from
docs/protocol.md (sections 5.2, 7.3, 7.5-7.7, 7.12, 7.13, 8.1, 8.4, 8.5) alone.

usage: tafel_after.py --port N --ca CA.crt [--host 127.0.0.1] [--proto-dir proto]

Needs a tafeld with the demo data on which `voorzitter` is process manager of
district Eemland (run.sh). Runs after tafel_lifecycle.py on the same server
(it uses its session helpers, not its state). tests/outside/README.md lists
the checks.
"""

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tafel_wire as w  # noqa: E402
import tafel_lifecycle as L  # noqa: E402

pb = None
failures = []
S = {}
check = w.check
expect = w.expect
user = L.user
today = L.today


def retry(s, op, msg, k, body):
    """Sends a write with the given idempotency key; returns its answer body."""
    r = s.call(op, msg, key=k)
    got = r.WhichOneof("body")
    expect(got == body, "%s by %s with key %s: %s" % (op, s.name, k, r))
    return getattr(r, got)


def events_of(s, pred, quiet=0.7):
    s.settle(quiet)
    return s.take(pred)


@check("action points: create with a retried key, update_action's field rules, complete and cancel, "
       "the inbox entries and their order (5.2, 7.3, 7.12, 8.4)")
def t_actions():
    chair, pol, recl, woning = user("voorzitter"), user("politie"), user("reclassering"), user("woningcorporatie")
    for s in (pol, recl):
        s.sub(pb.TOPIC_INBOX)
        s.sub(pb.TOPIC_ORG_ACTIONS)
    case = pol.w("create_case", L.case_request("outside after %d" % time.time_ns()), "case_record")
    other = pol.w("create_case", L.case_request("outside after other %d" % time.time_ns()), "case_record")
    S["case"], S["other"] = case, other
    goal = chair.w("add_goal", pb.GoalRequest(goal=pb.Goal(case_id=other.id, description="veiligheid")), "goal")
    # create_action: a retry with the same key answers the stored record, no second event (5.2).
    k = w.key()
    req = pb.CreateActionRequest(case_id=case.id, description="reclasseringsadvies", owner_org_id=recl.org_id,
                                 due_date=today(14))
    ap = retry(pol, "create_action", req, k, "action_point")
    again = retry(pol, "create_action", req, k, "action_point")
    expect(again == ap, "the retry answered another record:\n%s\n%s" % (again, ap))
    changed = pb.CreateActionRequest()
    changed.CopyFrom(req)
    changed.description = "iets anders"
    r = pol.call("create_action", changed, key=k)
    expect(r.WhichOneof("body") == "error" and r.error.code == pb.IDEMPOTENCY_KEY_REUSED and
           r.error.field == "idempotency_key", "same key, other body: %s" % r)
    got = events_of(recl, lambda e: (e.HasField("action_point") and e.action_point.id == ap.id) or
                    (e.HasField("inbox_entry") and e.inbox_entry.action_point.id == ap.id))
    aps = [e for e in got if e.HasField("action_point")]
    ies = [e for e in got if e.HasField("inbox_entry")]
    expect(len(aps) == 1 and len(ies) == 1 and ies[0].inbox_entry.kind == pb.INBOX_ACTION_ASSIGNED,
           "probation got %d action point and %d inbox events for one create_action: %s" % (len(aps), len(ies), got))
    # update_action's refusals (7.3, 5.6).
    upd = pb.UpdateActionRequest(id=ap.id, version=ap.version, description=ap.description,
                                 owner_org_id=ap.owner_org_id, due_date=ap.due_date)

    def bad(s, code, field, **kw):
        m = pb.UpdateActionRequest()
        m.CopyFrom(upd)
        for f, v in kw.items():
            setattr(m, f, v)
        return s.err("update_action", m, code, field)

    bad(woning, pb.NOT_FOUND, "id")
    bad(recl, pb.FORBIDDEN, "owner_org_id", owner_org_id=pol.org_id)
    e = bad(recl, pb.CONFLICT, "version", version=ap.version + 5)
    expect(e.WhichOneof("current_record") == "current_action_point" and
           e.current_action_point.version == ap.version, "CONFLICT without the action point: %s" % e)
    bad(recl, pb.INVALID_ARGUMENT, "owner_user_id", owner_user_id=pol.user.id)
    bad(recl, pb.NOT_FOUND, "owner_user_id", owner_user_id=987654)
    bad(recl, pb.OUT_OF_RANGE, "due_date", due_date=today(-400))
    bad(recl, pb.INVALID_ARGUMENT, "due_date", due_date="")
    bad(recl, pb.INVALID_ARGUMENT, "goal_id", goal_id=goal.id)
    bad(recl, pb.INVALID_ARGUMENT, "description", description=" \n\t")
    bad(user("waarnemer"), pb.FORBIDDEN, "")
    up = recl.w("update_action", pb.UpdateActionRequest(id=ap.id, version=ap.version, description="advies schrijven",
                                                       owner_org_id=recl.org_id, due_date=today(21)), "action_point")
    expect(up.version == ap.version + 1 and up.description == "advies schrijven" and up.due_date == today(21),
           "updated %s" % up)
    # complete_action: a retry after it is done gets the stored answer, not INVALID_TRANSITION (5.2).
    k = w.key()
    fin = pb.FinishActionRequest(id=ap.id, version=up.version, note="advies verstuurd")
    done = retry(recl, "complete_action", fin, k, "action_point")
    expect(done.state == pb.ACTION_DONE and done.version == up.version + 1 and
           done.completion_note == "advies verstuurd", "done %s" % done)
    expect(retry(recl, "complete_action", fin, k, "action_point") == done, "the retried complete_action")
    recl.err("complete_action", pb.FinishActionRequest(id=ap.id, version=done.version, note="nog eens"),
             pb.INVALID_TRANSITION, "")
    recl.err("update_action", pb.UpdateActionRequest(id=ap.id, version=done.version, description="x",
                                                     owner_org_id=recl.org_id, due_date=today(3)),
             pb.INVALID_TRANSITION, "")
    # The submitter's entry (7.12), made before the write's own change (8.4), and one only.
    got = events_of(pol, lambda e: e.HasField("inbox_entry") and e.inbox_entry.action_point.id == ap.id and
                    not e.inbox_entry.sent_by_me)
    expect(len(got) == 1 and got[0].inbox_entry.kind == pb.INBOX_ACTION_DONE and
           got[0].inbox_entry.recipient_user_id == pol.user.id and
           got[0].inbox_entry.action_point.completion_note == "advies verstuurd",
           "the submitter's inbox events: %s" % got)
    done_ie = got[0]
    mine = events_of(recl, lambda e: (e.HasField("inbox_entry") and e.inbox_entry.id == done_ie.inbox_entry.id) or
                     (e.HasField("action_point") and e.action_point.id == ap.id))
    ie_ev = [e for e in mine if e.HasField("inbox_entry")]
    ap_ev = [e for e in mine if e.HasField("action_point")]
    expect(len(ie_ev) == 1 and ie_ev[0].inbox_entry.sent_by_me, "the sender's copy: %s" % ie_ev)
    expect(ap_ev and ap_ev[-1].action_point.state == pb.ACTION_DONE and ie_ev[0].seq < ap_ev[-1].seq,
           "the inbox entry (seq %d) is not logged just before the action point's change (%s)" %
           (ie_ev[0].seq, [x.seq for x in ap_ev]))
    # include_sent (7.12): the sender lists what it sent; without it only what it received.
    sent = recl.ok("list_inbox", pb.ListInboxRequest(include_sent=True), "inbox_list")
    expect(any(x.id == done_ie.inbox_entry.id and x.sent_by_me for x in sent.entries), "include_sent lacks it")
    expect(all(x.id != done_ie.inbox_entry.id for x in
               recl.ok("list_inbox", pb.ListInboxRequest(), "inbox_list").entries),
           "list_inbox without include_sent lists an entry the user only sent")
    # mark_inbox_read retried with its key (5.2): the stored answer.
    k = w.key()
    rd = retry(pol, "mark_inbox_read", pb.MarkInboxReadRequest(id=done_ie.inbox_entry.id), k, "inbox_entry")
    expect(retry(pol, "mark_inbox_read", pb.MarkInboxReadRequest(id=done_ie.inbox_entry.id), k, "inbox_entry") == rd,
           "the retried mark_inbox_read")
    # cancel_action by the chair: INBOX_ACTION_CANCELLED with the reason; the owner's own
    # completion makes no entry for its own organisation (7.12).
    own = pol.w("create_action", pb.CreateActionRequest(case_id=case.id, description="buurtonderzoek",
                                                        owner_org_id=pol.org_id, due_date=today(7)), "action_point")
    cnt = chair.w("cancel_action", pb.FinishActionRequest(id=own.id, version=own.version, note="niet meer nodig"),
                  "action_point")
    expect(cnt.state == pb.ACTION_CANCELLED and cnt.completion_note == "niet meer nodig", "cancelled %s" % cnt)
    got = events_of(pol, lambda e: e.HasField("inbox_entry") and e.inbox_entry.action_point.id == own.id)
    expect([e.inbox_entry.kind for e in got] == [pb.INBOX_ACTION_CANCELLED] and
           got[0].inbox_entry.action_point.completion_note == "niet meer nodig", "cancel entries %s" % got)
    third = pol.w("create_action", pb.CreateActionRequest(case_id=case.id, description="proces-verbaal",
                                                          owner_org_id=pol.org_id, due_date=today(7)), "action_point")
    pol.w("complete_action", pb.FinishActionRequest(id=third.id, version=third.version, note="klaar"), "action_point")
    got = events_of(pol, lambda e: e.HasField("inbox_entry") and e.inbox_entry.action_point.id == third.id)
    expect(not got, "the police was told of its own completion: %s" % got)
    S["recl_action"] = done


@check("add_person and update_person: their refusals, a retried key, the event's unchanged case version (5.2, 7.5, 8.4)")
def t_persons():
    pol, woning = user("politie"), user("woningcorporatie")
    case = S["case"]
    pol.sub(pb.TOPIC_CASE_LIST)
    pol.settle(0.3)
    pol.c.events = []

    def person(**kw):
        p = pb.Person(case_id=case.id, role=pb.PERSON_CHILD, name="Sem Jansen", birth_date="2015-06-01")
        for f, v in kw.items():
            setattr(p, f, v)
        return pb.PersonRequest(person=p)

    pol.err("add_person", person(id=5), pb.INVALID_ARGUMENT, "person.id")
    pol.err("add_person", person(case_id=987654321), pb.NOT_FOUND, "person.case_id")
    woning.err("add_person", person(), pb.NOT_FOUND, "person.case_id")
    pol.err("add_person", person(name="Sem 2015"), pb.INVALID_ARGUMENT, "person.name")
    pol.err("add_person", person(name="Sem\tJansen"), pb.INVALID_ARGUMENT, "person.name")
    pol.err("add_person", person(birth_date="2015-13-01"), pb.OUT_OF_RANGE, "person.birth_date")
    pol.err("add_person", person(role=42), pb.OUT_OF_RANGE, "person.role")
    k = w.key()
    p = retry(pol, "add_person", person(), k, "person")
    expect(p.id > 0 and p.version == 1 and p.case_id == case.id and p.name == "Sem Jansen", "added %s" % p)
    expect(retry(pol, "add_person", person(), k, "person") == p, "the retried add_person")
    got = events_of(pol, lambda e: e.HasField("person") and e.person.id == p.id)
    expect(len(got) == 1 and got[0].case.id == case.id and got[0].case.version == case.version and
           any(x.id == p.id for x in got[0].case.persons), "add_person's events %s" % got)
    upd = pb.PersonRequest(person=pb.Person(id=p.id, case_id=S["other"].id, role=p.role, name="Sem Janssen",
                                            birth_date=p.birth_date, version=p.version))
    pol.err("update_person", upd, pb.INVALID_ARGUMENT, "person.case_id")
    upd.person.case_id = 0
    upd.person.version = 9
    e = pol.err("update_person", upd, pb.CONFLICT, "version")
    expect(e.WhichOneof("current_record") == "current_person" and e.current_person.version == 1,
           "CONFLICT without the person: %s" % e)
    upd.person.version = 1
    woning.err("update_person", upd, pb.NOT_FOUND, "person.id")
    up = pol.w("update_person", upd, "person")
    expect(up.version == 2 and up.name == "Sem Janssen" and up.case_id == case.id, "updated %s" % up)


@check("contributions: update_contribution's refusals and a retried key (5.2, 5.6, 7.6)")
def t_contributions():
    pol, recl = user("politie"), user("reclassering")
    case = S["case"]  # probation is involved: it owns an action point of it
    recl.err("add_contribution", pb.AddContributionRequest(case_id=case.id, facts=" ", judgement="\n"),
             pb.INVALID_ARGUMENT, "facts")
    k = w.key()
    c = retry(recl, "add_contribution", pb.AddContributionRequest(case_id=case.id, facts="bekend sinds 2020"),
              k, "contribution")
    expect(c.org_id == recl.org_id and c.version == 1, "contribution %s" % c)
    expect(retry(recl, "add_contribution", pb.AddContributionRequest(case_id=case.id, facts="bekend sinds 2020"),
                 k, "contribution") == c, "the retried add_contribution")
    pol.err("update_contribution", pb.UpdateContributionRequest(id=c.id, version=1, facts="x"), pb.NOT_FOUND, "id")
    e = recl.err("update_contribution", pb.UpdateContributionRequest(id=c.id, version=4, facts="x"),
                 pb.CONFLICT, "version")
    expect(e.WhichOneof("current_record") is None, "update_contribution's CONFLICT carries a record: %s" % e)
    recl.err("update_contribution", pb.UpdateContributionRequest(id=987654, version=1, facts="x"), pb.NOT_FOUND, "id")
    recl.err("update_contribution", pb.UpdateContributionRequest(id=c.id, version=1, facts=" ", judgement="\n"),
             pb.INVALID_ARGUMENT, "facts")
    up = recl.w("update_contribution", pb.UpdateContributionRequest(id=c.id, version=1, facts="bekend sinds 2019",
                                                                    judgement="zorgelijk"), "contribution")
    expect(up.version == 2 and up.judgement == "zorgelijk", "updated %s" % up)


@check("nominations: list_nominations and TOPIC_NOMINATIONS show a nomination to its organisation and the "
       "deciders only; a retried key; decline with `gone` (7.1, 7.7, 8.1)")
def t_nominations():
    chair, pol, woning = user("voorzitter"), user("politie"), user("woningcorporatie")
    series = [s for s in pol.ok("list_series", body="series_list").series if s.district == "Eemland"][0]
    orgs = {o.id: o for o in chair.ok("list_organisations", body="organisation_list").organisations}
    users = chair.ok("list_organisations", body="organisation_list").users
    # a member of the series that is neither the police nor a chair
    roles_chair = (pb.ROLE_CHAIR, pb.ROLE_ADMIN)
    member = [u for u in users if u.org_id in series.member_org_ids and u.org_id not in (pol.org_id, chair.org_id)
              and not any(r in roles_chair for r in u.roles) and pb.ROLE_OBSERVER not in u.roles and
              orgs[u.org_id].covenant_signed]
    expect(member, "no other member of the Eemland series in the demo data")
    other = user(member[0].login)
    for s in (chair, pol, other, woning):
        sub = s.sub(pb.TOPIC_NOMINATIONS)
        expect(sub.HasField("nominations"), "%s: no nominations in the snapshot" % s.name)
    case = pol.w("create_case", L.case_request("outside nomination %d" % time.time_ns()), "case_record")
    k = w.key()
    req = pb.NominateCaseRequest(series_id=series.id, case_id=case.id, reason="huisverbod loopt af")
    n = retry(pol, "nominate_case", req, k, "nomination")
    expect(n.state == pb.NOMINATION_PENDING and n.org_id == pol.org_id and n.version >= 1, "nomination %s" % n)
    expect(retry(pol, "nominate_case", req, k, "nomination") == n, "the retried nominate_case")
    pol.err("nominate_case", req, pb.INVALID_ARGUMENT, "case_id")
    pol.err("nominate_case", pb.NominateCaseRequest(series_id=987654, case_id=case.id, reason="x"),
            pb.NOT_FOUND, "series_id")
    pol.err("nominate_case", pb.NominateCaseRequest(series_id=series.id, case_id=case.id, reason=" \n"),
            pb.INVALID_ARGUMENT, "reason")
    pol.err("nominate_case", pb.NominateCaseRequest(series_id=series.id, case_id=case.id, reason="x" * 2001),
            pb.STRING_TOO_LONG, "reason")
    for s in (chair, pol):
        ev = s.event(lambda e: e.HasField("nomination") and e.nomination.id == n.id, "for the nomination")
        expect(ev.nomination.case_id == case.id and ev.list_only, "%s: nomination event %s" % (s.name, ev))
        lst = s.ok("list_nominations", pb.ListNominationsRequest(series_id=0), "nomination_list")
        expect([x.reason for x in lst.nominations if x.id == n.id] == ["huisverbod loopt af"],
               "%s: list_nominations %s" % (s.name, lst))
    for s in (other, woning):
        expect(not events_of(s, lambda e: e.HasField("nomination") and e.nomination.id == n.id),
               "%s got the nomination's event" % s.name)
        lst = s.ok("list_nominations", pb.ListNominationsRequest(series_id=0, include_decided=True), "nomination_list")
        expect(all(x.id != n.id for x in lst.nominations), "%s lists the nomination" % s.name)
    expect(not chair.ok("list_nominations", pb.ListNominationsRequest(series_id=987654), "nomination_list")
           .nominations, "a series that does not exist: not an empty list")
    # Deciding: the nominating partner is no decider; an outsider does not see it.
    dec = pb.NominationDecisionRequest(id=n.id, version=n.version, reason="eerst de inforonde")
    pol.err("decline_nomination", dec, pb.FORBIDDEN)
    woning.err("decline_nomination", dec, pb.NOT_FOUND, "id")
    chair.err("decline_nomination", pb.NominationDecisionRequest(id=n.id, version=n.version, reason=" "),
              pb.INVALID_ARGUMENT, "reason")
    e = chair.err("decline_nomination", pb.NominationDecisionRequest(id=n.id, version=n.version + 3, reason="x"),
                  pb.CONFLICT, "version")
    expect(e.WhichOneof("current_record") is None, "decline_nomination's CONFLICT carries a record: %s" % e)
    k = w.key()
    d = retry(chair, "decline_nomination", dec, k, "nomination")
    expect(d.state == pb.NOMINATION_DECLINED and d.decline_reason == "eerst de inforonde", "declined %s" % d)
    expect(retry(chair, "decline_nomination", dec, k, "nomination") == d, "the retried decline_nomination")
    chair.err("accept_nomination", pb.NominationDecisionRequest(id=n.id, version=d.version), pb.INVALID_TRANSITION,
              "id")
    ev = pol.event(lambda e: e.HasField("nomination") and e.nomination.id == n.id and
                   e.nomination.state == pb.NOMINATION_DECLINED, "for the decline")
    expect(ev.gone and ev.nomination.decline_reason == "eerst de inforonde", "the decline's event %s" % ev)
    lst = pol.ok("list_nominations", pb.ListNominationsRequest(series_id=series.id), "nomination_list")
    expect(all(x.id != n.id for x in lst.nominations), "a declined nomination listed without include_decided")
    lst = pol.ok("list_nominations", pb.ListNominationsRequest(series_id=series.id, include_decided=True),
                 "nomination_list")
    expect([x.state for x in lst.nominations if x.id == n.id] == [pb.NOMINATION_DECLINED], "include_decided")


@check("minutes after the meeting: an action point edited and one agreed after closing are marked; "
       "the minutes show the agreement as it stood (7.3, 7.13)")
def t_minutes_marks():
    chair, pol, recl = user("voorzitter"), user("politie"), user("reclassering")
    case = S["other"]
    series = [s for s in chair.ok("list_series", body="series_list").series if s.district == "Eemland"][0]
    start = L.ams_time(today(), "22:00") + random.randrange(7000)
    m = chair.w("create_meeting", pb.CreateMeetingRequest(series_id=series.id, scheduled_start=start), "meeting")
    chair.w("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=case.id), "agenda")
    m = chair.w("open_meeting", pb.MeetingStateRequest(meeting_id=m.id, version=m.version), "meeting")
    a1 = chair.w("create_action", pb.CreateActionRequest(case_id=case.id, meeting_id=m.id, description="plan maken",
                                                         owner_org_id=recl.org_id, due_date=today(10)),
                 "action_point")
    m = chair.w("close_meeting", pb.MeetingStateRequest(meeting_id=m.id, version=m.version), "meeting")
    up = recl.w("update_action", pb.UpdateActionRequest(id=a1.id, version=a1.version, description="plan herzien",
                                                        owner_org_id=recl.org_id, due_date=today(12)),
                "action_point")
    a2 = chair.w("create_action", pb.CreateActionRequest(case_id=case.id, meeting_id=m.id, description="nazorg",
                                                         owner_org_id=pol.org_id, due_date=today(10)),
                 "action_point")
    recl.w("complete_action", pb.FinishActionRequest(id=a1.id, version=up.version, note="gedaan"), "action_point")
    mins = pol.ok("get_minutes", pb.MinutesRequest(meeting_id=m.id), "minutes")
    items = [i for i in mins.items if i.case.id == case.id]
    expect(len(items) == 1, "minutes items %s" % mins.items)
    it = items[0]
    acts = {a.id: a for a in it.actions}
    expect(set(acts) == {a1.id, a2.id}, "minutes actions %s" % list(acts))
    expect(list(it.actions_after_close) == [a2.id], "actions_after_close %s" % list(it.actions_after_close))
    expect(list(it.actions_changed_after_close) == [a1.id],
           "actions_changed_after_close %s" % list(it.actions_changed_after_close))
    expect(acts[a1.id].description == "plan maken" and acts[a1.id].due_date == today(10) and
           acts[a1.id].state == pb.ACTION_DONE and acts[a1.id].completion_note == "gedaan",
           "the edited action point in the minutes: %s" % acts[a1.id])


@check("update_routing: a lead organisation whose member becomes case manager gets one INBOX_LEAD_ASSIGNED "
       "naming that person; review after end refused (7.6, 7.12)")
def t_routing_inbox():
    chair, pol, recl = user("voorzitter"), user("politie"), user("reclassering")
    case = chair.ok("get_case", pb.GetCaseRequest(case_id=S["case"].id), "case_detail").case
    users = chair.ok("list_organisations", body="organisation_list").users
    recl_user = [u for u in users if u.login == "reclassering"][0]
    req = pb.UpdateRoutingRequest(id=case.id, version=case.version, lead_org_id=recl.org_id,
                                  case_manager_id=recl_user.id, end_date=today(60), review_date=today(61))
    chair.err("update_routing", req, pb.OUT_OF_RANGE, "review_date")
    req.review_date = today(60)
    recl.settle(0.3)
    recl.c.events = []
    c2 = chair.w("update_routing", req, "case_record")
    expect(c2.lead_org_id == recl.org_id and c2.case_manager_id == recl_user.id and c2.version == case.version + 1,
           "routed %s" % c2)
    got = events_of(recl, lambda e: e.HasField("inbox_entry") and e.inbox_entry.case_id == case.id)
    kinds = [e.inbox_entry.kind for e in got]
    expect(kinds == [pb.INBOX_LEAD_ASSIGNED] and got[0].inbox_entry.recipient_user_id == recl_user.id and
           got[0].inbox_entry.recipient_org_id == recl.org_id,
           "probation's entries for lead + case manager of its own: %s" % got)


@check("retries (5.2): the stored first answer even after the record changed; a key of another operation; "
       "a failed attempt frees its key; another user's key is their own")
def t_retry_rules():
    chair, pol, recl = user("voorzitter"), user("politie"), user("reclassering")
    case = S["case"]
    k = w.key()
    req = pb.CreateActionRequest(case_id=case.id, description="huisbezoek", owner_org_id=pol.org_id,
                                 due_date=today(5))
    ap = retry(pol, "create_action", req, k, "action_point")
    pol.w("update_action", pb.UpdateActionRequest(id=ap.id, version=ap.version, description="huisbezoek samen",
                                                  owner_org_id=pol.org_id, due_date=today(6)), "action_point")
    again = retry(pol, "create_action", req, k, "action_point")
    expect(again.version == 1 and again.description == "huisbezoek", "the retry after an update: %s" % again)
    # the same key for another operation
    r = pol.call("add_contribution", pb.AddContributionRequest(case_id=case.id, facts="x"), key=k)
    expect(r.WhichOneof("body") == "error" and r.error.code == pb.IDEMPOTENCY_KEY_REUSED and
           r.error.field == "idempotency_key", "a key of create_action for add_contribution: %s" % r)
    # another user with the same key: independent
    c = retry(recl, "add_contribution", pb.AddContributionRequest(case_id=case.id, facts="ook bekend"), k,
              "contribution")
    expect(c.org_id == recl.org_id, "probation's write with the police's key: %s" % c)
    # a failed attempt keeps no key: the same key then works for another request
    k2 = w.key()
    r = pol.call("complete_action", pb.FinishActionRequest(id=ap.id, version=1, note="klaar"), key=k2)
    expect(r.WhichOneof("body") == "error" and r.error.code == pb.CONFLICT, "stale complete: %s" % r)
    d = retry(pol, "complete_action", pb.FinishActionRequest(id=ap.id, version=2, note="klaar"), k2, "action_point")
    expect(d.state == pb.ACTION_DONE, "after the failed attempt %s" % d)


@check("list_my_actions: overdue first, then by due date; include_finished; the org-actions snapshot holds "
       "open ones only (7.1, 8.1)")
def t_my_actions():
    pol = user("politie")
    case = S["case"]
    late = pol.w("create_action", pb.CreateActionRequest(case_id=case.id, description="te laat",
                                                         owner_org_id=pol.org_id, due_date=today(-3)),
                 "action_point")
    expect(late.overdue, "due three days ago, not overdue: %s" % late)
    later = pol.w("create_action", pb.CreateActionRequest(case_id=case.id, description="later",
                                                          owner_org_id=pol.org_id, due_date=today(30)),
                  "action_point")
    acts = pol.ok("list_my_actions", pb.ListActionsRequest(), "action_list").actions
    expect(all(a.state == pb.ACTION_OPEN for a in acts), "list_my_actions lists finished ones")
    flags = [a.overdue for a in acts]
    expect(flags == sorted(flags, reverse=True), "overdue ones not first: %s" % flags)
    rest = [a.due_date for a in acts if not a.overdue]
    expect(rest == sorted(rest), "not by due date: %s" % rest)
    expect({late.id, later.id} <= {a.id for a in acts}, "the new ones are missing")
    fin = pol.ok("list_my_actions", pb.ListActionsRequest(include_finished=True), "action_list").actions
    expect(any(a.state == pb.ACTION_DONE for a in fin), "include_finished lists no finished one")
    sub = pol.sub(pb.TOPIC_ORG_ACTIONS)
    expect(all(a.state == pb.ACTION_OPEN for a in sub.actions.actions), "the org-actions snapshot has finished ones")


@check("plan_mdo again after another organisation became involved: its meeting list gets the series' earlier "
       "meeting too, as a fresh snapshot has it (7.6, 8.1, 8.4)")
def t_mdo_members():
    chair, pol, recl = user("voorzitter"), user("politie"), user("reclassering")
    case = pol.w("create_case", L.case_request("outside mdo %d" % time.time_ns()), "case_record")
    start = L.ams_time(today(2), "10:00") + random.randrange(3000)
    m1 = chair.w("plan_mdo", pb.PlanMdoRequest(case_id=case.id, scheduled_start=start), "meeting")
    expect(m1.series_kind == "mdo", "the MDO %s" % m1)
    sub = recl.sub(pb.TOPIC_MEETING_LIST)
    expect(all(m.id != m1.id for m in sub.meetings.meetings), "probation, not involved, lists the MDO")
    pol.w("create_action", pb.CreateActionRequest(case_id=case.id, description="voorlichtingsrapport",
                                                  owner_org_id=recl.org_id, due_date=today(9)), "action_point")
    m2 = chair.w("plan_mdo", pb.PlanMdoRequest(case_id=case.id, scheduled_start=start + 7 * 86400), "meeting")
    got = {e.meeting.id for e in events_of(recl, lambda e: e.HasField("meeting") and
                                           e.meeting.series_id == m1.series_id)}
    listed = {m.id for m in recl.ok("list_meetings", pb.ListMeetingsRequest(series_id=m1.series_id),
                                    "meeting_list").meetings}
    expect(listed == {m1.id, m2.id}, "probation's list_meetings of the MDO series: %s" % listed)
    expect(got == listed, "probation's meeting list got events for %s, a fresh one lists %s" % (got, listed))


@check("an organisation invited to an open meeting (record_attendance, or open_meeting for the chair's) knows "
       "its agenda's cases from then on: its case list gets them, as a fresh list_cases has them (7.2, 8.1, 8.4, 9.2)")
def t_invited():
    chair, pol = user("voorzitter"), user("politie")
    series = [s for s in chair.ok("list_series", body="series_list").series if s.district == "Eemland"][0]
    users = chair.ok("list_organisations", body="organisation_list").users
    guest = [u for u in users if u.login == "woningcorporatie"][0]  # no member of the Eemland series
    expect(guest.org_id not in series.member_org_ids, "demo data: housing is no Eemland member")
    case = pol.w("create_case", L.case_request("outside invited %d" % time.time_ns()), "case_record")
    start = L.ams_time(today(), "20:00") + random.randrange(7000)
    m = chair.w("create_meeting", pb.CreateMeetingRequest(series_id=series.id, scheduled_start=start), "meeting")
    chair.w("add_agenda_item", pb.AddAgendaItemRequest(meeting_id=m.id, case_id=case.id), "agenda")
    m = chair.w("open_meeting", pb.MeetingStateRequest(meeting_id=m.id, version=m.version), "meeting")
    sh = L.Session("woningcorporatie")  # a session with the case list alone
    sub = sh.sub(pb.TOPIC_CASE_LIST)
    expect(all(c.id != case.id for c in sub.cases.cases), "housing knows the case before its invitation")
    chair.w("record_attendance", pb.AttendanceRequest(meeting_id=m.id, user_id=guest.id, present=False),
            "attendance")
    listed = [c for c in sh.ok("list_cases", body="case_list").cases if c.id == case.id]
    expect(listed, "the invited organisation's list_cases lacks the case of the agenda")
    got = events_of(sh, lambda e: e.HasField("case") and e.case.id == case.id)
    expect(got, "the invited organisation's case list got no event for the case its fresh list_cases has")
    expect(got[-1].case.redaction_reason == listed[0].redaction_reason,
           "the event's case (%r) is not rendered as list_cases renders it (%r)" %
           (got[-1].case.redaction_reason, listed[0].redaction_reason))
    sh.close()
    # Opening a meeting records its chair present: that invites the chair's organisation when
    # it is no member (an MDO of a case it is not involved in), and its other members know the
    # case from then on (`gemlid`, a member of the chair's municipality that run.sh adds).
    gl = L.Session("gemlid")
    case = pol.w("create_case", L.case_request("outside invited mdo %d" % time.time_ns()), "case_record")
    m = chair.w("plan_mdo", pb.PlanMdoRequest(case_id=case.id, scheduled_start=start + 60), "meeting")
    sub = gl.sub(pb.TOPIC_CASE_LIST)
    expect(all(c.id != case.id for c in sub.cases.cases), "the chair's colleague knows the case before the MDO")
    chair.w("open_meeting", pb.MeetingStateRequest(meeting_id=m.id, version=m.version), "meeting")
    expect(any(c.id == case.id for c in gl.ok("list_cases", body="case_list").cases),
           "the chair's colleague does not list the case of the open MDO")
    expect(events_of(gl, lambda e: e.HasField("case") and e.case.id == case.id),
           "the chair's colleague's case list got no event for the case of the MDO its chair opened")
    gl.close()


CHECKS = [t_actions, t_persons, t_contributions, t_nominations, t_minutes_marks, t_routing_inbox, t_retry_rules,
          t_my_actions, t_mdo_members, t_invited]


def main():
    global pb
    ap = argparse.ArgumentParser()
    w.server_args(ap)
    a = ap.parse_args()
    pb = w.load_proto(a.proto_dir)
    L.A, L.pb = a, pb
    for fn in CHECKS:
        w.run_check(fn, failures)
    print("%d after-the-meeting checks, %d failed" % (len(CHECKS), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
