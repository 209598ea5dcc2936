#!/usr/bin/env python3
"""Fault injection from outside: a real tafeld with demo data, hit the way a
tester would (kill -9 during a stream of writes, PostgreSQL stopped under load,
a flood from one host, a full disk), checked with the outside client.

usage: tafel_faults.py --tafeld BIN --tafelctl BIN --proto-dir DIR [--user tafel]
                       [--only kill9,pgstop,pgstop-ext,pghang,flood,swarm,diskfull,pushlag,vanish,vanish-idle]

Each scenario starts its own tafeld (embedded cluster) and prints what it did
and measured; a broken promise is a FAIL line and exit status 1.  Timings are
printed, never asserted (the machine may be slow); only outcomes are.
"""

import argparse
import glob
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tafel_wire as w  # noqa: E402

pb = None
A = None
failures = []


def say(msg):
    print("# " + msg, flush=True)


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


# ---------------------------------------------------------------------------
# A private tafeld
# ---------------------------------------------------------------------------

class Server:
    def __init__(self, data_dir=None, extra=(), env=None):
        self.dir = data_dir or tempfile.mkdtemp(prefix="tafel-faults-")
        src = os.environ.get("TAFEL_SOURCE_DIR")
        if data_dir is None and "--db" not in extra and src:
            # a copy of a first start's directory (initdb and migrations done once)
            subprocess.run(["bash", os.path.join(src, "tests", "data-template.sh"), self.dir],
                           check=True, env=dict(os.environ, TAFELD=A.tafeld, TAFEL_TEST_USER=A.user))
        self.log = self.dir.rstrip("/") + ".log"
        self.extra = list(extra)
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self.port = 0
        self.host = "127.0.0.1"   # the address tafeld listens on
        self.ca = os.path.join(self.dir, "tls", "ca.crt")

    def start(self):
        off = os.path.getsize(self.log) if os.path.exists(self.log) else 0
        logf = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [A.tafeld, "--data-dir", self.dir, "--listen", "%s:%d" % (self.host, self.port),
             "--config", "/dev/null", "--set", "user=" + A.user] + self.extra,
            stdout=logf, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with open(self.log, "rb") as f:
                f.seek(off)
                m = re.findall(rb"listening on " + re.escape(self.host.encode()) + rb":(\d+)", f.read())
            if m:
                self.port = int(m[-1])
                return
            if self.proc.poll() is not None:
                raise AssertionError("tafeld did not start:\n" + self.tail())
            time.sleep(0.1)
        raise AssertionError("tafeld did not report its port")

    def ctl(self, *args):
        return subprocess.run([A.tafelctl, "--config", "/dev/null", "--data-dir", self.dir] + list(args),
                              check=True, capture_output=True).stdout

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def tail(self, n=30):
        try:
            with open(self.log, "rb") as f:
                return b"\n".join(f.read().splitlines()[-n:]).decode("utf-8", "replace")
        except OSError:
            return ""

    def log_text(self):
        with open(self.log, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def cleanup(self):
        self.stop()
        try:
            text = self.log_text()
        except OSError:
            text = ""
        m = re.search(r"ERROR: (Address|Leak)Sanitizer|runtime error:", text)
        if m:
            print(text[max(0, m.start() - 200):m.start() + 3000])
            failures.append("sanitizer report from tafeld")
            print("FAIL sanitizer report from tafeld (%s)" % self.log, flush=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        try:
            os.unlink(self.log)
        except OSError:
            pass

    def connect(self, **kw):
        return w.Conn("127.0.0.1", self.port, self.ca, **kw)

    def login(self, user="voorzitter", retry_for=0.0, **kw):
        """Logs in; with retry_for, keeps trying (connection refused, DATABASE_UNAVAILABLE)."""
        deadline = time.monotonic() + retry_for
        while True:
            try:
                c = self.connect(**kw)
                r = c.login(user, "demo")
                if r.WhichOneof("body") == "login_ok":
                    c.user = r.login_ok.user
                    return c
                c.close()
                last = r
            except (OSError, w.Closed, w.Timeout) as ex:
                last = ex
            if time.monotonic() >= deadline:
                raise AssertionError("no login: %s" % last)
            time.sleep(0.3)


    def start_demo_follower(self):
        """Starts tafeld with demo data and logs in the chair following the
        case list (the chair is a process manager: new signals reach it)."""
        self.start()
        self.ctl("demo-data")
        sub = self.login()
        r = sub.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_CASE_LIST))
        expect(r.WhichOneof("body") == "subscribed", "subscribe %s" % r)
        return sub


def case_request(marker):
    req = pb.CreateCaseRequest(theme="domestic_violence", district="Enschede-Noord",
                               summary=marker, reason="fault injection")
    req.persons.add(name="Fout Test", role=pb.PERSON_VICTIM)
    return req


def count_by_summary(c, prefix):
    r = c.request("list_cases", pb.ListCasesRequest(include_closed=True), timeout=30)
    expect(r.WhichOneof("body") == "case_list", "list_cases %s" % r)
    seen = {}
    for cs in r.case_list.cases:
        if cs.summary.startswith(prefix):
            seen.setdefault(cs.summary, []).append(cs.id)
    return seen


def writer_errors(writers):
    """The error answers of all writers, counted by code."""
    errs = {}
    for x in writers:
        for k, v in x.errors.items():
            errs[k] = errs.get(k, 0) + v
    return errs


class Writer:
    """Streams create_case writes with `depth` requests outstanding; records what
    was acknowledged.  retry: on DATABASE_UNAVAILABLE / OVERLOADED / DISK_FULL it
    resends the same request with the same key after a pause, as the docs say."""

    def __init__(self, srv, prefix, total, depth=4, retry=False, pad=""):
        self.srv, self.prefix, self.total, self.depth, self.retry = srv, prefix, total, depth, retry
        self.pad = pad        # appended to each summary (bigger events)
        self.acked = {}       # key -> case id
        self.sent = {}        # key -> marker
        self.errors = {}      # code name -> count
        self.first_error_at = None
        self.last_error_at = None
        self.ended = None     # why the stream stopped
        self.latencies = []

    def run(self, c):
        outstanding = {}      # request id -> (key, sent time)
        n = 0
        pending_retry = []
        try:
            while len(self.acked) < self.total:
                while len(outstanding) < self.depth and (pending_retry or n < self.total):
                    if pending_retry:
                        k = pending_retry.pop(0)
                    else:
                        k = "%s-%04d" % (self.prefix, n)
                        n += 1
                        self.sent[k] = "%s %s%s" % (self.prefix, k, self.pad)
                    env = pb.Envelope(request_id=c.new_id(), idempotency_key=k)
                    env.create_case.CopyFrom(case_request(self.sent[k]))
                    c.send_env(env)
                    outstanding[env.request_id] = (k, time.monotonic())
                if not outstanding:
                    break
                env = c.recv_env(30)
                if env.WhichOneof("body") == "event":
                    continue
                if env.request_id not in outstanding:
                    self.ended = "unexpected frame: %s" % env
                    return
                k, t0 = outstanding.pop(env.request_id)
                if env.WhichOneof("body") == "case_record":
                    expect(env.case_record.summary == self.sent[k], "answer for another write")
                    self.acked[k] = env.case_record.id
                    self.latencies.append(time.monotonic() - t0)
                    continue
                code = pb.ErrorCode.Name(env.error.code)
                self.errors[code] = self.errors.get(code, 0) + 1
                now = time.monotonic()
                if env.error.code != pb.RATE_LIMITED:
                    self.first_error_at = self.first_error_at or now
                    self.last_error_at = now
                if env.error.code == pb.RATE_LIMITED:  # the documented answer: wait, send again
                    pending_retry.append(k)
                    time.sleep(env.error.retry_after_ms / 1000.0)
                    continue
                if self.retry and env.error.code in (pb.DATABASE_UNAVAILABLE, pb.OVERLOADED, pb.DISK_FULL):
                    pending_retry.append(k)
                    time.sleep(0.2)
                    continue
                self.ended = "error %s: %s" % (code, env.error.message)
                return
            self.ended = "done"
        except (w.Closed, w.Timeout, OSError) as ex:
            self.ended = "connection: %s" % type(ex).__name__


# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------

def s_kill9():
    """kill -9 of tafeld during a stream of writes: every acknowledged write is
    there after the restart, a retry of each unacknowledged one (same key) is
    applied once, a retry of an acknowledged one gets the same record."""
    srv = Server()
    try:
        sub = srv.start_demo_follower()
        c = srv.login()
        wr = Writer(srv, "k9-%d" % os.getpid(), total=10**6, depth=8)
        t = threading.Thread(target=wr.run, args=(c,))
        t.start()

        def listen():  # the subscriber reads all the time, as a client must (section 10)
            try:
                while True:
                    env = sub.recv_env(60)
                    if env.WhichOneof("body") == "event":
                        sub.events.append(env.event)
            except (w.Closed, w.Timeout, OSError) as ex:
                say("kill9: the subscriber's connection ended: %s" % type(ex).__name__)
        lt = threading.Thread(target=listen)
        lt.start()
        while len(wr.acked) < 40 and t.is_alive():
            time.sleep(0.01)
        srv.kill9()
        t.join(30)
        unacked = [k for k in wr.sent if k not in wr.acked]
        say("kill9: %d writes sent, %d acknowledged before kill -9, %d unanswered (%s)"
            % (len(wr.sent), len(wr.acked), len(unacked), wr.ended))
        expect(wr.ended.startswith("connection"), "the stream did not end with the kill: %s" % wr.ended)
        t0 = time.monotonic()
        srv.start()
        c = srv.login(retry_for=60)
        say("kill9: tafeld restarted and a login answered after %.1f s" % (time.monotonic() - t0))
        adopted = "adopting it" in srv.log_text()
        say("kill9: the new tafeld %s the old PostgreSQL" % ("adopted" if adopted else "did NOT adopt"))
        # The subscriber: what it saw before the kill, then a resume from its last seq.
        lt.join(30)
        seen = {e.case.id for e in sub.events if e.HasField("case")}
        last = max([e.seq for e in sub.events] or [0])
        sub = srv.login()
        r = sub.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_CASE_LIST, resume_from=last))
        expect(r.WhichOneof("body") == "subscribed", "resume %s" % r)
        say("kill9: the subscriber had %d events up to seq %d; resume after the restart: resumed=%s"
            % (len(seen), last, r.subscribed.resumed))
        before = count_by_summary(c, wr.prefix)
        for k, cid in wr.acked.items():
            expect(before.get(wr.sent[k]) == [cid], "acknowledged write %s lost or doubled: %s"
                   % (k, before.get(wr.sent[k])))
        applied_before_retry = sum(1 for k in unacked if wr.sent[k] in before)
        # Retry every unanswered write, and a few answered ones, with the same key.
        for k in unacked + list(wr.acked)[:5]:
            env_ans = c.request("create_case", case_request(wr.sent[k]), key=k)
            expect(env_ans.WhichOneof("body") == "case_record", "retry of %s: %s" % (k, env_ans))
            if k in wr.acked:
                expect(env_ans.case_record.id == wr.acked[k], "retry of an acknowledged write made a new case")
            else:
                wr.acked[k] = env_ans.case_record.id
        if not r.subscribed.resumed:
            seen = {cs.id for cs in r.subscribed.cases.cases}
        sub.drain_events(2.0)  # the replay, and the live events of the retries
        seen |= {e.case.id for e in sub.events if e.HasField("case")}
        missing = set(wr.acked.values()) - seen
        say("kill9: after the resume the subscriber knows %d of the %d stored writes" %
            (len(set(wr.acked.values()) & seen), len(wr.acked)))
        expect(not missing, "the subscriber never heard of %d stored writes (ids %s)" % (len(missing), sorted(missing)))
        after = count_by_summary(c, wr.prefix)
        for k, cid in wr.acked.items():
            expect(after.get(wr.sent[k]) == [cid], "write %s stored %s times" % (k, after.get(wr.sent[k])))
        expect(len(after) == len(wr.sent), "%d distinct writes stored for %d sent" % (len(after), len(wr.sent)))
        say("kill9: of the %d unanswered writes %d had been committed before the kill; after retrying "
            "with the same keys every one of the %d writes is stored exactly once"
            % (len(unacked), applied_before_retry, len(wr.sent)))
        c.close()
    finally:
        srv.cleanup()


def postmaster_pid(data):
    """The pid in the cluster's postmaster.pid, or 0."""
    try:
        with open(os.path.join(data, "postmaster.pid")) as f:
            return int(f.readline().strip() or 0)
    except (OSError, ValueError):
        return 0


def process_gone(pid, within):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:  # gone, or exited and not yet reaped by tafeld (a zombie)
            with open("/proc/%d/stat" % pid) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.02)
    return False


def pg_ctl():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    expect(found, "no pg_ctl")
    return found[-1]


def as_user(cmd):
    if os.geteuid() == 0:
        return ["runuser", "-u", A.user, "--"] + cmd
    return cmd



def start_writers(srv, tag, total, n=3):
    """n retrying writers (Writer), each on its own login and thread, each
    sending total writes of its own prefix (tag, index, pid)."""
    writers, threads = [], []
    for i in range(n):
        c = srv.login()
        wr = Writer(srv, "%s%d-%d" % (tag, i, os.getpid()), total=total, depth=2, retry=True)
        writers.append(wr)
        t = threading.Thread(target=wr.run, args=(c,))
        t.start()
        threads.append(t)
    return writers, threads


def check_stored_and_pushed(name, c, sub, writers, who, resync_ok):
    """After an outage: every acknowledged write of the writers is stored
    exactly once (and nothing else of theirs), and the subscriber got their
    events in strictly increasing seq, none missing (with resync_ok, a
    resync may stand in for the missing ones)."""
    for x in writers:
        got = count_by_summary(c, x.prefix)
        for k, cid in x.acked.items():
            expect(got.get(x.sent[k]) == [cid], "write %s: %s" % (k, got.get(x.sent[k])))
        expect(len(got) == len(x.sent), "%d stored for %d sent" % (len(got), len(x.sent)))
    sub.drain_events(3.0)
    seqs = [e.seq for e in sub.events if not e.resync]
    got_ids = {e.case.id for e in sub.events if e.HasField("case")}
    want = {cid for x in writers for cid in x.acked.values()}
    resyncs = sum(1 for e in sub.events if e.resync)
    say("%s: %s got %d events (%d resync) for %d writes; missing %d"
        % (name, who, len(seqs), resyncs, len(want), len(want - got_ids)))
    expect(seqs == sorted(set(seqs)), "event seqs not strictly increasing")
    expect((resync_ok and resyncs) or not (want - got_ids),
           "events lost across the outage: %d writes without an event" % len(want - got_ids))

def s_pgstop():
    """PostgreSQL stopped under load (pg_ctl stop -m fast, the way an
    administrator or a package upgrade stops it): clients get
    DATABASE_UNAVAILABLE, tafeld restarts it on its own, the writers' retries
    with the same keys complete, nothing is lost or doubled, and a
    subscription carries events again afterwards."""
    srv = Server()
    try:
        sub = srv.start_demo_follower()
        writers, threads = start_writers(srv, "pg", 150)
        t_stop = None
        at = 30
        for mode in ("fast", "immediate"):
            while sum(len(x.acked) for x in writers) < at:
                expect(any(t.is_alive() for t in threads), "the writers stopped: %s"
                       % [x.ended for x in writers])
                time.sleep(0.01)
            t_stop = t_stop or time.monotonic()
            t_ctl = time.monotonic()
            data = os.path.join(srv.dir, "pg", "data")
            for _ in range(50):  # the cluster may still be starting up after the last stop
                pid = postmaster_pid(data)
                # --no-wait: tafeld starts a new postmaster within a fraction of
                # a second, and pg_ctl's own wait (for the pid file to go) would
                # then last its whole timeout; wait for this postmaster instead
                pr = subprocess.run(as_user([pg_ctl(), "-D", data, "stop", "-m", mode,
                                             "--no-wait"]), capture_output=True, text=True)
                if pr.returncode == 0 and pid:
                    break
                say("pgstop: pg_ctl stop -m %s: %s" % (mode, (pr.stdout + pr.stderr).strip().splitlines()[-1:]))
                time.sleep(0.2)
            expect(pr.returncode == 0, "pg_ctl stop -m %s: %s %s" % (mode, pr.stdout, pr.stderr))
            expect(process_gone(pid, 30), "postmaster %d still runs 30 s after stop -m %s" % (pid, mode))
            say("pgstop: PostgreSQL stopped (-m %s) at %d acknowledged writes; its postmaster ended after %.1f s, "
                "at %d" % (mode, at, time.monotonic() - t_ctl, sum(len(x.acked) for x in writers)))
            at = sum(len(x.acked) for x in writers) + 60  # the next stop once writes flow again
            # A ping is answered without the database.
            p = sub.request("ping", pb.PingRequest(nonce=7), timeout=10)
            expect(p.WhichOneof("body") == "pong", "ping during the outage: %s" % p)
        for t in threads:
            t.join(180)
        recovered = max((x.last_error_at or t_stop) for x in writers) - t_stop
        lat = sorted(l for x in writers for l in x.latencies)
        errs = writer_errors(writers)
        say("pgstop: error answers during the outage: %s; last error %.1f s after the stop" % (errs, recovered))
        for x in writers:
            expect(x.ended == "done", "a writer stopped: %s" % x.ended)
        expect(set(errs) <= {"DATABASE_UNAVAILABLE", "OVERLOADED", "RATE_LIMITED"}, "unexpected errors %s" % errs)
        restarted = re.findall(r"embedded PostgreSQL restarted after [0-9.]+ s[^\n]*", srv.log_text())
        restarted = "; ".join(restarted)
        say("pgstop: tafeld log: %s" % (restarted or "no restart line"))
        say("pgstop: slowest acknowledged write %.1f s (it waited through an outage)" % lat[-1])
        expect(restarted, "tafeld did not restart its PostgreSQL")
        c = srv.login(retry_for=30)
        # Every write reached the subscriber, across both outages, in seq order.
        check_stored_and_pushed("pgstop", c, sub, writers, "the case-list subscriber", resync_ok=True)
        # Events flow again: one more write reaches the subscriber.
        mark = "pg-after-%d" % os.getpid()
        a = c.request("create_case", case_request(mark), key=w.key())
        expect(a.WhichOneof("body") == "case_record", "write after recovery %s" % a)
        ev = sub.wait_event(lambda e: e.case.id == a.case_record.id, timeout=20)
        say("pgstop: %d writes, each stored once; the subscription got the event of a write after "
            "recovery (seq %d)" % (sum(len(x.sent) for x in writers), ev.seq))
    finally:
        srv.cleanup()


def cluster_pids(data):
    """The postmaster of the cluster in data and its children."""
    pm = postmaster_pid(data)
    expect(pm, "no postmaster.pid in %s" % data)
    kids = subprocess.run(["pgrep", "-P", str(pm)], capture_output=True, text=True).stdout.split()
    return [pm] + [int(k) for k in kids]


def s_pghang():
    """PostgreSQL hung, not dead (kill -STOP of the postmaster and all its
    processes, as a frozen VM or a stuck storage would leave it) for twice
    db_query_timeout, under a stream of writes.  Nothing refuses and nothing
    answers: tafeld must not hang with it.  Pings from another session are
    answered throughout, a login gets an answer (not silence), the writes
    that were running get DATABASE_UNAVAILABLE once db_query_timeout has
    passed, and after kill -CONT the writers' retries (same keys) complete:
    every write stored once, every event delivered, no restart of the
    cluster (it never stopped)."""
    hang = 10.0
    srv = Server(extra=["--set", "db_query_timeout=%dms" % int(hang * 500)])
    stopped = []
    try:
        sub = srv.start_demo_follower()
        prober = srv.login("politie")
        writers, threads = start_writers(srv, "hang", 120)
        while sum(len(x.acked) for x in writers) < 30:
            expect(any(t.is_alive() for t in threads), "the writers stopped: %s" % [x.ended for x in writers])
            time.sleep(0.01)
        data = os.path.join(srv.dir, "pg", "data")
        pids = cluster_pids(data)
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
            stopped.append(pid)
        t0 = time.monotonic()
        at = sum(len(x.acked) for x in writers)
        lat, n = [], 0
        login_answer = None
        while time.monotonic() - t0 < hang:
            n += 1
            t1 = time.monotonic()
            r = prober.request("ping", pb.PingRequest(nonce=n), timeout=10)
            lat.append(time.monotonic() - t1)
            expect(r.WhichOneof("body") == "pong", "ping during the hang: %s" % r)
            if login_answer is None and time.monotonic() - t0 > 1:
                t1 = time.monotonic()
                c = srv.connect()
                r = c.login("voorzitter", "demo")  # wait_answer's 15 s: an answer, not silence
                body = r.WhichOneof("body")
                login_answer = "%s after %.1f s" % (body if body != "error" else pb.ErrorCode.Name(r.error.code),
                                                    time.monotonic() - t1)
                c.close()
            time.sleep(0.1)
        during = sum(len(x.acked) for x in writers) - at
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)
        stopped = []
        errs = writer_errors(writers)
        say("pghang: PostgreSQL stopped (SIGSTOP, %d processes) for %.0f s at %d acknowledged writes, %d more "
            "acknowledged meanwhile; pings from another session p50 %.1f ms, max %.1f ms (%d); a login during "
            "the hang: %s; errors so far %s" % (len(pids), hang, at, during, pct(lat, 0.5), pct(lat, 1.0),
                                                len(lat), login_answer, errs))
        expect(max(lat) < 2.0, "a ping waited %.1f s while the database hung" % max(lat))
        expect("DATABASE_UNAVAILABLE" in errs, "no write was given up while the database hung: %s" % errs)
        for t in threads:
            t.join(180)
        for x in writers:
            expect(x.ended == "done", "a writer stopped: %s" % x.ended)
        errs = writer_errors(writers)
        expect(set(errs) <= {"DATABASE_UNAVAILABLE", "OVERLOADED", "RATE_LIMITED"}, "unexpected errors %s" % errs)
        expect(not re.search(r"embedded PostgreSQL restarted", srv.log_text()),
               "tafeld restarted a PostgreSQL that was only stopped")
        c = srv.login(retry_for=30)
        check_stored_and_pushed("pghang", c, sub, writers, "the case-list subscriber", resync_ok=False)
        say("pghang: all %d writes stored once after kill -CONT; errors in all %s"
            % (sum(len(x.sent) for x in writers), errs))
    finally:
        for pid in stopped:
            try:
                os.kill(pid, signal.SIGCONT)
            except OSError:
                pass
        srv.cleanup()


def in_netns(name, fn):
    """Runs fn with this thread in network namespace name (sockets made
    there stay there), then returns to the namespace it came from."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    orig = os.open("/proc/self/ns/net", os.O_RDONLY)
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), "setns " + name)
        return fn()
    finally:
        libc.setns(orig, 0x40000000)
        os.close(fd)
        os.close(orig)


def s_vanish():
    """A client whose network vanishes (no FIN, no reset, nothing ACKed:
    its interface goes down) while events are sent to it is dropped after
    the write timeout of docs/protocol.md 4.1 (30 s; 8 s here, through the
    test hook TAFEL_TEST_WRITE_TIMEOUT), and its session ends:
    before, the kernel took the events into its send buffer, tafeld counted
    them as written, and the connection stayed until TCP gave up
    retransmitting (some 15 minutes), holding one of the user's
    max_sessions_per_user.  Needs root and `ip` (a network namespace and a
    veth pair of its own); skipped otherwise."""
    vanish(idle=False)


def s_vanish_idle():
    """The same for a client with nothing to be sent to it (logged in,
    idle): TCP keepalive (tcp_keepalive, here 2 s) finds it, and it is
    dropped once its probes have gone unanswered for the write timeout
    (TCP_USER_TIMEOUT: 30 s; 8 s here, as above).  Before, with no frame waiting for its ACK, the
    connection and its session stayed until idle_timeout (30 minutes)."""
    vanish(idle=True)


def write_timeout(srv):
    """The write timeout tafeld runs with: 8 s when it took the test hook
    (it logs so at its first connection), else the protocol's 30 s."""
    return 8 if "TAFEL_TEST_WRITE_TIMEOUT" in srv.log_text() else 30


def vanish(idle):
    name = "vanish-idle" if idle else "vanish"
    if os.geteuid() != 0 or not shutil.which("ip"):
        say("%s: skipped (needs root and ip)" % name)
        return
    tag = "%d" % (os.getpid() % 100000)
    ns, here, there = "tafelvan" + tag, "tfva" + tag, "tfvb" + tag
    net = "10.77.%d" % (os.getpid() % 250)

    def ip(*args):
        subprocess.run(["ip"] + list(args), check=True, capture_output=True)
    srv = None
    try:
        ip("netns", "add", ns)
        ip("link", "add", here, "type", "veth", "peer", "name", there)
        ip("link", "set", there, "netns", ns)
        ip("addr", "add", net + ".1/30", "dev", here)
        ip("link", "set", here, "up")
        ip("-n", ns, "addr", "add", net + ".2/30", "dev", there)
        ip("-n", ns, "link", "set", there, "up")
        # the write timeout shortened (a tafeld built with the test hooks;
        # one without them keeps 30 s, and the bounds below follow it)
        srv = Server(extra=("--set", "tcp_keepalive=2s") if idle else (),
                     env={"TAFEL_TEST_WRITE_TIMEOUT": "8"})
        srv.host = net + ".1"
        sub = None
        srv.start()
        srv.ctl("demo-data")
        srv.ctl("pm", "add", "voorzitter", "Enschede-Noord")

        def conn_to(hostname="127.0.0.1"):
            """a connection to tafeld's address, the certificate checked
            for 127.0.0.1"""
            raw = socket.create_connection((srv.host, srv.port), timeout=10)
            c = w.Conn.__new__(w.Conn)
            c.sock = w.tls_context(srv.ca).wrap_socket(raw, server_hostname=hostname,
                                                       suppress_ragged_eofs=False)
            c.host, c.buf, c.events, c.answers = srv.host, b"", [], {}
            c.pipelined, c.next_id, c.server_hello = False, 1, None
            c.hello()
            return c
        sub = in_netns(ns, conn_to)
        r = sub.login("voorzitter", "demo")
        expect(r.WhichOneof("body") == "login_ok", "login from the namespace: %s" % r)
        if not idle:
            r = sub.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_CASE_LIST), timeout=60)
            expect(r.WhichOneof("body") == "subscribed", "subscribe %s" % r)

        def sessions():
            out = srv.ctl("status").decode()
            m = re.search(r"Gemeente Eemland-Twente +(\d+)", out)
            return int(m.group(1)) if m else 0
        expect(sessions() == 1, "the subscriber's session is not listed")
        if idle:
            # truly idle: whatever tafeld sent last has been ACKed, so no
            # byte waits for an ACK (TCP_USER_TIMEOUT alone would find it)
            time.sleep(3)
        ip("-n", ns, "link", "set", there, "down")  # the network is gone
        if idle:
            t0 = time.monotonic()
            while sessions() > 0 and time.monotonic() - t0 < 60:
                time.sleep(1)
            gone = time.monotonic() - t0
            say("vanish-idle: the idle client's network went down; its connection %s"
                % ("ended after %.0f s" % gone if gone < 60 else "still there after 60 s"))
            wt = write_timeout(srv)
            expect(gone < wt + 20, "an idle vanished client's connection was kept for more than "
                   "%d s (tcp_keepalive 2 s, write timeout %d s)" % (wt + 20, wt))
            return
        writer = conn_to()
        expect(writer.login("politie", "demo").WhichOneof("body") == "login_ok", "writer login")
        for i in range(3):
            a = writer.request("create_case", case_request("vanish %d" % i), key=w.key())
            expect(a.WhichOneof("body") == "case_record", "write %s" % a)
        t0 = time.monotonic()
        while sessions() > 0 and time.monotonic() - t0 < 60:
            time.sleep(1)
            writer.request("ping", pb.PingRequest(nonce=1))
        gone = time.monotonic() - t0
        say("vanish: the subscriber's network went down with 3 events for it; its connection %s"
            % ("ended after %.0f s" % gone if gone < 60 else "still there after 60 s"))
        wt = write_timeout(srv)
        expect(gone < wt + 20, "a vanished client's connection was kept for more than %d s "
               "(write timeout %d s)" % (wt + 20, wt))
        writer.close()
    finally:
        if srv is not None:
            srv.cleanup()
        subprocess.run(["ip", "link", "del", here], capture_output=True)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def s_pgstop_ext():
    """The same with an external PostgreSQL (tafeld's `db` setting), which
    tafeld does not restart: the database is stopped under load for five
    seconds and started again by hand (the way its own service would be).
    Meanwhile writes get DATABASE_UNAVAILABLE, pings and subscriptions
    stay; afterwards the writers' retries complete, each write is stored
    once, no client was disconnected, and the subscriber has every event.
    The database is an embedded cluster left running by a tafeld killed
    with -9, so that no other PostgreSQL has to be set up."""
    owner = Server()
    srv = None
    data = os.path.join(owner.dir, "pg", "data")
    try:
        owner.start()
        owner.ctl("demo-data")
        owner.kill9()  # its PostgreSQL keeps running: now nobody's
        srv = Server(extra=["--db", "host=%s/pg/run port=5432 dbname=tafel" % owner.dir])
        srv.start()
        sub = srv.login()
        r = sub.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_CASE_LIST))
        expect(r.WhichOneof("body") == "subscribed", "subscribe %s" % r)
        writers, threads = start_writers(srv, "px", 100)
        while sum(len(x.acked) for x in writers) < 30:
            expect(any(t.is_alive() for t in threads), "the writers stopped: %s" % [x.ended for x in writers])
            time.sleep(0.01)
        pid = postmaster_pid(data)
        at = sum(len(x.acked) for x in writers)
        pr = subprocess.run(as_user([pg_ctl(), "-D", data, "stop", "-m", "fast"]), capture_output=True, text=True)
        expect(pr.returncode == 0 and process_gone(pid, 30), "pg_ctl stop: %s %s" % (pr.stdout, pr.stderr))
        t_stop = time.monotonic()
        stopped_at = sum(len(x.acked) for x in writers)
        time.sleep(1)
        pings_ok = 0
        for i in range(4):
            p = sub.request("ping", pb.PingRequest(nonce=100 + i), timeout=10)
            pings_ok += p.WhichOneof("body") == "pong"
            time.sleep(1)
        during = sum(len(x.acked) for x in writers) - stopped_at
        unavailable = sum(x.errors.get("DATABASE_UNAVAILABLE", 0) for x in writers)
        st = srv.ctl("status").decode()
        db_line = [ln for ln in st.splitlines() if ln.startswith("database:")]
        pr = subprocess.run(as_user([pg_ctl(), "-D", data, "-l", os.path.join(owner.dir, "pg", "postgres.log"),
                                     "-o", "-c listen_addresses='' -c unix_socket_directories='%s/pg/run' "
                                     "-c port=5432" % owner.dir, "start", "-w"]), capture_output=True, text=True)
        expect(pr.returncode == 0, "pg_ctl start: %s %s" % (pr.stdout, pr.stderr))
        t_start = time.monotonic()
        for t in threads:
            t.join(180)
        say("pgstop-ext: pg_ctl stop at %d acknowledged writes (%d when it returned); down for %.1f s, in which "
            "%d more were acknowledged, %d DATABASE_UNAVAILABLE, %d of 4 pings answered; status then: %s"
            % (at, stopped_at, t_start - t_stop, during, unavailable, pings_ok, db_line))
        for x in writers:
            expect(x.ended == "done", "a writer stopped (disconnected?): %s" % x.ended)
        errs = writer_errors(writers)
        expect(pings_ok == 4, "pings during the outage: %d of 4" % pings_ok)
        expect(unavailable > 0, "no DATABASE_UNAVAILABLE during a 5 s outage: %s" % errs)
        expect(set(errs) <= {"DATABASE_UNAVAILABLE", "OVERLOADED", "RATE_LIMITED"}, "unexpected errors %s" % errs)
        recovered = max(x.last_error_at or t_start for x in writers) - t_start
        say("pgstop-ext: errors %s; the last one %.1f s after the database was started again" % (errs, recovered))
        c = srv.login(retry_for=30)
        check_stored_and_pushed("pgstop-ext", c, sub, writers, "the subscriber (connected throughout)",
                                resync_ok=False)
    finally:
        if srv is not None:
            srv.cleanup()
        stop_cluster(data)
        owner.cleanup()


def pings(c, n, nonce0=1):
    out = []
    for i in range(n):
        t0 = time.monotonic()
        r = c.request("ping", pb.PingRequest(nonce=nonce0 + i), timeout=30)
        out.append(time.monotonic() - t0)
        expect(r.WhichOneof("body") == "pong", "ping answered %s" % r)
        time.sleep(0.06)  # under rate_session (20/s)
    return out


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] * 1000


def s_flood():
    """A flood from one host (127.0.0.1): many connections, pipelined requests
    and maximal frames.  A second client on another address (127.0.0.2) keeps
    pinging; its latency is printed, and every one of its pings must be
    answered."""
    import multiprocessing as mp
    srv = Server()
    # The flood runs in other processes, so that the measuring client does
    # not share a Python interpreter lock with it.
    stop = mp.Event()
    stats = {k: mp.Value("q", 0) for k in ("conns", "refused", "frames", "closed_by_server")}

    def bump(k, n=1):
        with stats[k].get_lock():
            stats[k].value += n
    try:
        srv.start()
        srv.ctl("demo-data")
        other = srv.login("politie", source_address=("127.0.0.2", 0))
        base = pings(other, 100)
        say("flood: baseline ping from 127.0.0.2: p50 %.2f ms, p99 %.2f ms" % (pct(base, .5), pct(base, .99)))

        def conn_flood():
            held = []
            while not stop.is_set():
                try:
                    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
                    held.append(s)
                    bump("conns")
                    if len(held) > 400:
                        held.pop(0).close()
                except OSError:
                    bump("refused")
                    time.sleep(0.01)
            for s in held:
                s.close()

        def frame_flood():
            env = pb.Envelope()
            batch = b""
            for i in range(1, 501):
                env.request_id = i
                env.ping.nonce = i
                batch += w.frame(env.SerializeToString())
            while not stop.is_set():
                try:
                    c = srv.login()
                    while not stop.is_set():
                        c.send_raw(batch)
                        bump("frames", 500)
                        try:
                            while True:
                                c.recv_env(0.0)
                        except w.Timeout:
                            pass
                except (w.Closed, OSError, AssertionError):
                    bump("closed_by_server")

        def big_flood():
            # 1 MiB frames (a ping padded with an unknown field) as fast as TLS allows
            env = pb.Envelope(request_id=1)
            env.ping.nonce = 1
            p = env.SerializeToString()
            pad = 1048576 - len(p) - 8
            v = pad
            lenv = b""
            while True:
                b = v & 0x7f
                v >>= 7
                lenv += bytes([b | (0x80 if v else 0)])
                if not v:
                    break
            big = w.frame(p + bytes([0xc2, 0xa9, 0x07]) + lenv + b"y" * pad)
            while not stop.is_set():
                try:
                    c = srv.login()
                    while not stop.is_set():
                        c.send_raw(big)
                        bump("frames")
                        try:
                            while True:
                                c.recv_env(0.0)
                        except w.Timeout:
                            pass
                except (w.Closed, OSError, AssertionError):
                    bump("closed_by_server")

        ths = [mp.Process(target=f) for f in (conn_flood, frame_flood, frame_flood, big_flood, big_flood)]
        for t in ths:
            t.start()
        time.sleep(2)
        during = pings(other, 150, 1000)
        stop.set()
        for t in ths:
            t.join(30)
            if t.is_alive():
                t.kill()
        stats = {k: v.value for k, v in stats.items()}
        say("flood: %d TCP connections opened (%d refused), %d frames sent, %d flood connections closed "
            "by the server" % (stats["conns"], stats["refused"], stats["frames"], stats["closed_by_server"]))
        say("flood: ping from 127.0.0.2 during the flood: p50 %.2f ms, p99 %.2f ms, max %.2f ms (150 of 150 answered)"
            % (pct(during, .5), pct(during, .99), max(during) * 1000))
        r = other.request("list_meetings", timeout=30)
        expect(r.WhichOneof("body") == "meeting_list", "a read after the flood: %s" % r)
        other.close()
    finally:
        stop.set()
        srv.cleanup()


def fill(path):
    block = b"x" * 65536
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (65536, 512, 1):  # to the last byte: tmpfs gives out pages
            while True:
                try:
                    os.write(fd, block[:size])
                except OSError:
                    break
    finally:
        os.close(fd)


def stop_cluster(pgdata):
    """Stops a PostgreSQL left running in pgdata (a scenario that failed half-way)."""
    if os.path.exists(os.path.join(pgdata, "postmaster.pid")):
        subprocess.run(as_user([pg_ctl(), "-D", pgdata, "-m", "immediate", "stop"]), capture_output=True)


def s_diskfull():
    """A full disk under the embedded cluster (a small tmpfs as the data
    directory, filled to the last byte): writes get DISK_FULL; pings, a
    subscriber and the reads keep working (those that write a read-audit
    entry may get DISK_FULL, nothing else); `tafelctl status` says the disk
    is full; once space is freed the refused write (same key) goes through
    and its event reaches the subscriber.  Then a start on the full disk:
    refused with the reason in the log, and fine once space is freed."""
    if os.geteuid() != 0:
        say("diskfull: SKIP (needs root to mount a tmpfs)")
        return
    d = tempfile.mkdtemp(prefix="tafel-faults-full-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160m,mode=0700", "tmpfs", d]).returncode != 0:
        say("diskfull: SKIP (mount tmpfs failed)")
        os.rmdir(d)
        return
    # no rate limit: the 300 refused writes below go at full speed
    srv = Server(d, extra=["--set", "rate_session=1000", "--set", "rate_burst=1000"])
    try:
        sub = srv.start_demo_follower()
        c = srv.login()
        cid = c.request("list_cases").case_list.cases[0].id
        fill(os.path.join(d, "fill"))
        import random
        rnd = random.Random(7)
        code = None
        n = 0
        while n < 3000:
            k = w.key()
            summary = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8000))
            a = c.request("create_case", case_request(summary), key=k, timeout=60)
            n += 1
            if a.WhichOneof("body") == "error":
                code = pb.ErrorCode.Name(a.error.code)
                break
        say("diskfull: the write after %d got %s" % (n, code))
        expect(code == "DISK_FULL", "a write on a full disk answered %s" % code)
        # Reads that store nothing, a ping, and another session.
        expect(c.request("ping", pb.PingRequest(nonce=1)).WhichOneof("body") == "pong", "ping")
        reads = {}
        for name in ("list_meetings", "list_cases", "list_my_actions", "list_series"):
            rr = c.request(name, timeout=30)
            reads[name] = rr.WhichOneof("body") if rr.WhichOneof("body") != "error" else \
                pb.ErrorCode.Name(rr.error.code)
        gc = c.request("get_case", pb.GetCaseRequest(case_id=cid), timeout=30)
        reads["get_case"] = gc.WhichOneof("body") if gc.WhichOneof("body") != "error" else \
            pb.ErrorCode.Name(gc.error.code)
        # Reads that show case data write an audit entry of what they showed
        # (docs/security.md): once the audit table cannot grow they are
        # refused with DISK_FULL like a write; the others keep working.
        say("diskfull: reads on the full disk: %s" % reads)
        expect(all(v == "DISK_FULL" or not v.isupper() for v in reads.values()), "a read failed: %s" % reads)
        expect(reads["list_meetings"] == "meeting_list", "list_meetings on a full disk: %s" % reads)
        st = srv.ctl("status").decode()
        say("diskfull: tafelctl status: %s" % [ln for ln in st.splitlines() if ln.startswith("disk:")])
        expect(re.search(r"^disk: .*FULL", st, re.M), "tafelctl status does not say the disk is full:\n" + st)
        expect("DISK FULL" in st, "tafelctl status has no DISK FULL among the recent errors")
        # Keep hammering: refused writes still write WAL (abort records), so
        # PostgreSQL may run out of room for its log and stop.
        seen = {}
        for _ in range(300):
            a = c.request("create_case", case_request(summary[:4000] + w.key()), key=w.key(), timeout=60)
            name = a.WhichOneof("body") if a.WhichOneof("body") != "error" else pb.ErrorCode.Name(a.error.code)
            seen[name] = seen.get(name, 0) + 1
        say("diskfull: 300 more writes on the full disk: %s" % seen)
        expect(set(seen) <= {"DISK_FULL", "DATABASE_UNAVAILABLE"}, "on a full disk: %s" % seen)
        again = c.request("create_case", case_request(summary), key=k, timeout=60)
        expect(again.WhichOneof("body") == "error" and again.error.code in (pb.DISK_FULL, pb.DATABASE_UNAVAILABLE),
               "the retry while still full: %s" % again)
        os.unlink(os.path.join(d, "fill"))
        t0 = time.monotonic()
        while True:
            a = c.request("create_case", case_request(summary), key=k, timeout=60)
            if a.WhichOneof("body") == "case_record" or time.monotonic() - t0 > 60:
                break
            time.sleep(0.5)
        expect(a.WhichOneof("body") == "case_record", "after freeing space: %s" % a)
        say("diskfull: space freed; the refused write (same key) was applied after %.1f s"
            % (time.monotonic() - t0))
        ev = sub.wait_event(lambda e: e.case.id == a.case_record.id, timeout=20)
        got = count_by_summary(c, summary)
        expect(got.get(summary) == [a.case_record.id], "stored %s" % got.get(summary))
        expect("DISK FULL" in srv.log_text(), "tafeld did not log DISK FULL")
        say("diskfull: the subscriber got its event (seq %d); the write is stored once" % ev.seq)
        st = srv.ctl("status").decode()
        expect(re.search(r"^disk: ", st, re.M) and not re.search(r"^disk: .*FULL", st, re.M),
               "tafelctl status after freeing space:\n" + st)
        # A start on a full disk: PostgreSQL cannot even write its pid file.
        # tafeld must refuse with the reason, and start once space is freed.
        srv.stop()
        fill(os.path.join(d, "fill"))
        try:
            srv.start()
            raise AssertionError("tafeld started on a full disk")
        except AssertionError as ex:
            expect("did not start" in str(ex), str(ex))
        expect(re.search(r"file system is FULL", srv.log_text()), "no FULL in the failed start's log:\n" + srv.tail())
        say("diskfull: a start on the full disk was refused: %s"
            % re.search(r"ERROR: [^\n]*file system is FULL[^\n]*", srv.log_text()).group(0)[:240])
        os.unlink(os.path.join(d, "fill"))
        srv.start()
        c = srv.login(retry_for=30)
        got = count_by_summary(c, summary)
        expect(got.get(summary) == [a.case_record.id], "after the restart: stored %s" % got.get(summary))
        say("diskfull: started again after freeing space; the write is there once")
    finally:
        srv.stop()
        stop_cluster(os.path.join(d, "pg", "data"))
        if subprocess.run(["umount", d]).returncode != 0:
            subprocess.run(["umount", "-l", d])  # never leave a mount behind
        srv.cleanup()


def s_pushlag():
    """Live events under a steady stream of writes.  One client pipelines
    writes (8 outstanding, more than the pool's 4 connections; the rate limit
    raised so that it never refuses); a subscriber on another connection
    notes when each write's event arrives.  The check counts, for each
    write, how many later writes the writer had answered when its event
    arrived: events must keep pace with the answers, not wait until the
    stream ends.  Lags in milliseconds are printed."""
    srv = Server(extra=["--set", "rate_session=1000", "--set", "rate_burst=1000"])
    try:
        sub = srv.start_demo_follower()
        arrived = {}

        def listen():
            try:
                while True:
                    env = sub.recv_env(30)
                    if env.WhichOneof("body") == "event" and env.event.HasField("case"):
                        arrived.setdefault(env.event.case.id, time.monotonic())
            except (w.Closed, w.Timeout, OSError):
                pass
        lt = threading.Thread(target=listen, daemon=True)
        lt.start()
        c = srv.login()
        order = []  # (case id, answer time) in the order of the answers

        class Acked(dict):
            def __setitem__(self, k, v):
                order.append((v, time.monotonic()))
                dict.__setitem__(self, k, v)
        wr = Writer(srv, "lag-%d" % os.getpid(), total=300, depth=8)
        wr.acked = Acked()
        t0 = time.monotonic()
        wr.run(c)
        expect(wr.ended == "done", "the writer stopped: %s" % wr.ended)
        took = time.monotonic() - t0
        deadline = time.monotonic() + 30
        while len(arrived) < len(order) and time.monotonic() < deadline:
            time.sleep(0.1)
        expect(len(arrived) == len(order), "%d events for %d writes" % (len(arrived), len(order)))
        times = [t for _, t in order]
        behind, lags = [], []
        for cid, t in order:
            behind.append(sum(1 for x in times if t < x <= arrived[cid]))
            lags.append(arrived[cid] - t)
        behind.sort()
        say("pushlag: %d writes in %.1f s (%.0f/s); event after its write's answer: p50 %.1f ms, p99 %.1f ms, "
            "max %.1f ms; answers to later writes by then: p50 %d, max %d"
            % (len(order), took, len(order) / took, pct(lags, .5), pct(lags, .99), max(lags) * 1000,
               behind[len(behind) // 2], behind[-1]))
        expect(behind[len(behind) // 2] <= 16,
               "events fall behind the writes: at the median %d later writes were answered before a write's "
               "event arrived" % behind[len(behind) // 2])
    finally:
        srv.cleanup()


# ---------------------------------------------------------------------------
# A swarm: floods from several addresses, one kind at a time
# ---------------------------------------------------------------------------

def client_hello(ca):
    """The bytes of a TLS 1.3 ClientHello, to send and then fall silent."""
    import ssl
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = w.tls_context(ca).wrap_bio(inc, out, server_hostname="127.0.0.1")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def vm_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Bystander:
    """A normal user on an address of its own (127.0.0.200): a logged-in
    connection that pings, and new connections with a password login from
    127.0.0.201.  Records the round trips and what failed."""

    def __init__(self, srv):
        self.srv = srv
        self.c = srv.login("politie", source_address=("127.0.0.200", 0))
        self.nonce = 1

    def measure(self, seconds):
        pings, logins, failed = [], [], []
        end = time.monotonic() + seconds
        next_login = time.monotonic()
        while time.monotonic() < end:
            t0 = time.monotonic()
            try:
                r = self.c.request("ping", pb.PingRequest(nonce=self.nonce), timeout=30)
                self.nonce += 1
                if r.WhichOneof("body") == "pong":
                    pings.append(time.monotonic() - t0)
                else:
                    failed.append("ping: %s" % r)
            except (w.Closed, w.Timeout, OSError) as ex:
                failed.append("ping: %s" % type(ex).__name__)
                self.c = self.srv.login("politie", retry_for=30, source_address=("127.0.0.200", 0))
            if time.monotonic() >= next_login:
                next_login = time.monotonic() + 1.0
                t0 = time.monotonic()
                try:
                    c = self.srv.connect(source_address=("127.0.0.201", 0))
                    r = c.login("politie", "demo")
                    c.close()
                    if r.WhichOneof("body") == "login_ok":
                        logins.append(time.monotonic() - t0)
                    else:
                        failed.append("login: %s" % pb.ErrorCode.Name(r.error.code))
                except (w.Closed, w.Timeout, OSError, AssertionError) as ex:
                    failed.append("new connection: %s" % type(ex).__name__)
            time.sleep(0.06)
        return pings, logins, failed


def report(name, pings, logins, failed, extra=""):
    say("swarm %-10s bystander: %d pings p50 %.1f ms p99 %.1f ms max %.1f ms; %d new logins p50 %.0f ms max "
        "%.0f ms; %d failed %s%s" % (
            name, len(pings), pct(pings, .5) if pings else -1, pct(pings, .99) if pings else -1,
            max(pings) * 1000 if pings else -1, len(logins), pct(logins, .5) if logins else -1,
            max(logins) * 1000 if logins else -1, len(failed), sorted(set(failed))[:4], extra))


def swarm_tcp(port, addr, stop, hold, hello, counts):
    """Opens connections from addr as fast as it can and keeps `hold` of
    them; with hello, sends a ClientHello on each and then nothing."""
    held = []
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(addr, 0))
            if hello:
                s.sendall(hello)
            held.append(s)
            with counts.get_lock():
                counts.value += 1
        except OSError:
            time.sleep(0.005)
        if len(held) >= hold:
            # drop the ones the server has closed, then pause a little
            alive = []
            for s in held:
                s.setblocking(False)
                try:
                    if s.recv(65536) == b"":
                        s.close()
                        continue
                except BlockingIOError:
                    pass
                except OSError:
                    s.close()
                    continue
                alive.append(s)
            held = alive
            if len(held) >= hold:
                time.sleep(0.05)
    for s in held:
        s.close()


def s_swarm():
    """Floods from 8 addresses (127.0.0.1-8), one kind at a time, while a
    bystander on its own address pings and logs in anew every second:
    (1) 1600 TCP connections held without TLS, (2) 1600 half-open TLS
    handshakes (a ClientHello, then silence), (3) 100 logged-in connections
    each sending a frame one byte a second (slow-loris after login),
    (4) 20 logged-in subscribers that never read while a writer changes
    what they follow (each must be cut off at outbuf_limit).  Every
    bystander ping and new login must succeed and tafeld must stay up; its
    RSS and the round trips are printed.  Run by hand (8 flooding
    processes load the machine for two minutes): faults.sh --only swarm."""
    import multiprocessing as mp
    # (3) logs in one user 100 times: max_sessions_per_user (64) lifted
    srv = Server(extra=["--set", "rate_session=1000", "--set", "rate_burst=1000",
                        "--set", "outbuf_limit=1048576",
                        "--set", "max_sessions_per_user=1000"])
    addrs = ["127.0.0.%d" % i for i in range(1, 9)]
    try:
        srv.start()
        srv.ctl("demo-data")
        pid = srv.proc.pid
        by = Bystander(srv)
        pings, logins, failed = by.measure(4)
        report("baseline", pings, logins, failed, "; tafeld RSS %d MiB" % (vm_rss_kb(pid) // 1024))
        expect(not failed, "before any flood: %s" % failed)
        hello = client_hello(srv.ca)
        for name, payload in (("tcp", None), ("tls-half", hello)):
            stop = mp.Event()
            counts = mp.Value("q", 0)
            ps = [mp.Process(target=swarm_tcp, args=(srv.port, a, stop, 200, payload, counts)) for a in addrs]
            for p_ in ps:
                p_.start()
            time.sleep(2)
            pings, logins, failed = by.measure(8)
            rss = vm_rss_kb(pid)
            stop.set()
            for p_ in ps:
                p_.join(20)
                if p_.is_alive():
                    p_.kill()
            report(name, pings, logins, failed, "; %d flood connections opened; tafeld RSS %d MiB"
                   % (counts.value, rss // 1024))
            expect(srv.proc.poll() is None, "tafeld died during the %s flood" % name)
            # New connections included: the flooders' idle sockets make room
            # for another address (docs/security.md, max_unauthenticated).
            expect(not failed, "the bystander during the %s flood: %s" % (name, failed))
        # (3) slow-loris after login: a frame one byte a second.
        slow = []
        for i in range(100):
            slow.append(srv.login("voorzitter", retry_for=30, source_address=(addrs[i % 8], 0)))
        env = pb.Envelope(request_id=1)
        env.ping.nonce = 1
        frame = w.frame(env.SerializeToString()) * 50
        stop = threading.Event()
        cut = [0]

        def drip():
            i = 0
            while not stop.is_set() and i < len(frame):
                for c in slow:
                    if c is None:
                        continue
                    try:
                        c.send_raw(frame[i:i + 1])
                    except OSError:
                        cut[0] += 1
                i += 1
                stop.wait(1.0)
        t = threading.Thread(target=drip, daemon=True)
        t.start()
        pings, logins, failed = by.measure(8)
        rss = vm_rss_kb(pid)
        stop.set()
        t.join(5)
        report("slowloris", pings, logins, failed, "; 100 connections dripping; tafeld RSS %d MiB" % (rss // 1024))
        expect(not failed, "slow-loris: %s" % failed)
        for c in slow:
            c.close()
        # (4) subscribers that never read, while a writer changes what they follow.
        deaf = []
        for i in range(20):
            c = srv.login("voorzitter", retry_for=30, source_address=(addrs[i % 8], 0))
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            r = c.request("subscribe", pb.SubscribeRequest(topic=pb.TOPIC_CASE_LIST))
            expect(r.WhichOneof("body") == "subscribed", "subscribe %s" % r)
            deaf.append(c)
        stop = threading.Event()
        peak = [0]

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], vm_rss_kb(pid))
                stop.wait(0.25)
        writer_out = {}

        def write():
            # 800 cases of about 7 kB each: some 5.6 MB for each subscriber,
            # more than outbuf_limit (1 MiB here) plus what the kernel holds.
            wc = srv.login("voorzitter", source_address=("127.0.0.9", 0))
            wr = Writer(srv, "deaf-%d" % os.getpid(), total=800, depth=4, pad=" " + "x" * 7000)
            wr.run(wc)
            writer_out["ended"], writer_out["n"] = wr.ended, len(wr.acked)
            writer_out["rss"] = vm_rss_kb(pid)
        rss0 = vm_rss_kb(pid)
        ts = [threading.Thread(target=sample, daemon=True), threading.Thread(target=write, daemon=True)]
        for t in ts:
            t.start()
        pings, logins, failed = by.measure(10)
        ts[1].join(180)
        stop.set()
        ts[0].join(5)
        for c in deaf:
            c.close()
        stalled = srv.log_text().count("client is not reading; disconnecting")
        # The peak includes password hashes in flight (the bystander's
        # logins): libsodium's Argon2id takes 64 MiB per hash_threads worker.
        report("deaf", pings, logins, failed, "; writer %s (%d writes); tafeld RSS before %d MiB, after the "
               "writes %d MiB, peak %d MiB; %d of 20 deaf subscribers cut off as not reading"
               % (writer_out.get("ended"), writer_out.get("n", 0), rss0 // 1024, writer_out.get("rss", 0) // 1024,
                  peak[0] // 1024, stalled))
        expect(not failed, "deaf subscribers: %s" % failed)
        expect(writer_out.get("ended") == "done", "the writer: %s" % writer_out)
        expect(stalled >= 20, "%d of 20 subscribers that never read were cut off" % stalled)
        expect(srv.proc.poll() is None, "tafeld died")
    finally:
        srv.cleanup()


SCENARIOS = {"pushlag": s_pushlag, "kill9": s_kill9, "pgstop": s_pgstop, "flood": s_flood, "diskfull": s_diskfull,
             "swarm": s_swarm, "pgstop-ext": s_pgstop_ext, "pghang": s_pghang,
             "vanish": s_vanish, "vanish-idle": s_vanish_idle}


def main():
    global A, pb
    ap = argparse.ArgumentParser()
    ap.add_argument("--tafeld", required=True)
    ap.add_argument("--tafelctl", required=True)
    ap.add_argument("--proto-dir", required=True)
    ap.add_argument("--user", default="tafel")
    ap.add_argument("--only", default=",".join(SCENARIOS))
    A = ap.parse_args()
    pb = w.load_proto(A.proto_dir)
    # meson's timeout sends SIGTERM: end the way an exception does, so that
    # every scenario's finally runs (stops its tafeld, unmounts its tmpfs).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for name in A.only.split(","):
        t0 = time.monotonic()
        try:
            SCENARIOS[name]()
            print("ok   %s (%.0f s)" % (name, time.monotonic() - t0), flush=True)
        except Exception as ex:  # noqa: BLE001
            failures.append(name)
            print("FAIL %s: %s: %s" % (name, type(ex).__name__, ex), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
