#!/usr/bin/env python3
"""The outside client: talks to a running tafeld using only what docs/protocol.md
says, and checks that the server does what the document promises.

usage: tafel_outside.py --port N --ca CA.crt [--host 127.0.0.1] [--proto-dir proto]
                        [--login voorzitter] [--password demo] [--other politie]

Needs a tafeld with the demo data (tafelctl demo-data).  Prints one line per
check and exits 1 if any failed.  tests/outside/README.md lists the checks.
"""

import argparse
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tafel_wire as w  # noqa: E402

pb = None
A = None
failures = []


check = w.check
expect = w.expect


def err_of(env):
    expect(env.WhichOneof("body") == "error", "expected an Error, got %s" % env)
    return env.error


def code_name(code):
    return pb.ErrorCode.Name(code)


def expect_error(env, code, field=None):
    e = err_of(env)
    expect(e.code == code, "expected %s, got %s (%s)" % (code_name(code), code_name(e.code), e.message))
    if field is not None:
        expect(e.field == field, "expected field %r, got %r" % (field, e.field))
    return e


def expect_closed_with(c, code, request_id=0):
    """The documented fatal close: one Error with request_id 0, then a clean TLS close."""
    frames, clean = c.read_until_close()
    errs = [f for f in frames if f.WhichOneof("body") == "error"]
    expect(errs, "no Error before the close (frames: %s)" % frames)
    last = frames[-1]
    expect(last.WhichOneof("body") == "error" and last.error.code == code,
           "the last frame is not Error %s: %s" % (code_name(code), last))
    expect(last.request_id == request_id, "fatal Error has request_id %d" % last.request_id)
    expect(clean, "the server's close was not a clean TLS close (no close_notify)")
    return last.error


def connect(hello=True, **kw):
    return w.Conn(A.host, A.port, A.ca, hello=hello, **kw)


def login(user=None, password=None):
    c = connect()
    r = c.login(user or A.login, password or A.password)
    expect(r.WhichOneof("body") == "login_ok", "login failed: %s" % r)
    c.user = r.login_ok.user
    c.ticket = r.login_ok.resume_ticket
    return c


# ---------------------------------------------------------------------------
# Session
# ---------------------------------------------------------------------------

@check("TLS 1.3 with the private CA; the server's Hello (section 4.2)")
def t_hello():
    c = connect(hello=False)
    expect(c.sock.version() == "TLSv1.3", "TLS version %s" % c.sock.version())
    env = c.recv_env()
    expect(env.WhichOneof("body") == "hello", "first server frame is not a Hello")
    h = env.hello
    expect(h.protocol_version == 1, "protocol_version %d" % h.protocol_version)
    expect(h.software == "tafeld", "software %r" % h.software)
    expect(h.max_frame == 1048576, "max_frame %d" % h.max_frame)
    expect(h.resume_window > 0, "resume_window not sent")
    c.close()


@check("TLS below 1.3 is refused (section 2)")
def t_tls12():
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_verify_locations(cafile=A.ca)
    raw = socket.create_connection((A.host, A.port), timeout=10)
    try:
        ctx.wrap_socket(raw, server_hostname=A.host)
    except (ssl.SSLError, ConnectionResetError, OSError):
        return
    raise AssertionError("a TLS 1.2 handshake succeeded")


@check("a server certificate not from the CA is not trusted (section 2)")
def t_wrong_ca():
    import ssl
    ctx = ssl.create_default_context()  # the system store, not the private CA
    raw = socket.create_connection((A.host, A.port), timeout=10)
    try:
        ctx.wrap_socket(raw, server_hostname=A.host)
    except ssl.SSLCertVerificationError:
        return
    raise AssertionError("the server verified against the system trust store")


@check("ping before login, nonce copied back (sections 3.4, 6.3)")
def t_ping_prelogin():
    c = connect()
    # The exact bytes of section 3.4.
    c.send_raw(bytes.fromhex("00000006 080162020805"))
    env = c.recv_env()
    expect(env.request_id == 1 and env.pong.nonce == 5, "pong %s" % env)
    c.close()


@check("a Hello's strings cannot forge lines or escape sequences in the server's log (4.2)")
def t_hello_log():
    if not A.server_log:
        return
    c = connect(hello=False)
    c.recv_env()
    h = pb.Envelope()
    h.hello.protocol_version = 1
    h.hello.software = "x\nOUTSIDE-FORGED tafeld INFO: admin logged in"
    h.hello.software_version = "\x1b[2J\x1b]0;owned\x07"
    c.send_env(h)
    expect(c.request("ping", pb.PingRequest(nonce=1)).pong.nonce == 1, "no pong after the Hello")
    c.close()
    time.sleep(0.3)
    with open(A.server_log, "rb") as f:
        log = f.read()
    expect(b"\x1b" not in log, "an escape sequence from a Hello reached the log")
    expect(not any(line.startswith(b"OUTSIDE-FORGED") for line in log.splitlines()),
           "a Hello forged a log line")
    expect(b"OUTSIDE-FORGED" in log, "the Hello was not logged at all (is log_level debug?)")


@check("requests before login get NOT_AUTHENTICATED; a second Hello UNKNOWN_MESSAGE (4.1, 4.2)")
def t_not_auth():
    c = connect()
    expect_error(c.request("list_meetings"), pb.NOT_AUTHENTICATED)
    h = pb.Envelope(request_id=77)
    h.hello.protocol_version = 1
    c.send_env(h)
    e = expect_error(c.recv_env(), pb.UNKNOWN_MESSAGE)
    expect("hello" in e.message, e.message)
    # still open
    expect(c.request("ping", pb.PingRequest(nonce=9)).pong.nonce == 9, "no pong")
    c.close()


@check("wrong password: LOGIN_FAILED with retry_after_ms, connection stays in login (6.1)")
def t_login_failed():
    c = connect()
    r = c.login("outside-nobody", "wrong")
    e = expect_error(r, pb.LOGIN_FAILED)
    expect(e.retry_after_ms > 0, "retry_after_ms %d after a failure" % e.retry_after_ms)
    expect(c.request("ping", pb.PingRequest(nonce=1)).WhichOneof("body") == "pong", "closed")
    c.close()


@check("login: user, organisation, idle timeout, a 43-character resume ticket (6.1)")
def t_login():
    c = connect()
    r = c.login(A.login, A.password)
    expect(r.WhichOneof("body") == "login_ok", "login %s" % r)
    ok = r.login_ok
    expect(ok.user.id > 0 and ok.user.login == A.login, "user %s" % ok.user)
    expect(ok.organisation.id == ok.user.org_id, "organisation %s" % ok.organisation)
    expect(ok.idle_timeout_s > 0, "idle_timeout_s")
    expect(len(ok.resume_ticket) == 43, "ticket %r" % ok.resume_ticket)
    expect(not ok.resumed, "resumed on a password login")
    expect_error(c.login(A.login, A.password), pb.ALREADY_LOGGED_IN)
    c.close()


@check("list and read requests answer with their documented bodies (7.1)")
def t_reads():
    c = login()
    r = c.request("list_series")
    expect(r.WhichOneof("body") == "series_list" and len(r.series_list.series) > 0, "series %s" % r)
    r = c.request("list_meetings")
    expect(r.WhichOneof("body") == "meeting_list" and r.meeting_list.meetings, "meetings %s" % r)
    r = c.request("list_cases")
    expect(r.WhichOneof("body") == "case_list" and r.case_list.cases, "cases %s" % r)
    case = r.case_list.cases[0]
    r = c.request("get_case", pb.GetCaseRequest(case_id=case.id))
    expect(r.WhichOneof("body") == "case_detail" and r.case_detail.case.id == case.id, "get_case %s" % r)
    r = c.request("list_organisations")
    expect(r.WhichOneof("body") == "organisation_list" and r.organisation_list.users, "orgs %s" % r)
    r = c.request("list_my_actions")
    expect(r.WhichOneof("body") == "action_list", "actions %s" % r)
    # A case that does not exist and one out of range.
    expect_error(c.request("get_case", pb.GetCaseRequest(case_id=987654321)), pb.NOT_FOUND, "case_id")
    expect_error(c.request("get_case", pb.GetCaseRequest(case_id=-1)), pb.OUT_OF_RANGE, "case_id")
    c.close()


def my_meeting(c):
    """A planned or open meeting this user chairs, with at least one agenda item."""
    ms = c.request("list_meetings").meeting_list.meetings
    for m in ms:
        if m.chair_id != c.user.id or m.state not in (pb.MEETING_PLANNED, pb.MEETING_OPEN):
            continue
        r = c.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=m.id))
        expect(r.WhichOneof("body") == "subscribed", "subscribe %s" % r)
        if r.subscribed.snapshot.agenda:
            return r.subscribed
        c.request("unsubscribe", pb.UnsubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=m.id))
    raise AssertionError("no meeting chaired by %s with an agenda" % A.login)


STATE = {}


@check("subscribe to a meeting: snapshot + seq; a write's event has the documented fields (8.2, 8.4)")
def t_subscribe_write():
    c = login()
    sub = my_meeting(c)
    snap = sub.snapshot
    expect(sub.resumed is False and snap.meeting.id > 0, "snapshot %s" % sub)
    expect(len(snap.cases) == len([i for i in snap.agenda if not i.removed]),
           "cases %d for %d agenda items" % (len(snap.cases), len(snap.agenda)))
    item = snap.agenda[0]
    k = w.key()
    decision = "outside client decision %d" % time.time_ns()
    req = pb.RecordDecisionRequest(item_id=item.id, version=item.version, decision=decision)
    r = c.request("record_decision", req, key=k)
    expect(r.WhichOneof("body") == "agenda_item", "record_decision %s" % r)
    ans = r.agenda_item
    expect(ans.id == item.id and ans.version == item.version + 1 and ans.decision == decision,
           "answer %s" % ans)
    ev = c.wait_event(lambda e: any(a.id == item.id and a.version == ans.version for a in e.agenda_items))
    expect(ev.seq > sub.seq, "event seq %d not after snapshot seq %d" % (ev.seq, sub.seq))
    expect(ev.by_user_id == c.user.id and ev.by_user_name == c.user.display_name,
           "by %d %r" % (ev.by_user_id, ev.by_user_name))
    expect(abs(ev.at - time.time()) < 120, "at %d" % ev.at)
    got = [a for a in ev.agenda_items if a.id == item.id][0]
    expect(got.decision == decision and got.meeting_id == snap.meeting.id, "event item %s" % got)
    # The retry: same key, same body -> the stored first answer, no second event.
    r2 = c.request("record_decision", req, key=k)
    expect(r2.WhichOneof("body") == "agenda_item" and r2.agenda_item == ans,
           "retry answered differently: %s" % r2)
    c.drain_events(1.5)
    dup = [e for e in c.events if any(a.id == item.id for a in e.agenda_items)]
    expect(not dup, "a retried write produced a second event: %s" % dup)
    # Same key, another body.
    req3 = pb.RecordDecisionRequest(item_id=item.id, version=ans.version, decision=decision + "!")
    expect_error(c.request("record_decision", req3, key=k), pb.IDEMPOTENCY_KEY_REUSED)
    # Stored once: a fresh snapshot shows version + 1, not + 2.
    r = c.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=snap.meeting.id))
    now = [a for a in r.subscribed.snapshot.agenda if a.id == item.id][0]
    expect(now.version == ans.version and now.decision == decision, "stored %s" % now)
    expect(r.subscribed.seq >= ev.seq, "new snapshot seq %d < event seq %d" % (r.subscribed.seq, ev.seq))
    # The pong's server_seq has read the change.
    p = c.request("ping", pb.PingRequest(nonce=3))
    expect(p.pong.server_seq >= ev.seq, "server_seq %d < %d" % (p.pong.server_seq, ev.seq))
    STATE.update(meeting_id=snap.meeting.id, item_id=item.id, version=ans.version, seq=ev.seq)
    c.close()


@check("the same write sent three times at once, on two connections: one record, three equal answers (5.2)")
def t_same_key_concurrent():
    a, b = login(), login()
    a.pipelined = True
    k = w.key()
    mark = "outside same key %s" % k
    req = pb.CreateCaseRequest(theme="domestic_violence", district="Enschede-Noord", summary=mark, reason="test")
    req.persons.add(name="Gelijk Sleutel", role=pb.PERSON_VICTIM)
    sent = []
    for conn, rid in ((a, 901), (a, 902), (b, 901)):
        env = pb.Envelope(request_id=rid, idempotency_key=k)
        env.create_case.CopyFrom(req)
        conn.send_env(env)
        sent.append((conn, rid))
    answers = [conn.wait_answer(rid) for conn, rid in sent]
    expect(all(x.WhichOneof("body") == "case_record" for x in answers), "answers %s" % answers)
    expect(len({x.case_record.id for x in answers}) == 1, "different records: %s" % answers)
    cases = [x for x in a.request("list_cases").case_list.cases if x.summary == mark]
    expect(len(cases) == 1, "%d cases stored" % len(cases))
    a.close()
    b.close()


@check("versioned write with an old version: CONFLICT with the current record (5.6)")
def t_conflict():
    c = login()
    req = pb.RecordDecisionRequest(item_id=STATE["item_id"], version=STATE["version"] - 1, decision="stale")
    e = expect_error(c.request("record_decision", req, key=w.key()), pb.CONFLICT, "version")
    expect(e.WhichOneof("current_record") == "current_agenda_item", "current_record %s" % e)
    expect(e.current_agenda_item.version == STATE["version"], "current %s" % e.current_agenda_item)
    c.close()


@check("request errors: keys, request_id 0, NUL/CR/long text, malformed date, position, list length, huge resume_from (5.1-5.5, 8.3)")
def t_write_errors():
    c = login()
    req = pb.RecordDecisionRequest(item_id=STATE["item_id"], version=STATE["version"], decision="x")
    expect_error(c.request("record_decision", req), pb.IDEMPOTENCY_KEY_REQUIRED, "idempotency_key")
    expect_error(c.request("record_decision", req, key="a b"), pb.IDEMPOTENCY_KEY_REQUIRED, "idempotency_key")
    expect_error(c.request("record_decision", req, key="k" * 65), pb.IDEMPOTENCY_KEY_REQUIRED, "idempotency_key")
    env = pb.Envelope(request_id=0)
    env.ping.nonce = 1
    c.send_env(env)
    e = expect_error(c.recv_env(), pb.REQUEST_ID_REQUIRED, "request_id")
    # A string with a NUL, a carriage return, and over 8000 bytes.
    bad = pb.RecordDecisionRequest(item_id=STATE["item_id"], version=STATE["version"], decision="a\x00b")
    expect_error(c.request("record_decision", bad, key=w.key()), pb.INVALID_ARGUMENT, "decision")
    bad.decision = "a" * 7999 + "\x00"  # 8000 bytes, the limit: a NUL, not too long
    e = expect_error(c.request("record_decision", bad, key=w.key()), pb.INVALID_ARGUMENT, "decision")
    expect("NUL" in e.message, "8000 bytes with a NUL: %r" % e.message)
    bad.decision = "a\r\nb"
    expect_error(c.request("record_decision", bad, key=w.key()), pb.INVALID_ARGUMENT, "decision")
    bad.decision = "x" * 8001
    expect_error(c.request("record_decision", bad, key=w.key()), pb.STRING_TOO_LONG, "decision")
    del e
    # position over 500: refused before the database, with a message that says the range
    for pos in (501, -1):
        e = expect_error(c.request("add_agenda_item", pb.AddAgendaItemRequest(
            meeting_id=STATE["meeting_id"], case_id=1, position=pos), key=w.key()), pb.OUT_OF_RANGE, "position")
        expect("500" in e.message, "position %d: %r" % (pos, e.message))
    # a date not of the form YYYY-MM-DD (a sign, a blank) is refused by the field
    # checks (5.5), before the database would find that the case does not exist (5.3)
    for due in ("2027-+1-05", "2027- 1-05", "+202-01-05"):
        expect_error(c.request("create_action", pb.CreateActionRequest(
            case_id=2**62, description="x", owner_org_id=1, due_date=due), key=w.key()),
            pb.INVALID_ARGUMENT, "due_date")
    # a list of 501 entries
    e = expect_error(c.request("reorder_agenda", pb.ReorderAgendaRequest(
        meeting_id=STATE["meeting_id"], item_ids=list(range(1, 502))), key=w.key()), pb.LIST_TOO_LONG, "item_ids")
    # resume_from beyond the newest seq (here the largest uint64): a fresh snapshot with a lower seq
    r = c.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=STATE["meeting_id"],
                                                   resume_from=2**64 - 1))
    expect(r.WhichOneof("body") == "subscribed" and not r.subscribed.resumed and r.subscribed.HasField("snapshot")
           and r.subscribed.seq < 2**63, "resume from 2^64-1: %s" % r)
    # ids and nonces at the top of their ranges are copied back exactly
    r = c.request("ping", pb.PingRequest(nonce=2**64 - 1), rid=2**64 - 1)
    expect(r.request_id == 2**64 - 1 and r.pong.nonce == 2**64 - 1, "max ping %s" % r)
    c.close()


@check("resume after a dropped connection: ticket login, resume_from, exactly the missed events (6.1.1, 8.3)")
def t_resume():
    c = login()
    mid = STATE["meeting_id"]
    r = c.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=mid))
    seq = r.subscribed.seq
    item = [a for a in r.subscribed.snapshot.agenda if a.id == STATE["item_id"]][0]
    ticket = c.ticket
    sess = c.sock.session
    c.sock.close()  # dropped, no logout
    # Someone else writes while we are away: two changes.
    b = login()
    v = item.version
    for n in range(2):
        rr = b.request("record_decision", pb.RecordDecisionRequest(
            item_id=item.id, version=v, decision="while away %d" % n), key=w.key())
        expect(rr.WhichOneof("body") == "agenda_item", "write %s" % rr)
        v = rr.agenda_item.version
    b.close()
    c = connect(session=sess)
    expect(c.sock.session_reused, "the TLS session ticket was not accepted")
    r = c.login(A.login, ticket=ticket)
    expect(r.WhichOneof("body") == "login_ok" and r.login_ok.resumed, "ticket login %s" % r)
    expect(r.login_ok.resume_ticket != ticket and len(r.login_ok.resume_ticket) == 43, "next ticket")
    r = c.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_MEETING, meeting_id=mid, resume_from=seq))
    expect(r.subscribed.resumed and r.subscribed.seq == seq and not r.subscribed.HasField("snapshot"),
           "resume answer %s" % r.subscribed)
    evs = [c.wait_event(lambda e: True) for _ in range(2)]
    expect(evs[0].seq > seq and evs[1].seq > evs[0].seq, "seqs %s after %d" % ([e.seq for e in evs], seq))
    got = [a.version for e in evs for a in e.agenda_items if a.id == item.id]
    expect(got == [item.version + 1, item.version + 2], "replayed versions %s" % got)
    c.drain_events(1.0)
    expect(not c.events, "more than the missed events: %s" % c.events)
    # The used ticket is spent.
    d = connect()
    expect_error(d.login(A.login, ticket=ticket), pb.SESSION_EXPIRED)
    d.close()
    STATE["version"] = v
    c.close()


@check("logout: ok, back to the login state, the ticket is revoked (6.2)")
def t_logout():
    c = login()
    t = c.ticket
    r = c.request("logout")
    expect(r.WhichOneof("body") == "ok", "logout %s" % r)
    expect_error(c.request("list_meetings"), pb.NOT_AUTHENTICATED)
    expect_error(c.login(A.login, ticket=t), pb.SESSION_EXPIRED)
    r = c.login(A.login, A.password)
    expect(r.WhichOneof("body") == "login_ok", "login again on the same connection %s" % r)
    c.close()


@check("a logout sent behind a login still being checked cancels it: NOT_AUTHENTICATED, not logged in (6.2)")
def t_logout_cancels_login():
    c = connect()
    frames = [pb.Envelope(request_id=1, login=pb.LoginRequest(login=A.login, password=A.password)),
              pb.Envelope(request_id=2, logout=pb.LogoutRequest())]
    c.send_raw(b"".join(w.frame(f.SerializeToString()) for f in frames))
    c.pipelined = True
    r = c.wait_answer(2)
    expect(r.WhichOneof("body") == "ok", "logout %s" % r)
    e = expect_error(c.wait_answer(1), pb.NOT_AUTHENTICATED)
    expect("logout" in e.message, "message %r" % e.message)
    c.next_id = 3
    expect_error(c.request("list_meetings"), pb.NOT_AUTHENTICATED)
    # a wrong password behind the logout is still a failed login
    frames = [pb.Envelope(request_id=10, login=pb.LoginRequest(login=A.login, password="wrong")),
              pb.Envelope(request_id=11, logout=pb.LogoutRequest())]
    c.send_raw(b"".join(w.frame(f.SerializeToString()) for f in frames))
    expect(c.wait_answer(11).WhichOneof("body") == "ok", "second logout")
    expect_error(c.wait_answer(10), pb.LOGIN_FAILED)
    c.next_id = 12
    r = c.login(A.login, A.password)
    expect(r.WhichOneof("body") == "login_ok", "a login after them %s" % r)
    c.close()


# ---------------------------------------------------------------------------
# Hostile probes
# ---------------------------------------------------------------------------

@check("first frame not a Hello: HELLO_EXPECTED, clean close (4.2)")
def t_no_hello():
    c = connect(hello=False)
    c.recv_env()  # the server's Hello
    env = pb.Envelope(request_id=1)
    env.ping.nonce = 1
    c.send_env(env)
    expect_closed_with(c, pb.HELLO_EXPECTED)


@check("Hello with protocol_version 2: VERSION_MISMATCH naming both versions (4.2)")
def t_version():
    c = connect(hello=False)
    c.recv_env()
    h = pb.Envelope()
    h.hello.protocol_version = 2
    c.send_env(h)
    e = expect_closed_with(c, pb.VERSION_MISMATCH)
    expect("2" in e.message and "1" in e.message, e.message)


@check("oversized frame before login (16 KiB + 1): FRAME_TOO_LARGE before the payload (3.2)")
def t_too_large_prelogin():
    c = connect()
    c.send_raw(struct.pack(">I", 16385))  # only the prefix: the server must not wait for the payload
    expect_closed_with(c, pb.FRAME_TOO_LARGE)


@check("a 16 KiB frame before login is accepted (3.2)")
def t_limit_prelogin_ok():
    c = connect()
    env = pb.Envelope(request_id=5)
    env.ping.nonce = 5
    payload = env.SerializeToString()
    # pad with an unknown field (number 15000, bytes): skipped by protobuf
    pad = 16384 - len(payload) - 5
    extra = bytes([0xc2, 0xa9, 0x07]) + bytes([0x80 | (pad & 0x7f), pad >> 7, ]) + b"x" * pad
    payload += extra
    expect(len(payload) <= 16384, "built %d" % len(payload))
    c.send_raw(w.frame(payload))
    r = c.recv_env()
    expect(r.WhichOneof("body") == "pong", "answer %s" % r)
    c.close()


@check("oversized frame after login (1 MiB + 1): FRAME_TOO_LARGE (3.2)")
def t_too_large_ready():
    c = login()
    c.send_raw(struct.pack(">I", 1048577))
    expect_closed_with(c, pb.FRAME_TOO_LARGE)


@check("garbage payload: FRAME_UNDECODABLE, clean close (3.3)")
def t_garbage():
    c = connect()
    c.send_raw(w.frame(b"\xff\xff\xff\xff\xff"))
    expect_closed_with(c, pb.FRAME_UNDECODABLE)


@check("a field with the wrong wire type: FRAME_UNDECODABLE (3.3, 13)")
def t_wrong_type():
    c = connect()
    # request_id (field 1, a varint) sent as a length-delimited field
    c.send_raw(w.frame(bytes([0x0a, 0x01, 0x41]) + bytes.fromhex("62020805")))
    expect_closed_with(c, pb.FRAME_UNDECODABLE)


@check("a ping nonce of the wrong wire type inside the body: FRAME_UNDECODABLE (3.3)")
def t_wrong_type_nested():
    c = connect()
    # ping { nonce as a fixed64 (wire type 1) }
    c.send_raw(w.frame(bytes.fromhex("0801") + bytes.fromhex("6209") + bytes([0x09]) + b"\x05" + b"\0" * 7))
    expect_closed_with(c, pb.FRAME_UNDECODABLE)


@check("invalid UTF-8 in a string: INVALID_UTF8, connection stays (5.4)")
def t_bad_utf8():
    c = connect()
    # login { login: "\xc3\x28" password: "x" }
    body = bytes([0x0a, 0x02, 0xc3, 0x28, 0x12, 0x01, 0x78])
    c.send_raw(w.frame(bytes([0x08, 0x07, 0x52, len(body)]) + body))
    e = expect_error(c.recv_env(), pb.INVALID_UTF8)
    expect(e.field == "login", "field %r" % e.field)
    expect(c.request("ping", pb.PingRequest(nonce=2)).pong.nonce == 2, "closed after INVALID_UTF8")
    c.close()


@check("empty frame and an unknown body field: UNKNOWN_MESSAGE, connection stays (3.1, 5.3)")
def t_unknown():
    c = connect()
    c.send_raw(w.frame(b""))
    e = expect_error(c.recv_env(), pb.UNKNOWN_MESSAGE)
    expect("no message body" in e.message, e.message)
    # field 99 (unused request number), empty message, request_id 8
    c.send_raw(w.frame(bytes([0x08, 0x08, 0x9a, 0x06, 0x00])))
    r = c.recv_env()
    e = expect_error(r, pb.UNKNOWN_MESSAGE)
    expect(r.request_id == 8 and "99" in e.message, "%s" % r)
    # a response body sent by the client
    env = pb.Envelope(request_id=9)
    env.pong.nonce = 1
    c.send_env(env)
    expect_error(c.recv_env(), pb.UNKNOWN_MESSAGE)
    expect(c.request("ping", pb.PingRequest(nonce=3)).pong.nonce == 3, "closed")
    c.close()


@check("stream ends in the middle of a frame: the server just closes; answers complete frames first (3.3)")
def t_half_frame():
    c = connect()
    env = pb.Envelope(request_id=4)
    env.ping.nonce = 4
    c.send_env(env)
    c.send_raw(struct.pack(">I", 100) + b"\x08")
    # the TCP half-close under TLS (SSLSocket.shutdown would drop the TLS layer)
    socket.socket.shutdown(c.sock, socket.SHUT_WR)
    frames, _ = c.read_until_close()
    expect(len(frames) == 1 and frames[0].pong.nonce == 4, "frames %s" % frames)


@check("stream ends after complete frames: a read and a write that wait for the database are answered, then a clean close (3.3)")
def t_half_close():
    c = login()
    item = my_meeting(c).snapshot.agenda[0]
    decision = "sent before the half-close %d" % time.time_ns()
    env = pb.Envelope(request_id=30)
    env.list_series.SetInParent()
    c.send_env(env)
    env = pb.Envelope(request_id=31, idempotency_key=w.key())
    env.record_decision.CopyFrom(pb.RecordDecisionRequest(item_id=item.id, version=item.version,
                                                          decision=decision))
    c.send_env(env)
    socket.socket.shutdown(c.sock, socket.SHUT_WR)
    frames, clean = c.read_until_close(timeout=30)
    answers = [(f.request_id, f.WhichOneof("body")) for f in frames if f.request_id != 0]
    expect(answers == [(30, "series_list"), (31, "agenda_item")], "answers %s" % answers)
    ans = [f for f in frames if f.request_id == 31][0].agenda_item
    expect(ans.decision == decision and ans.version == item.version + 1, "write answer %s" % ans)
    expect(clean, "not a clean close")


@check("too many requests: RATE_LIMITED with retry_after_ms, then disconnected at the 201st refusal (5.7)")
def t_rate_limit():
    c = login()
    n = 400
    env = pb.Envelope()
    out = b""
    for i in range(1, n + 1):
        env.request_id = i
        env.ping.nonce = i
        out += w.frame(env.SerializeToString())
    c.send_raw(out)
    frames, clean = c.read_until_close(timeout=20)
    pongs = [f for f in frames if f.WhichOneof("body") == "pong"]
    limited = [f for f in frames if f.WhichOneof("body") == "error" and f.request_id != 0]
    expect(pongs, "no pong at all")
    expect(all(f.error.code == pb.RATE_LIMITED and f.error.retry_after_ms > 0 for f in limited),
           "refusals %s" % limited[:3])
    expect(len(limited) == 200, "%d refusals before the cut-off" % len(limited))
    last = frames[-1]
    expect(last.request_id == 0 and last.error.code == pb.RATE_LIMITED and "disconnected" in last.error.message,
           "last %s" % last)
    ids = [f.request_id for f in frames[:-1]]
    expect(ids == sorted(ids) and ids == list(range(1, len(ids) + 1)),
           "answers not in request order / gaps before the cut-off")
    expect(clean, "not a clean close")


@check("SIGTERM: the server sends stopping, answers what runs, serves nothing new, closes cleanly (4.3)")
def t_stopping():
    import signal
    c = login()
    env = pb.Envelope(request_id=50)
    env.list_cases.SetInParent()
    c.send_env(env)
    os.kill(A.stop_pid, signal.SIGTERM)
    time.sleep(0.5)
    env = pb.Envelope(request_id=51)
    env.ping.nonce = 51
    try:
        c.send_env(env)
    except OSError:
        pass
    frames, clean = c.read_until_close(timeout=30)
    kinds = [(f.request_id, f.WhichOneof("body")) for f in frames]
    stops = [f for f in frames if f.WhichOneof("body") == "stopping"]
    expect(len(stops) == 1 and stops[0].request_id == 0 and stops[0].stopping.drain_ms > 0,
           "no single stopping frame: %s" % kinds)
    expect((50, "case_list") in kinds, "the request in flight was not answered: %s" % kinds)
    expect(not any(rid == 51 for rid, _ in kinds), "a request after stopping was answered: %s" % kinds)
    expect(clean, "not a clean close")


CHECKS = [t_hello, t_hello_log, t_tls12, t_wrong_ca, t_ping_prelogin, t_not_auth, t_login_failed, t_login, t_reads,
          t_subscribe_write, t_same_key_concurrent, t_conflict, t_write_errors, t_resume, t_logout, t_logout_cancels_login,
          t_no_hello, t_version, t_too_large_prelogin, t_limit_prelogin_ok, t_too_large_ready, t_garbage,
          t_wrong_type, t_wrong_type_nested, t_bad_utf8, t_unknown, t_half_frame, t_half_close, t_rate_limit]


def main():
    global A, pb
    ap = argparse.ArgumentParser()
    w.server_args(ap)
    ap.add_argument("--login", default="voorzitter")
    ap.add_argument("--password", default="demo")
    ap.add_argument("--only", default="")
    ap.add_argument("--server-log", default="", help="tafeld's log (log_level debug): checked for forged lines")
    ap.add_argument("--stop-pid", type=int, default=0,
                    help="finally SIGTERM this tafeld and check the stopping notice (section 4.3)")
    A = ap.parse_args()
    pb = w.load_proto(A.proto_dir)
    checks = CHECKS + ([t_stopping] if A.stop_pid else [])
    for fn in checks:
        if A.only and A.only not in fn.__name__:
            continue
        w.run_check(fn, failures)
    print("%d checks, %d failed" % (len([f for f in checks if A.only in f.__name__]), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
