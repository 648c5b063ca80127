"""The endpoint under load: 20 clients for 30 seconds, with heavy queries mixed in.

Every request gets an answer: ordinary queries 200, heavy ones a clean 503 at the time
limit, malformed ones 400, updates 403, and the server keeps answering throughout. One
client keeps sending heavy queries: it holds one of the two query workers at its limit,
and the other 19 clients are still served by the other.
Traffic goes to 127.0.0.1 only; loops are bounded in time and count.
"""
import json
import threading
import time

from test_serve import HEAVY, MEMBERS, get, start_server, stop_server

CLIENTS = 20
SECONDS = 30


def test_twenty_clients_for_thirty_seconds_are_all_answered(hand_graph_files):
    proc, url = start_server("--graph", str(hand_graph_files / "store"), "--timeout", "2",
                             "--max-results", "100")
    results, errors = [], []
    lock = threading.Lock()

    def client(n):
        deadline = time.monotonic() + SECONDS
        count = 0
        while time.monotonic() < deadline and count < 2000:
            count += 1
            kind = ("heavy" if n == 0 and count % 3 == 0 else
                    "bad" if n == 2 and count % 2 == 0 else
                    "update" if n == 3 and count % 2 == 0 else "members")
            query = {"heavy": HEAVY, "bad": "SELECT ?x WHERE { ?x", "members": MEMBERS,
                     "update": None}[kind]
            try:
                if kind == "update":
                    status, _, body = get(url, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
                else:
                    status, _, body = get(url, query)
            except Exception as exc:  # any unanswered request fails the test below
                with lock:
                    errors.append((kind, repr(exc)))
                continue
            rows = len(json.loads(body)["results"]["bindings"]) if status == 200 else None
            with lock:
                results.append((kind, status, rows))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(SECONDS + 120)
        status, _, body = get(url, "ASK { ?p a hh:Project }")
    finally:
        stop_server(proc)
    assert not errors, errors[:5]
    by_kind = {}
    for kind, status_, rows in results:
        by_kind.setdefault(kind, set()).add((status_, rows))
    assert by_kind["members"] == {(200, 10)}
    assert by_kind["heavy"] == {(503, None)}
    assert by_kind["bad"] == {(400, None)}
    assert {s for s, _ in by_kind["update"]} <= {400, 403}
    assert sum(1 for k, _, _ in results if k == "members") >= CLIENTS
    assert status == 200 and json.loads(body)["boolean"] is True
