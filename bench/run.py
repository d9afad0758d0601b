#!/usr/bin/python3
"""Runs orm's benchmark workloads (bench/WORKLOADS.md) for every implementation.

Called by bench/run.sh with the database URLs. Creates and seeds the tables,
runs each (workload, implementation) once per repetition, interleaved, checks
every answer (exit code, row count, checksum, and the table for writers),
prints a table per backend and writes all samples as JSON and the tables as
Markdown. Exit code 1 when some implementation returned wrong data or crashed.
"""

import argparse
import datetime
import json
import os
import platform
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse

WORKLOADS = ["W1a", "W1b", "W2", "W2s", "W3", "W4", "W5", "W6", "W6L"]
WRITERS = {"W1a", "W1b", "W4"}
BASE_TIME = datetime.datetime(2026, 1, 1)
AUTHORS = 1000
BOOKS = 100000
LOOKUPS = 10000
W6_USERS = {"W6": 100, "W6L": 10000}  # users loaded; each has 10 posts, each post 10 comments
W6_SEEDED_USERS = 10000
UNSUPPORTED_EXIT = 3
PYTHON = "/usr/bin/python3"


class Impl:
    """One implementation: a label and its command line (program first)."""

    def __init__(self, label, command, backends):
        self.label = label
        self.command = command
        self.backends = backends  # the backends it can possibly run on

    def program(self):
        """The file that must exist for this implementation to run."""
        return self.command[1] if self.command[0] == PYTHON else self.command[0]


def implementations(bin_dir, bench_dir, baseline_bin_dir=None):
    """Every implementation, in the order of the tables; with a baseline build
    directory, that build's orm too (orm-engine@base, orm-session@base), run
    interleaved with the others so that a change is compared within one run."""
    both = {"mysql", "sqlite"}
    py = os.path.join(bench_dir, "sqlalchemy_bench.py")
    baseline = []
    if baseline_bin_dir:
        program = os.path.join(baseline_bin_dir, "orm_bench")
        baseline = [Impl("orm-engine@base", [program, "--api", "engine"], both),
                    Impl("orm-session@base", [program, "--api", "session"], both)]
    return [
        Impl("raw-libmariadb", [os.path.join(bin_dir, "raw_libmariadb")], {"mysql"}),
        Impl("raw-cppconn", [os.path.join(bin_dir, "raw_cppconn")], {"mysql"}),
        Impl("raw-sqlite3", [os.path.join(bin_dir, "raw_sqlite3")], {"sqlite"}),
        Impl("orm-engine", [os.path.join(bin_dir, "orm_bench"), "--api", "engine"], both),
        Impl("orm-session", [os.path.join(bin_dir, "orm_bench"), "--api", "session"], both),
    ] + baseline + [
        Impl("soci", [os.path.join(bin_dir, "soci_bench")], both),
        Impl("sqlalchemy-core", [PYTHON, py, "--api", "core"], both),
        Impl("sqlalchemy-orm", [PYTHON, py, "--api", "orm"], both),
    ]


# ---------------------------------------------------------------- rows and checksums


def h(text):
    """The contract's string hash: sum of byte * (position + 1)."""
    return sum((k + 1) * b for k, b in enumerate(text.encode()))


def person(i):
    """Person row i as (id, name, email, age, score, created seconds)."""
    email = None if i % 10 == 0 else "user%d@example.com" % i
    return (i, "name-%d" % i, email, 18 + i % 60, i * 0.25, i)


def row_sum(pid, name, email, age, score, created_seconds):
    """The contract's row_sum of one person."""
    return (pid + 3 * age + 5 * h(name) + 7 * (1 if email is None else h(email))
            + 11 * round(score * 4) + 13 * created_seconds)


_person_sums = {}


def person_sum(n):
    """Sum of row_sum over persons 1..n (cached)."""
    if n not in _person_sums:
        _person_sums[n] = sum(row_sum(*person(i)) for i in range(1, n + 1))
    return _person_sums[n]


def lookup_sum(n):
    """The W3 checksum: row_sum over ids 1 + (k * 7919) % n, k < 10000."""
    return sum(row_sum(*person(1 + (k * 7919) % n)) for k in range(LOOKUPS))


def report_sum():
    """The W5 checksum of the seeded authors and books."""
    count = [0] * (AUTHORS + 1)
    total = [0.0] * (AUTHORS + 1)
    for j in range(1, BOOKS + 1):
        a = 1 + j % AUTHORS
        count[a] += 1
        total[a] += (j % 100) * 0.5 + 1
    return sum(a + 3 * count[a] + 5 * h("author-%d" % a) + 7 * round(total[a] / count[a] * 100)
               for a in range(1, AUTHORS + 1) if count[a])


_w6_sums = {}


def w6_sum(users):
    """The W6 checksum of users 1..users with their posts and comments (bench/WORKLOADS.md)."""
    if users not in _w6_sums:
        total = sum(u + 3 * h("user-%d" % u) for u in range(1, users + 1))
        for p in range(1, 10 * users + 1):
            u = 1 + (p - 1) // 10
            total += 5 * p + 7 * h("post-%d" % p) + 17 * (u % 1000) * (p % 1000)
        for c in range(1, 100 * users + 1):
            p = 1 + (c - 1) // 10
            total += 11 * c + 13 * h("comment-%d" % c) + 19 * (p % 1000) * (c % 1000)
        _w6_sums[users] = total
    return _w6_sums[users]


def created_text(seconds):
    """'YYYY-MM-DD HH:MM:SS' of the base time + seconds."""
    return (BASE_TIME + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")


def created_seconds(value):
    """Seconds since the base of a DATETIME read back (datetime or text)."""
    if isinstance(value, str):
        value = datetime.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    return int((value - BASE_TIME).total_seconds())


# ---------------------------------------------------------------- databases


PERSON_COLUMNS = "id, name, email, age, score, created"

MYSQL_DDL = [
    "DROP TABLE IF EXISTS bench_comment",
    "DROP TABLE IF EXISTS bench_post",
    "DROP TABLE IF EXISTS bench_user",
    "DROP TABLE IF EXISTS bench_book",
    "DROP TABLE IF EXISTS bench_author",
    "DROP TABLE IF EXISTS bench_person",
    "DROP TABLE IF EXISTS bench_stream",
    "CREATE TABLE bench_person (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL, "
    "email VARCHAR(128) NULL, age INT NOT NULL, score DOUBLE NOT NULL, created DATETIME NOT NULL) ENGINE=InnoDB",
    "CREATE TABLE bench_stream (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL, "
    "email VARCHAR(128) NULL, age INT NOT NULL, score DOUBLE NOT NULL, created DATETIME NOT NULL) ENGINE=InnoDB",
    "CREATE TABLE bench_author (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL) "
    "ENGINE=InnoDB",
    "CREATE TABLE bench_book (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, author_id BIGINT NOT NULL, "
    "title VARCHAR(128) NOT NULL, price DOUBLE NOT NULL, "
    "FOREIGN KEY (author_id) REFERENCES bench_author (id)) ENGINE=InnoDB",
    "CREATE TABLE bench_user (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL) ENGINE=InnoDB",
    "CREATE TABLE bench_post (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL, "
    "title VARCHAR(128) NOT NULL, FOREIGN KEY (user_id) REFERENCES bench_user (id)) ENGINE=InnoDB",
    "CREATE TABLE bench_comment (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, post_id BIGINT NOT NULL, "
    "body VARCHAR(128) NOT NULL, FOREIGN KEY (post_id) REFERENCES bench_post (id)) ENGINE=InnoDB",
]

SQLITE_DDL = [
    "DROP TABLE IF EXISTS bench_comment",
    "DROP TABLE IF EXISTS bench_post",
    "DROP TABLE IF EXISTS bench_user",
    "DROP TABLE IF EXISTS bench_book",
    "DROP TABLE IF EXISTS bench_author",
    "DROP TABLE IF EXISTS bench_person",
    "DROP TABLE IF EXISTS bench_stream",
    "CREATE TABLE bench_person (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(64) NOT NULL, "
    "email VARCHAR(128) NULL, age INTEGER NOT NULL, score REAL NOT NULL, created TEXT NOT NULL)",
    "CREATE TABLE bench_stream (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(64) NOT NULL, "
    "email VARCHAR(128) NULL, age INTEGER NOT NULL, score REAL NOT NULL, created TEXT NOT NULL)",
    "CREATE TABLE bench_author (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(64) NOT NULL)",
    "CREATE TABLE bench_book (id INTEGER PRIMARY KEY AUTOINCREMENT, author_id INTEGER NOT NULL, "
    "title VARCHAR(128) NOT NULL, price REAL NOT NULL, FOREIGN KEY (author_id) REFERENCES bench_author (id))",
    "CREATE INDEX bench_book_author ON bench_book (author_id)",
    "CREATE TABLE bench_user (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(64) NOT NULL)",
    "CREATE TABLE bench_post (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, "
    "title VARCHAR(128) NOT NULL, FOREIGN KEY (user_id) REFERENCES bench_user (id))",
    "CREATE INDEX bench_post_user ON bench_post (user_id)",
    "CREATE TABLE bench_comment (id INTEGER PRIMARY KEY AUTOINCREMENT, post_id INTEGER NOT NULL, "
    "body VARCHAR(128) NOT NULL, FOREIGN KEY (post_id) REFERENCES bench_post (id))",
    "CREATE INDEX bench_comment_post ON bench_comment (post_id)",
]


class Database:
    """The harness's own access to one backend (MySQLdb or sqlite3), one connection per task."""

    def __init__(self, backend, url):
        self.backend = backend
        self.url = url
        if backend == "mysql":
            import MySQLdb  # Debian python3-mysqldb
            self._mysqldb = MySQLdb
            parts = urllib.parse.urlsplit(url)
            self._connect_args = dict(
                host=parts.hostname or "127.0.0.1", port=parts.port or 3306,
                user=urllib.parse.unquote(parts.username or ""),
                passwd=urllib.parse.unquote(parts.password or ""),
                db=parts.path.lstrip("/"), charset="utf8mb4")
        else:
            self.path = url[len("sqlite:///"):]

    def connect(self):
        """A new DB-API connection (in a transaction until commit)."""
        if self.backend == "mysql":
            return self._mysqldb.connect(**self._connect_args)
        return sqlite3.connect(self.path)

    def param(self):
        """The DB-API placeholder."""
        return "%s" if self.backend == "mysql" else "?"

    def run(self, statements):
        """Runs statements and commits."""
        conn = self.connect()
        try:
            cur = conn.cursor()
            for sql in statements:
                cur.execute(sql)
            conn.commit()
        finally:
            conn.close()

    def insert_many(self, table, columns, rows, chunk=10000):
        """Inserts row tuples in chunks with executemany, one transaction."""
        marks = ", ".join([self.param()] * len(columns.split(",")))
        sql = "INSERT INTO %s (%s) VALUES (%s)" % (table, columns, marks)
        conn = self.connect()
        try:
            cur = conn.cursor()
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == chunk:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
            conn.commit()
        finally:
            conn.close()

    def query(self, sql):
        """All rows of a query."""
        conn = self.connect()
        try:
            cur = conn.cursor()
            cur.execute(sql)
            return cur.fetchall()
        finally:
            conn.close()

    def create_schema(self):
        """Drops and creates the four tables with the contract's DDL."""
        self.run(MYSQL_DDL if self.backend == "mysql" else SQLITE_DDL)

    def empty_person(self):
        """Empties bench_person and resets its AUTO_INCREMENT counter."""
        if self.backend == "mysql":
            self.run(["TRUNCATE TABLE bench_person"])
        else:
            self.run(["DELETE FROM bench_person", "DELETE FROM sqlite_sequence WHERE name = 'bench_person'"])

    def seed_people(self, table, n):
        """Fills an empty person-shaped table with rows 1..n."""
        def rows():
            for i in range(1, n + 1):
                p = person(i)
                yield p[:5] + (created_text(p[5]),)
        self.insert_many(table, PERSON_COLUMNS, rows())

    def seed_report(self):
        """Fills bench_author and bench_book."""
        self.insert_many("bench_author", "id, name", ((a, "author-%d" % a) for a in range(1, AUTHORS + 1)))
        self.insert_many("bench_book", "id, author_id, title, price",
                         ((j, 1 + j % AUTHORS, "title-%d" % j, (j % 100) * 0.5 + 1) for j in range(1, BOOKS + 1)))

    def seed_associations(self):
        """Fills bench_user, bench_post and bench_comment (W6): 10,000 users, 10 posts each, 10 comments per post."""
        users = W6_SEEDED_USERS
        self.insert_many("bench_user", "id, name", ((u, "user-%d" % u) for u in range(1, users + 1)))
        self.insert_many("bench_post", "id, user_id, title",
                         ((p, 1 + (p - 1) // 10, "post-%d" % p) for p in range(1, 10 * users + 1)))
        self.insert_many("bench_comment", "id, post_id, body",
                         ((c, 1 + (c - 1) // 10, "comment-%d" % c) for c in range(1, 100 * users + 1)))

    def person_table_check(self, n, expected_sum):
        """Checks bench_person after a writer: n rows whose k-th in id order (k = 1..n) is person k,
        i.e. the row_sum total with k in place of the id is expected_sum. Returns (problem or None,
        whether the ids are exactly 1..n). AUTO_INCREMENT may leave gaps (MariaDB's bulk inserts do)."""
        rows = self.query("SELECT %s FROM bench_person ORDER BY id" % PERSON_COLUMNS)
        if len(rows) != n:
            return "bench_person holds %d rows, expected %d" % (len(rows), n), False
        bad_text = [r[5] for r in rows if isinstance(r[5], str) and len(r[5]) != 19]
        if bad_text:
            return "bench_person.created stored as %r, expected 'YYYY-MM-DD HH:MM:SS'" % bad_text[0], False
        total = sum(row_sum(k, r[1], r[2], r[3], r[4], created_seconds(r[5])) for k, r in enumerate(rows, 1))
        if total != expected_sum:
            return "bench_person checksum %d, expected %d" % (total, expected_sum), False
        return None, rows[0][0] == 1 and rows[-1][0] == n


# ---------------------------------------------------------------- running


class Sample:
    """One run of one (implementation, backend, workload)."""

    def __init__(self, impl, backend, workload, rep):
        self.impl, self.backend, self.workload, self.rep = impl, backend, workload, rep
        self.seconds = None
        self.rows = None
        self.checksum = None
        self.peak_rss_kib = None
        self.status = "ok"  # ok | wrong | error | unsupported | missing
        self.message = ""

    def as_json(self):
        """The sample as a JSON object."""
        return dict(impl=self.impl, backend=self.backend, workload=self.workload, rep=self.rep,
                    seconds=self.seconds, rows=self.rows, checksum=self.checksum,
                    peak_rss_kib=self.peak_rss_kib, status=self.status, message=self.message)


class Runner:
    """Keeps the tables of one backend in the state each workload needs and runs the programs."""

    def __init__(self, db, args):
        self.db = db
        self.args = args
        self.person_state = "unknown"  # empty | seeded | dirty | unknown

    def prepare_once(self, workloads):
        """Creates the tables and seeds the read-only ones."""
        started = time.monotonic()
        self.db.create_schema()
        if "W2s" in workloads:
            self.db.seed_people("bench_stream", self.args.stream_rows)
        if "W5" in workloads:
            self.db.seed_report()
        if any(w in W6_USERS for w in workloads):
            self.db.seed_associations()
        self.person_state = "empty"
        log("%s: tables created and seeded in %.1f s" % (self.db.backend, time.monotonic() - started))

    def before(self, workload):
        """Puts bench_person in the state the workload expects."""
        if workload in ("W1a", "W1b"):
            if self.person_state != "empty":
                self.db.empty_person()
                self.person_state = "empty"
        elif workload in ("W2", "W3", "W4"):
            if self.person_state != "seeded":
                if self.person_state != "empty":
                    self.db.empty_person()
                self.db.seed_people("bench_person", self.args.rows)
                self.person_state = "seeded"

    def after(self, workload, ok):
        """Checks a writer's table; returns the problem or None."""
        if workload not in WRITERS:
            return None
        n = self.args.rows
        expected = person_sum(n) + (3 * n if workload == "W4" else 0)
        problem, dense = self.db.person_table_check(n, expected) if ok else (None, False)
        self.person_state = "seeded" if ok and problem is None and dense and workload != "W4" else "dirty"
        return problem

    def run(self, impl, workload, rep):
        """Runs one program once; returns the samples (two for W3 of a session API)."""
        sample = Sample(impl.label, self.db.backend, workload, rep)
        n = self.args.stream_rows if workload == "W2s" else self.args.rows
        command = impl.command + ["--url", self.db.url, "--workload", workload, "--rows", str(n)]
        self.before(workload)
        try:
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=self.args.timeout, text=True)
        except subprocess.TimeoutExpired:
            sample.status, sample.message = "error", "timed out after %d s" % self.args.timeout
            self.after(workload, False)
            return [sample]
        if done.returncode == UNSUPPORTED_EXIT:
            sample.status = "unsupported"
            return [sample]
        if done.returncode != 0:
            sample.status = "error"
            sample.message = "exit code %d: %s" % (done.returncode, done.stderr.strip()[-500:])
            self.after(workload, False)
            return [sample]
        samples = []
        for line in done.stdout.splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                answer = json.loads(line)
            except ValueError:
                continue
            s = Sample(impl.label, self.db.backend, answer.get("workload", workload), rep)
            s.seconds = answer.get("seconds")
            s.rows = answer.get("rows")
            s.checksum = answer.get("checksum")
            s.peak_rss_kib = answer.get("peak_rss_kib")
            samples.append(s)
        mine = [s for s in samples if s.workload in (workload, workload + "-again")]
        if not any(s.workload == workload for s in mine):
            sample.status, sample.message = "error", "no result line for %s in: %r" % (workload, done.stdout[-300:])
            self.after(workload, False)
            return [sample]
        for s in mine:
            problem = self.check(s)
            if problem:
                s.status, s.message = "wrong", problem
        table_problem = self.after(workload, all(s.status == "ok" for s in mine))
        if table_problem:
            for s in mine:
                s.status, s.message = "wrong", table_problem
        return mine

    def check(self, s):
        """The problem with a sample's rows/checksum, or None."""
        n = self.args.rows
        base = s.workload.replace("-again", "")
        expected = {
            "W1a": (n, None), "W1b": (n, None), "W4": (n, None),
            "W2": (n, person_sum(n)),
            "W2s": (self.args.stream_rows, person_sum(self.args.stream_rows)),
            "W3": (LOOKUPS, lookup_sum(n)),
            "W5": (AUTHORS, report_sum()),
            "W6": (111 * W6_USERS["W6"], w6_sum(W6_USERS["W6"])),
            "W6L": (111 * W6_USERS["W6L"], w6_sum(W6_USERS["W6L"])),
        }[base]
        if not isinstance(s.seconds, (int, float)) or s.seconds < 0:
            return "no valid seconds"
        if s.rows != expected[0]:
            return "rows %s, expected %d" % (s.rows, expected[0])
        if expected[1] is not None and s.checksum != expected[1]:
            return "checksum %s, expected %d" % (s.checksum, expected[1])
        return None


def log(text):
    """Progress on stderr."""
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- report


def median_of(samples):
    """Median seconds of the ok samples, or None."""
    values = [s.seconds for s in samples if s.status == "ok"]
    return statistics.median(values) if values else None


def fmt_seconds(value):
    """Seconds with 3 significant digits."""
    if value is None:
        return "—"
    return "%.3g" % value if value < 100 else "%.0f" % value


def build_tables(backend, impls, workloads, samples, notes):
    """The result tables of one backend as Markdown text."""
    baseline = "raw-libmariadb" if backend == "mysql" else "raw-sqlite3"
    second = "raw-cppconn" if backend == "mysql" else None
    rows_of = {}
    for s in samples:
        if s.backend == backend:
            rows_of.setdefault((s.workload, s.impl), []).append(s)
    shown = []
    for w in workloads:
        shown.append(w)
        if w == "W3" and any(k[0] == "W3-again" for k in rows_of):
            shown.append("W3-again")

    def status_cell(key):
        """'—' or an error marker when no ok sample exists."""
        got = rows_of.get(key, [])
        if any(s.status in ("wrong", "error") for s in got):
            return "**FAILED**"
        return "—"

    def med(key):
        return median_of(rows_of.get(key, []))

    lines = ["### %s" % ("MariaDB (TCP 127.0.0.1)" if backend == "mysql" else "SQLite (file)"), ""]
    header = "| workload | implementation | median s | spread | × %s |" % baseline
    rule = "|---|---|---:|---:|---:|"
    if second:
        header += " × %s |" % second
        rule += "---:|"
    header += " peak RSS MiB |"
    rule += "---:|"
    lines += [header, rule]
    for w in shown:
        base_key = (w.replace("-again", ""), baseline)
        second_key = (w.replace("-again", ""), second)
        for impl in impls:
            key = (w, impl.label)
            got = rows_of.get(key, [])
            if not got or all(s.status == "unsupported" for s in got):
                continue
            m = med(key)
            ok = [s for s in got if s.status == "ok"]
            if m is None:
                cells = [status_cell(key), "", "", ""] + ([""] if second else [])
            else:
                spread = "%.0f%%" % (100.0 * (max(s.seconds for s in ok) - min(s.seconds for s in ok)) / m) \
                    if m > 0 else "0%"
                b = med(base_key)
                ratio = "%.2f" % (m / b) if b else "—"
                cells = [fmt_seconds(m), spread, ratio]
                if second:
                    c = med(second_key)
                    cells.append("%.2f" % (m / c) if c else "—")
                rss = [s.peak_rss_kib for s in ok if isinstance(s.peak_rss_kib, (int, float))]
                cells.append("%.1f" % (max(rss) / 1024.0) if rss else "")
                if len(ok) < len(got):
                    cells[0] += " (%d of %d ok)" % (len(ok), len(got))
            lines.append("| %s | %s | %s |" % (w, impl.label, " | ".join(cells)))
    lines.append("")
    # Compact matrix: ratio vs the baseline per workload and implementation.
    present = [i for i in impls if any(k[1] == i.label and any(s.status != "unsupported" for s in v)
                                       for k, v in rows_of.items())]
    lines.append("Ratios to %s (median / median; lower is better):" % baseline)
    lines.append("")
    lines.append("| workload | " + " | ".join(i.label for i in present) + " |")
    lines.append("|---|" + "---:|" * len(present))
    for w in shown:
        b = med((w.replace("-again", ""), baseline))
        cells = []
        for impl in present:
            m = med((w, impl.label))
            if m is None:
                cells.append(status_cell((w, impl.label)))
            else:
                cells.append("%.2f" % (m / b) if b else fmt_seconds(m) + " s")
        lines.append("| %s | %s |" % (w, " | ".join(cells)))
    lines.append("")
    for note in notes.get(backend, []):
        lines.append("* " + note)
    if notes.get(backend):
        lines.append("")
    return "\n".join(lines)


def draw_chart(backend, impls, workloads, samples, path):
    """Draws the ratio table of one backend as an SVG: per workload, one bar per implementation
    (median / the raw baseline's median, log scale; 1 = as fast as hand-written raw code)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    baseline = "raw-libmariadb" if backend == "mysql" else "raw-sqlite3"
    rows_of = {}
    for smp in samples:
        if smp.backend == backend:
            rows_of.setdefault((smp.workload, smp.impl), []).append(smp)
    shown = [w for w in workloads if median_of(rows_of.get((w, baseline), []))]
    labels = [i.label for i in impls
              if any(median_of(rows_of.get((w, i.label), [])) for w in shown)]
    if not shown or not labels:
        return False
    height = 0.8 / len(labels)
    fig, ax = plt.subplots(figsize=(9, 1.0 + 0.32 * len(shown) * len(labels)))
    colors = plt.get_cmap("tab10")
    for k, label in enumerate(labels):
        ys, ratios = [], []
        for j, w in enumerate(shown):
            m = median_of(rows_of.get((w, label), []))
            if m:
                ys.append(j + k * height)
                ratios.append(m / median_of(rows_of[(w, baseline)]))
        colour = colors(next(n for n, i in enumerate(impls) if i.label == label) % 10)  # the same on every chart
        bars = ax.barh(ys, ratios, height=height, label=label, color=colour)
        for bar, ratio in zip(bars, ratios):
            ax.text(bar.get_width() * 1.03, bar.get_y() + bar.get_height() / 2, "%.2f" % ratio,
                    va="center", fontsize=7)
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_yticks([j + height * (len(labels) - 1) / 2 for j in range(len(shown))])
    ax.set_yticklabels(shown)
    ax.invert_yaxis()
    ax.set_xlabel("median time / %s median (log scale; lower is better)" % baseline)
    ax.set_title("%s: time relative to hand-written %s" % ("MariaDB" if backend == "mysql" else "SQLite", baseline))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: "%g" % v))
    ax.set_xlim(right=ax.get_xlim()[1] * 1.6)  # room for the labels of the longest bars
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path, format=os.path.splitext(path)[1].lstrip(".") or "svg")
    plt.close(fig)
    return True


def machine_description():
    """One line about the machine."""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = "%.0f GiB RAM" % (kib / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return "%d cores (%s), %s, %s" % (os.cpu_count() or 0, cpu, mem, platform.platform())


# ---------------------------------------------------------------- main


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mysql-url", help="mysql://user:pw@127.0.0.1:PORT/db")
    parser.add_argument("--sqlite-path", help="path of the SQLite file to use (created)")
    parser.add_argument("--bin-dir", required=True, help="build directory of the bench programs (BUILD/bench)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--stream-rows", type=int, default=1000000)
    parser.add_argument("--baseline-bin-dir", help="bench programs of an older build: adds orm-engine@base, orm-session@base")
    parser.add_argument("--only-impl", default="", help="comma-separated implementation labels")
    parser.add_argument("--only-workload", default="", help="comma-separated workloads")
    parser.add_argument("--backend", choices=["mysql", "sqlite", "both"], default="both")
    parser.add_argument("--timeout", type=int, default=900, help="seconds one program may take")
    parser.add_argument("--json", default="bench-results.json")
    parser.add_argument("--markdown", default="bench-results.md")
    parser.add_argument("--charts-dir", help="where the SVG charts go (default: next to --markdown)")
    args = parser.parse_args()

    impls = implementations(args.bin_dir, here, args.baseline_bin_dir)
    if args.only_impl:
        wanted = set(args.only_impl.split(","))
        unknown = wanted - {i.label for i in impls}
        if unknown:
            parser.error("unknown implementation(s): %s" % ", ".join(sorted(unknown)))
        impls = [i for i in impls if i.label in wanted]
    workloads = WORKLOADS
    if args.only_workload:
        wanted = args.only_workload.split(",")
        bad = [w for w in wanted if w not in WORKLOADS]
        if bad:
            parser.error("unknown workload(s): %s" % ", ".join(bad))
        workloads = [w for w in WORKLOADS if w in wanted]

    backends = []
    if args.backend in ("mysql", "both") and args.mysql_url:
        backends.append(Database("mysql", args.mysql_url))
    if args.backend in ("sqlite", "both") and args.sqlite_path:
        if os.path.exists(args.sqlite_path):
            os.remove(args.sqlite_path)
        backends.append(Database("sqlite", "sqlite:///" + os.path.abspath(args.sqlite_path)))
    if not backends:
        parser.error("no backend: give --mysql-url and/or --sqlite-path")

    notes = {}
    samples = []
    for db in backends:
        runner = Runner(db, args)
        runner.prepare_once(workloads)
        active = []
        for impl in impls:
            if db.backend not in impl.backends:
                continue
            if not os.path.exists(impl.program()):
                notes.setdefault(db.backend, []).append("%s: not run (%s is not built)" % (impl.label, impl.program()))
                continue
            active.append(impl)
        unsupported = set()
        for rep in range(args.reps):
            shift = rep % len(active) if active else 0
            order = active[shift:] + active[:shift]
            for w in workloads:
                for impl in order:
                    if (impl.label, w) in unsupported:
                        continue
                    got = runner.run(impl, w, rep + 1)
                    for s in got:
                        if s.status == "unsupported":
                            # exit 3: this program cannot run this workload on this backend
                            unsupported.add((impl.label, w))
                            notes.setdefault(db.backend, []).append("%s: does not support %s on %s (exit 3)"
                                                                    % (impl.label, w, db.backend))
                        log("%s rep %d %-8s %-16s %s" % (db.backend, rep + 1, s.workload, impl.label,
                                                          fmt_seconds(s.seconds) + " s" if s.status == "ok"
                                                          else s.status.upper() + " " + s.message))
                    samples.extend(got)

    failures = [s for s in samples if s.status in ("wrong", "error")]
    header = ["## orm benchmark results", "",
              "Machine: %s. Python %s. Run %s UTC." % (machine_description(), platform.python_version(),
                                                       datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")),
              "Rows N = %d, W2s rows = %d, %d repetition(s), interleaved; times are medians in seconds, "
              "spread = (max - min) / median; × columns are median ratios (lower is better); W3-again is "
              "compared with the baseline's W3." % (args.rows, args.stream_rows, args.reps), ""]
    text = "\n".join(header) + "\n" + "\n".join(
        build_tables(db.backend, impls, workloads, samples, notes) for db in backends)
    if failures:
        text += "\n**Failures:**\n\n" + "\n".join(
            "* %s %s %s rep %d: %s" % (s.backend, s.impl, s.workload, s.rep, s.message) for s in failures) + "\n"
    charts_dir = args.charts_dir or os.path.dirname(os.path.abspath(args.markdown))
    for db in backends:
        chart = os.path.join(charts_dir, "bench-%s.svg" % db.backend)
        try:
            if draw_chart(db.backend, impls, workloads, samples, chart):
                text += "\nChart (%s): %s\n" % (db.backend, chart)
                log("chart: %s" % chart)
        except ImportError as e:
            log("no chart for %s: %s (bench/setup.sh installs python3-matplotlib)" % (db.backend, e))
    print(text)
    with open(args.markdown, "w") as f:
        f.write(text)
    with open(args.json, "w") as f:
        json.dump(dict(machine=machine_description(), rows=args.rows, stream_rows=args.stream_rows,
                       reps=args.reps, samples=[s.as_json() for s in samples]), f, indent=1)
    log("results: %s, %s" % (args.markdown, args.json))
    return 1 if failures else 0


if __name__ == "__main__":
    # TERM (from run.sh on Ctrl-C) exits through SystemExit, which makes subprocess.run kill the program.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    sys.exit(main())
