"""A Tafel protocol client written from docs/protocol.md and proto/tafel.proto alone.

Framing (4-byte big-endian length + one protobuf Envelope), TLS 1.3 against the
private CA, the Hello exchange, and helpers to send requests and wait for their
answers while keeping the events that arrive in between.
"""

import importlib
import os
import select
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time
import uuid

pb = None


def load_proto(proto_dir):
    """Generates tafel_pb2 with protoc --python_out and imports it."""
    global pb
    if pb is not None:
        return pb
    out = tempfile.mkdtemp(prefix="tafel-outside-pb-")
    subprocess.run(["protoc", "--proto_path=" + proto_dir, "--python_out=" + out,
                    os.path.join(proto_dir, "tafel.proto")], check=True)
    sys.path.insert(0, out)
    try:
        pb = importlib.import_module("tafel_pb2")
    finally:
        sys.path.remove(out)
        shutil.rmtree(out, ignore_errors=True)  # the module stays loaded
    return pb


class Closed(Exception):
    """The server ended the stream. clean: a TLS close_notify (not a reset or a
    bare TCP FIN)."""

    def __init__(self, clean):
        super().__init__("connection closed (%s)" % ("clean" if clean else "unclean"))
        self.clean = clean


class Timeout(Exception):
    pass


_contexts = {}


def tls_context(ca_file):
    """One context per CA file, so that TLS sessions can be resumed."""
    if ca_file in _contexts:
        return _contexts[ca_file]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.maximum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_verify_locations(cafile=ca_file)  # the private CA only
    ctx.check_hostname = True
    _contexts[ca_file] = ctx
    return ctx


class Conn:
    """One TLS connection to tafeld."""

    def __init__(self, host, port, ca_file, hello=True, session=None, source_address=None):
        self.host = host
        self.ctx = tls_context(ca_file)
        raw = socket.create_connection((host, port), timeout=10, source_address=source_address)
        # suppress_ragged_eofs=False: an EOF without close_notify raises, so
        # a clean close can be told from an unclean one.
        self.sock = self.ctx.wrap_socket(raw, server_hostname=host,
                                         suppress_ragged_eofs=False, session=session)
        self.buf = b""
        self.events = []
        self.answers = {}
        self.pipelined = False  # set when several requests are outstanding
        self.next_id = 1
        self.server_hello = None
        if hello:
            self.hello()

    # --- framing -------------------------------------------------------
    def send_raw(self, data):
        self.sock.sendall(data)

    def send_env(self, env):
        payload = env.SerializeToString()
        self.sock.sendall(struct.pack(">I", len(payload)) + payload)

    def _fill(self, deadline):
        while True:
            if self.sock.pending() == 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Timeout()
                r, _, _ = select.select([self.sock], [], [], left)
                if not r:
                    raise Timeout()
            try:
                data = self.sock.recv(65536)
            except ssl.SSLWantReadError:
                continue
            except (ssl.SSLEOFError, ConnectionResetError, BrokenPipeError):
                raise Closed(False)
            if not data:
                raise Closed(True)
            self.buf += data
            return

    def recv_env(self, timeout=10.0):
        """Reads one frame; raises Closed at end of stream, Timeout."""
        deadline = time.monotonic() + timeout
        while len(self.buf) < 4:
            self._fill(deadline)
        (n,) = struct.unpack(">I", self.buf[:4])
        if n > 1048576:
            raise AssertionError("server sent a frame of %d bytes (over max_frame)" % n)
        while len(self.buf) < 4 + n:
            self._fill(deadline)
        payload, self.buf = self.buf[4:4 + n], self.buf[4 + n:]
        env = pb.Envelope()
        env.ParseFromString(payload)
        return env

    def read_until_close(self, timeout=10.0):
        """Reads frames until the server closes; returns (frames, clean)."""
        frames = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                frames.append(self.recv_env(max(0.01, deadline - time.monotonic())))
            except Closed as c:
                return frames, c.clean

    # --- session -------------------------------------------------------
    def hello(self, version=1):
        h = pb.Envelope()
        h.hello.protocol_version = version
        h.hello.software = "tafel-outside"
        h.hello.software_version = "0.1"
        self.send_env(h)
        env = self.recv_env()
        assert env.WhichOneof("body") == "hello", env
        self.server_hello = env.hello
        return env.hello

    def new_id(self):
        rid = self.next_id
        self.next_id += 1
        return rid

    def request(self, body, msg=None, key=None, rid=None, timeout=15.0):
        """Sends one request; returns its answer Envelope. Events that arrive
        meanwhile are kept in self.events."""
        env = pb.Envelope()
        env.request_id = self.new_id() if rid is None else rid
        if key is not None:
            env.idempotency_key = key
        getattr(env, body).SetInParent()
        if msg is not None:
            getattr(env, body).CopyFrom(msg)
        self.send_env(env)
        return self.wait_answer(env.request_id, timeout)

    def wait_answer(self, rid, timeout=15.0):
        """Answers may come in another order than the requests (protocol.md
        5.1): answers to other pipelined requests are kept for later."""
        if rid in self.answers:
            return self.answers.pop(rid)
        deadline = time.monotonic() + timeout
        while True:
            env = self.recv_env(max(0.01, deadline - time.monotonic()))
            if env.WhichOneof("body") == "event":
                self.events.append(env.event)
                continue
            if env.request_id == rid:
                return env
            if env.request_id != 0 and self.pipelined:
                self.answers[env.request_id] = env
                continue
            raise AssertionError("unexpected frame while waiting for %d: %s" % (rid, env))

    def wait_event(self, pred, timeout=10.0):
        """Returns the first kept or arriving event for which pred holds."""
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if pred(ev):
                    return self.events.pop(i)
            env = self.recv_env(max(0.01, deadline - time.monotonic()))
            if env.WhichOneof("body") != "event":
                raise AssertionError("unexpected frame while waiting for an event: %s" % env)
            self.events.append(env.event)

    def drain_events(self, quiet=1.0):
        """Collects events until none arrives for `quiet` seconds."""
        while True:
            try:
                env = self.recv_env(quiet)
            except Timeout:
                return
            assert env.WhichOneof("body") == "event", env
            self.events.append(env.event)

    def login(self, login, password=None, ticket=None):
        req = pb.LoginRequest(login=login)
        if password is not None:
            req.password = password
        if ticket is not None:
            req.resume_ticket = ticket
        return self.request("login", req)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def key():
    return str(uuid.uuid4())


def frame(payload):
    return struct.pack(">I", len(payload)) + payload


# The checks' common frame (tafel_outside.py, tafel_lifecycle.py): a check is
# a function marked with its name; a failed expectation raises.

def check(name):
    def deco(fn):
        fn.check_name = name
        return fn
    return deco


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def server_args(ap):
    """The command line both check programs share: where the server is."""
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--proto-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "proto"))


def run_check(fn, failures):
    """Runs one check, prints ok or FAIL with the reason, and records a failure."""
    try:
        fn()
        print("ok   %s" % fn.check_name, flush=True)
    except Exception as ex:  # noqa: BLE001 - report and go on
        failures.append(fn.check_name)
        print("FAIL %s: %s: %s" % (fn.check_name, type(ex).__name__, ex), flush=True)
