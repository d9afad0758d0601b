#!/usr/bin/python3
"""The benchmark workloads (bench/WORKLOADS.md) on SQLAlchemy 1.4 (Debian python3-sqlalchemy).

  sqlalchemy_bench.py --url URL --workload W [--rows N] --api orm|core

--api orm: a mapped class and a Session (the unit of work); --api core: Table
objects and Connection.execute (executemany for bulk writes). MariaDB goes
through MySQLdb (mysql+mysqldb://), SQLite through the standard sqlite3 module.
Prints one JSON line per the contract (two for W3 with the ORM: W3, W3-again).
"""

import argparse
import datetime
import json
import resource
import sys
import time

from sqlalchemy import (BigInteger, Column, DateTime, Float, ForeignKey, Integer, MetaData, String, Table,
                        bindparam, create_engine, func, select)
from sqlalchemy.dialects import sqlite as sqlite_types
from sqlalchemy.orm import Session, declarative_base, relationship, selectinload
from sqlalchemy.pool import QueuePool

BASE_TIME = datetime.datetime(2026, 1, 1)
LOOKUPS = 10000
REPORT_RUNS = 10

# DATETIME stored as 'YYYY-MM-DD HH:MM:SS' on SQLite (SQLAlchemy's default adds microseconds).
CREATED = DateTime().with_variant(
    sqlite_types.DATETIME(storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d"),
    "sqlite")

metadata = MetaData()


def person_table(name):
    """A Core table with the person columns."""
    return Table(name, metadata,
                 Column("id", BigInteger, primary_key=True, autoincrement=True),
                 Column("name", String(64), nullable=False),
                 Column("email", String(128), nullable=True),
                 Column("age", Integer, nullable=False),
                 Column("score", Float, nullable=False),
                 Column("created", CREATED, nullable=False))


person_t = person_table("bench_person")
stream_t = person_table("bench_stream")
author_t = Table("bench_author", metadata,
                 Column("id", BigInteger, primary_key=True),
                 Column("name", String(64), nullable=False))
book_t = Table("bench_book", metadata,
               Column("id", BigInteger, primary_key=True),
               Column("author_id", BigInteger, ForeignKey("bench_author.id"), nullable=False),
               Column("title", String(128), nullable=False),
               Column("price", Float, nullable=False))

Base = declarative_base(metadata=MetaData())


class Person(Base):
    """A mapped bench_person row."""
    __table__ = person_t.to_metadata(Base.metadata)


class StreamPerson(Base):
    """A mapped bench_stream row."""
    __table__ = stream_t.to_metadata(Base.metadata)


class Author(Base):
    """A mapped bench_author row."""
    __table__ = author_t.to_metadata(Base.metadata)


class Book(Base):
    """A mapped bench_book row."""
    __table__ = book_t.to_metadata(Base.metadata)


class User(Base):
    """W6: a user with posts (one-to-many)."""
    __tablename__ = "bench_user"
    id = Column(BigInteger, primary_key=True)
    name = Column(String(64), nullable=False)
    posts = relationship("Post", order_by="Post.id")


class Post(Base):
    """W6: a post with comments (one-to-many)."""
    __tablename__ = "bench_post"
    id = Column(BigInteger, primary_key=True)
    user_id = Column(BigInteger, ForeignKey("bench_user.id"), nullable=False)
    title = Column(String(128), nullable=False)
    comments = relationship("Comment", order_by="Comment.id")


class Comment(Base):
    """W6: a comment."""
    __tablename__ = "bench_comment"
    id = Column(BigInteger, primary_key=True)
    post_id = Column(BigInteger, ForeignKey("bench_post.id"), nullable=False)
    body = Column(String(128), nullable=False)


# ---------------------------------------------------------------- rows and checksums


def h(text):
    """The contract's string hash."""
    return sum((k + 1) * b for k, b in enumerate(text.encode()))


def person_values(i):
    """The inserted columns of person i as a dict."""
    return dict(name="name-%d" % i, email=None if i % 10 == 0 else "user%d@example.com" % i,
                age=18 + i % 60, score=i * 0.25, created=BASE_TIME + datetime.timedelta(seconds=i))


def row_sum(p):
    """row_sum of an object or row with the person attributes."""
    return (p.id + 3 * p.age + 5 * h(p.name) + 7 * (1 if p.email is None else h(p.email))
            + 11 * round(p.score * 4) + 13 * int((p.created - BASE_TIME).total_seconds()))


def report_sum(rows):
    """The W5 checksum of (id, name, count, avg) rows."""
    return sum(r[0] + 3 * r[2] + 5 * h(r[1]) + 7 * round(r[3] * 100) for r in rows)


def w6_sum(users):
    """The W6 checksum and row count of users with their posts and comments."""
    total = rows = 0
    for u in users:
        total += u.id + 3 * h(u.name)
        rows += 1
        for p in u.posts:
            total += 5 * p.id + 7 * h(p.title) + 17 * (u.id % 1000) * (p.id % 1000)
            rows += 1
            for c in p.comments:
                total += 11 * c.id + 13 * h(c.body) + 19 * (p.id % 1000) * (c.id % 1000)
                rows += 1
    return total, rows


def lookup_ids(n):
    """The W3 ids."""
    return [1 + (k * 7919) % n for k in range(LOOKUPS)]


def report_query():
    """The W5 select (Core form, also executed by the Session)."""
    return (select(author_t.c.id, author_t.c.name, func.count(book_t.c.id), func.avg(book_t.c.price))
            .join(book_t, book_t.c.author_id == author_t.c.id)
            .group_by(author_t.c.id, author_t.c.name).order_by(author_t.c.id))


# ---------------------------------------------------------------- ORM


def run_orm(engine, workload, n):
    """Runs a workload through a Session; returns [(workload, seconds, rows, checksum)]."""
    out = []
    with Session(engine) as session:
        if workload in ("W1a", "W1b"):
            start = time.monotonic()
            if workload == "W1a":
                for i in range(1, n + 1):
                    p = Person(**person_values(i))
                    session.add(p)
                    session.flush()
                    if p.id is None:
                        raise RuntimeError("no generated id")
            else:  # the normal unit of work: add_all, then one commit flushes them
                session.add_all([Person(**person_values(i)) for i in range(1, n + 1)])
            session.commit()
            out.append((workload, time.monotonic() - start, n, 0))
        elif workload == "W2":
            start = time.monotonic()
            people = session.query(Person).order_by(Person.id).all()
            seconds = time.monotonic() - start
            out.append((workload, seconds, len(people), sum(row_sum(p) for p in people)))
        elif workload == "W2s":
            start = time.monotonic()
            total = count = 0
            for p in session.query(StreamPerson).order_by(StreamPerson.id).yield_per(1000):
                total += row_sum(p)
                count += 1
            out.append((workload, time.monotonic() - start, count, total))
        elif workload == "W3":
            ids = lookup_ids(n)
            start = time.monotonic()
            found = [session.get(Person, k) for k in ids]
            first = time.monotonic() - start
            start = time.monotonic()
            again = [session.get(Person, k) for k in ids]
            second = time.monotonic() - start
            session.commit()
            if any(p is None for p in found + again):
                raise RuntimeError("lookup found no row")
            out.append(("W3", first, len(found), sum(row_sum(p) for p in found)))
            out.append(("W3-again", second, len(again), sum(row_sum(p) for p in again)))
        elif workload == "W4":
            people = session.query(Person).order_by(Person.id).all()
            start = time.monotonic()
            for p in people:
                p.age += 1
            session.commit()
            out.append((workload, time.monotonic() - start, len(people), 0))
        elif workload in ("W6", "W6L"):
            users_wanted = 10000 if workload == "W6L" else 100
            # expire_on_commit=False: the objects stay readable after the commit (as orm's do).
            with Session(engine, expire_on_commit=False) as reader:
                start = time.monotonic()
                users = (reader.query(User).filter(User.id <= users_wanted).order_by(User.id)
                         .options(selectinload(User.posts).selectinload(Post.comments)).all())
                reader.commit()
                seconds = time.monotonic() - start
            total, rows = w6_sum(users)
            out.append((workload, seconds, rows, total))
        else:  # W5
            query = (session.query(Author.id, Author.name, func.count(Book.id), func.avg(Book.price))
                     .join(Book, Book.author_id == Author.id).group_by(Author.id, Author.name)
                     .order_by(Author.id))
            start = time.monotonic()
            for _ in range(REPORT_RUNS):
                rows = query.all()
            out.append((workload, time.monotonic() - start, len(rows), report_sum(rows)))
    return out


# ---------------------------------------------------------------- Core


def run_core(engine, workload, n):
    """Runs a workload through Connection.execute; returns [(workload, seconds, rows, checksum)]."""
    cols = [person_t.c.id, person_t.c.name, person_t.c.email, person_t.c.age, person_t.c.score, person_t.c.created]
    with engine.connect() as conn:
        if workload in ("W1a", "W1b"):
            start = time.monotonic()
            with conn.begin():
                if workload == "W1a":
                    insert = person_t.insert()
                    for i in range(1, n + 1):
                        if conn.execute(insert, person_values(i)).inserted_primary_key[0] is None:
                            raise RuntimeError("no generated id")
                else:  # executemany
                    conn.execute(person_t.insert(), [person_values(i) for i in range(1, n + 1)])
            out = [(workload, time.monotonic() - start, n, 0)]
        elif workload == "W2":
            start = time.monotonic()
            rows = conn.execute(select(*cols).order_by(person_t.c.id)).fetchall()
            seconds = time.monotonic() - start
            out = [(workload, seconds, len(rows), sum(row_sum(r) for r in rows))]
        elif workload == "W2s":
            start = time.monotonic()
            total = count = 0
            result = conn.execution_options(stream_results=True).execute(
                select(stream_t).order_by(stream_t.c.id))
            for r in result:
                total += row_sum(r)
                count += 1
            out = [(workload, time.monotonic() - start, count, total)]
        elif workload == "W3":
            ids = lookup_ids(n)
            query = select(*cols).where(person_t.c.id == bindparam("key"))
            start = time.monotonic()
            with conn.begin():
                found = [conn.execute(query, {"key": k}).one() for k in ids]
            out = [(workload, time.monotonic() - start, len(found), sum(row_sum(r) for r in found))]
        elif workload == "W4":
            with conn.begin():
                rows = conn.execute(select(*cols).order_by(person_t.c.id)).fetchall()
                update = (person_t.update().where(person_t.c.id == bindparam("key"))
                          .values(age=bindparam("new_age")))
                start = time.monotonic()
                conn.execute(update, [{"key": r.id, "new_age": r.age + 1} for r in rows])
            out = [(workload, time.monotonic() - start, len(rows), 0)]
        else:  # W5
            query = report_query()
            start = time.monotonic()
            for _ in range(REPORT_RUNS):
                rows = conn.execute(query).fetchall()
            out = [(workload, time.monotonic() - start, len(rows), report_sum(rows))]
    return out


# ---------------------------------------------------------------- main


def engine_for(url):
    """An engine for an orm URL; None for an unknown scheme. One pooled connection, warmed up."""
    if url.startswith("mysql://"):
        target = "mysql+mysqldb://" + url[len("mysql://"):]
        target += ("&" if "?" in target else "?") + "charset=utf8mb4"
    elif url.startswith("sqlite:///"):
        target = url
    else:
        return None
    engine = create_engine(target, poolclass=QueuePool, pool_size=1, max_overflow=0)
    with engine.connect() as conn:  # connect outside the timed part, as the C++ programs do
        conn.exec_driver_sql("SELECT 1")
    return engine


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--workload", required=True, choices=["W1a", "W1b", "W2", "W2s", "W3", "W4", "W5", "W6", "W6L"])
    parser.add_argument("--rows", type=int)
    parser.add_argument("--api", choices=["orm", "core"], default="orm")
    args = parser.parse_args()
    n = args.rows or (1000000 if args.workload == "W2s" else 20000)
    engine = engine_for(args.url)
    if engine is None:
        print("sqlalchemy_bench.py: unsupported URL scheme", file=sys.stderr)
        return 3
    backend = "mysql" if args.url.startswith("mysql") else "sqlite"
    if args.api == "core" and args.workload in ("W6", "W6L"):
        return 3  # loading associations is the ORM's (selectinload)
    try:
        results = (run_orm if args.api == "orm" else run_core)(engine, args.workload, n)
    except Exception as e:  # any failure: message on stderr, exit code 1
        print("sqlalchemy_bench.py: error: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for workload, seconds, rows, checksum in results:
        print(json.dumps(dict(impl="sqlalchemy-" + args.api, backend=backend, workload=workload, seconds=seconds,
                              rows=rows, checksum=checksum, peak_rss_kib=peak)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
