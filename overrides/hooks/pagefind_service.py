"""A small synchronous client of `pagefind --service`, the protocol that Pagefind's own Node and
Python APIs speak: each request and each response is base64-encoded JSON followed by a comma, on
the process's stdin and stdout. search_index.py uses it to index pages while they are built.

Pagefind's Python package speaks the same protocol, but its reader sleeps 0.1 s before reading each
response, so 3000 pages take five minutes or more; this client hands pages to a writer thread,
never waits for an answer while the site builds, and waits only before the index is built.
"""

from __future__ import annotations

import base64
import json
import queue
import re
import subprocess
import threading

# Pipes of 1 MiB (Linux's limit for a user; elsewhere ignored), not 64 KiB: a page is sent in
# one write, which then seldom waits for Pagefind to read its previous ones.
PIPE_SIZE = 1 << 20
# What Pagefind writes to stderr is a problem when it says so; other lines are reported with it.
PROBLEM = re.compile(r"error|warn|panic", re.I)


class PagefindError(Exception):
    pass


class PagefindService:
    """One `pagefind --service` process holding one index. close() ends it, whatever happened."""

    def __init__(self, executable: str) -> None:
        try:
            self._process = subprocess.Popen([executable, "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, pipesize=PIPE_SIZE)
        except OSError as error:
            raise PagefindError(f"cannot start {executable} --service: {error}") from None
        self._lock = threading.Condition()
        self._last_id = 0
        self._pending: dict[int, str] = {}  # unanswered requests: what each is about, by message id
        self._wanted: dict[int, dict | None] = {}  # answers a caller waits for, by message id
        self._errors: list[str] = []  # Error answers, each naming what it was about
        self._stderr: list[str] = []
        self._ended = False  # stdout closed: the process is gone
        self._closing = False
        # Requests go out from a thread of their own, so the build never waits on a full pipe;
        # both output pipes are drained all the time: a full one would stall Pagefind, then us.
        self._outbox: queue.SimpleQueue[tuple[int, dict] | None] = queue.SimpleQueue()
        self._threads = [threading.Thread(target=target, daemon=True)
                         for target in (self._write_requests, self._read_responses, self._read_stderr)]
        for thread in self._threads:
            thread.start()
        self._index = self._request({"type": "NewIndex", "config": None}, "starting", wait=True)["index_id"]

    def add_file(self, html: str, *, url: str, about: str) -> None:
        """Queue a page; Pagefind's answer is checked by get_files()."""
        payload = {"type": "AddFile", "index_id": self._index, "url": url, "file_path": None, "file_contents": html}
        self._request(payload, about)

    def get_files(self) -> dict[str, bytes]:
        """Wait for every queued page, then build the index: its files by path, to be written by the caller."""
        # Not WriteFiles: Pagefind answers it before its buffered writes reach the disk, and a
        # service stopped right after (closing stdin ends it at once) left pagefind-entry.json empty.
        answer = self._request({"type": "GetFiles", "index_id": self._index}, "building the index", wait=True)
        return {file["path"]: base64.b64decode(file["content"]) for file in answer["files"]}

    def close(self) -> list[str]:
        """End the process (closing its stdin stops it) and return the problems not yet raised."""
        self._closing = True  # requests still queued are not sent
        self._outbox.put(None)
        self._threads[0].join(timeout=10)
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            status = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            status = self._process.wait()
        for thread in self._threads:
            thread.join(timeout=10)
        with self._lock:
            problems = self._take_problems()
            if status:
                problems.append(f"Pagefind exited with status {status}")
            return problems

    def _request(self, payload: dict, about: str, *, wait: bool = False) -> dict | None:
        """Send a request; wait for its answer only if asked. Pagefind's Error answers are raised,
        all together, by the next request that waits; a process that is gone, at once."""
        with self._lock:
            if self._ended:
                self._check()
            self._last_id += 1
            message_id = self._last_id
            self._pending[message_id] = about
            if wait:
                self._wanted[message_id] = None
        self._outbox.put((message_id, payload))
        with self._lock:
            if wait:  # for this and every earlier request: Pagefind may answer in any order
                self._lock.wait_for(lambda: self._ended or not self._pending)
                self._check()
                return self._wanted.pop(message_id)
            if self._process.poll() is not None:
                self._lock.wait_for(lambda: self._ended, timeout=10)
                self._check()
            return None

    def _check(self) -> None:
        """Raise every problem so far, once (call with the lock held)."""
        problems = self._take_problems()
        if self._ended:
            unanswered = list(self._pending.values())
            self._pending.clear()
            try:
                status = self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                status = "unknown"
            problems.insert(0, f"Pagefind stopped (exit status {status})" +
                            (f" before answering: {', '.join(unanswered[:3])}" if unanswered else "") +
                            (f" and {len(unanswered) - 3} more" if len(unanswered) > 3 else ""))
        if problems:
            raise PagefindError("; ".join(problems))

    def _take_problems(self) -> list[str]:
        problems = self._errors + [line for line in self._stderr if PROBLEM.search(line)]
        if problems:
            problems += [line for line in self._stderr if not PROBLEM.search(line)]
        self._errors, self._stderr = [], []
        return problems

    def _write_requests(self) -> None:
        while (request := self._outbox.get()) is not None and not self._closing:
            message_id, payload = request
            message = json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")
            try:
                self._process.stdin.write(base64.b64encode(message) + b",")
                self._process.stdin.flush()
            except OSError:  # the process is gone: its reader sees the end of stdout and says so
                return

    def _read_responses(self) -> None:
        unfinished: list[bytes] = []  # the parts of a message not yet ended by its comma
        while chunk := self._process.stdout.read1(1 << 20):
            if b"," not in chunk:  # the index comes as one message of tens of MB: join it once
                unfinished.append(chunk)
                continue
            *messages, rest = b"".join([*unfinished, chunk]).split(b",")
            unfinished = [rest]
            with self._lock:
                for message in messages:
                    self._receive(message)
                self._lock.notify_all()
        with self._lock:
            self._ended = True
            self._lock.notify_all()

    def _receive(self, message: bytes) -> None:
        try:
            response = json.loads(base64.b64decode(message))
            message_id, payload = response["message_id"], response["payload"]
            kind = payload["type"]
        except (ValueError, TypeError, KeyError):
            self._errors.append(f"Pagefind: unreadable answer {message[:80]!r}")
            return
        if message_id is None:  # an answer to no request we can tell: none of them can be trusted
            self._pending.clear()
        about = self._pending.pop(message_id, None)
        if kind == "Error":
            self._errors.append(f"{about or 'Pagefind'}: {payload.get('message')}")
        elif message_id in self._wanted:
            self._wanted[message_id] = payload

    def _read_stderr(self) -> None:
        for line in self._process.stderr:
            if text := line.decode("utf-8", "replace").rstrip():
                with self._lock:
                    self._stderr.append(text)
