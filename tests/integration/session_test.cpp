// Session semantics: identity map, change tracking, transactions, events, merge.
#include <catch2/catch.hpp>

#include <algorithm>

#include "../support/backend.hpp"
#include "../support/sql_log.hpp"

using namespace models;


TEST_CASE("get returns the one object for a key: same address, no SQL the second time", "[session]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author, OrderLine>(log.options());
    {
        auto conn = db.connect();
        conn.execute("INSERT INTO author (name) VALUES (?), (?)", "Ada", "Bob");
        conn.execute("INSERT INTO order_lines (order_id, number, sku, qty) VALUES (?, ?, ?, ?)", 7, 2, "X", 3);
    }
    orm::session s(db);
    log.clear();
    Author* first = s.get<Author>(1);
    const auto statements = log.lines.size();
    Author* again = s.get<Author>(std::int64_t{1});
    CHECK(first == again);
    CHECK(log.lines.size() == statements);
    auto everyone = s.all<Author>();  // a query returning the same row merges into the same object
    REQUIRE(everyone.size() == 2);
    CHECK(everyone[0] == first);
    CHECK(s.get<Author>(99) == nullptr);
    OrderLine* line = s.get<OrderLine>(std::int64_t{7}, 2);  // composite key
    REQUIRE(line);
    CHECK(line->quantity == 3);
    CHECK(s.get<OrderLine>(std::int64_t{7}, 2) == line);
}

TEST_CASE("unflushed changes survive a query that returns the same row", "[session]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    Author& ada = s.add(Author{.name = "Ada"});
    s.flush();
    ada.name = "Ada L.";
    s.set_autoflush(false);
    auto all = s.all<Author>();
    REQUIRE(all.size() == 1);
    CHECK(all[0] == &ada);
    CHECK(ada.name == "Ada L.");
    CHECK(s.is_modified(ada));
}

TEST_CASE("autoflush makes a pending object visible to get, without it get misses", "[session]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    Author& ada = s.add(Author{.id = 5, .name = "Ada"});
    CHECK(s.get<Author>(5) == &ada);
    CHECK(s.new_objects().empty());

    orm::session manual(db, {.autoflush = false});
    (void)manual.add(Author{.id = 6, .name = "Bob"});
    CHECK(manual.get<Author>(6) == nullptr);
    CHECK(manual.new_objects().size() == 1);
}

TEST_CASE("views and is_modified follow the objects' states", "[session]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    Author& a = s.add(Author{.name = "A"});
    Author& b = s.add(Author{.name = "B"});
    CHECK(s.new_objects().size() == 2);
    CHECK(s.new_objects()[0].as<Author>() == &a);
    CHECK(s.new_objects()[0].as<Book>() == nullptr);
    s.flush();
    CHECK(s.new_objects().empty());
    CHECK_FALSE(s.is_modified(a));
    b.email = "b@x";
    CHECK(s.is_modified(b));
    REQUIRE(s.dirty().size() == 1);
    CHECK(s.dirty()[0].as<Author>() == &b);
    s.remove(a);
    REQUIRE(s.deleted().size() == 1);
    CHECK(s.deleted()[0].as<Author>() == &a);
    Author outsider{.name = "not in the session"};
    CHECK_FALSE(s.contains(outsider));
    CHECK_THROWS_AS(s.remove(outsider), orm::interface_error);
}

TEST_CASE("objects keep their add order when others are expunged from the front, middle and back", "[session]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    orm::session s(db);
    Author& a = s.add(Author{.name = "a"});
    Author& b = s.add(Author{.name = "b"});
    Author& c = s.add(Author{.name = "c"});
    Author& d = s.add(Author{.name = "d"});
    s.expunge(a);
    s.expunge(c);
    s.expunge(d);
    (void)s.add(Author{.name = "e"});
    (void)s.add(Author{.name = "f"});
    auto names = [&] {
        std::vector<std::string> out;
        for (const auto& ref : s.new_objects()) out.push_back(ref.as<Author>()->name);
        return out;
    };
    CHECK(names() == std::vector<std::string>{"b", "e", "f"});
    s.expunge(b);
    CHECK(names() == std::vector<std::string>{"e", "f"});
    log.clear();
    s.flush();
    // one INSERT, its rows in add order
    CHECK(std::count_if(log.lines.begin(), log.lines.end(), [](const std::string& l) { return l.rfind("INSERT", 0) == 0; }) == 1);
    CHECK(std::any_of(log.lines.begin(), log.lines.end(), [](const std::string& l) { return l.find("'e', NULL, 'f', NULL") != std::string::npos; }));
    CHECK(s.size() == 2);
}

TEST_CASE("commit persists and returns the connection, destruction without commit rolls back", "[session][transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    {
        orm::session s(db);
        (void)s.add(Author{.name = "kept"});
        s.commit();
        CHECK(db.checked_out() == 0);
        (void)s.add(Author{.name = "discarded"});
        s.flush();
        CHECK(db.checked_out() == 1);
    }
    CHECK(db.checked_out() == 0);
    CHECK(orm_test::count_rows(db, "author") == 1);
}

TEST_CASE("rollback expunges pending objects and expires persistent ones", "[session][transactions]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    orm::session s(db);
    Author& ada = s.add(Author{.name = "Ada"});
    s.commit();
    ada.name = "changed, never flushed";
    (void)s.add(Author{.name = "pending"});
    CHECK(s.size() == 2);
    s.rollback();
    CHECK(s.size() == 1);  // the pending object is gone
    log.clear();
    Author* again = s.get<Author>(ada.id);  // expired: reloaded in place, with SQL
    CHECK(again == &ada);
    CHECK(ada.name == "Ada");
    CHECK_FALSE(log.lines.empty());
}

TEST_CASE("a savepoint rolls back only the work done inside it", "[session][transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    Author& outer = s.add(Author{.name = "outer"});
    {
        auto nested = s.begin_nested();
        (void)s.add(Author{.name = "inner"});
        outer.name = "outer, renamed inside";
        s.flush();
        nested.rollback();
    }
    CHECK(s.size() == 1);
    CHECK(s.get<Author>(outer.id)->name == "outer");  // expired, reloaded
    {
        auto nested = s.begin_nested();
        (void)s.add(Author{.name = "kept inner"});
        nested.commit();
    }
    s.commit();
    CHECK(orm_test::count_rows(db, "author") == 2);
}

TEST_CASE("a failed flush leaves database and session as they were, and can be retried", "[session][errors]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 1, .name = "existing"});
    orm::session s(db);
    Author& fine = s.add(Author{.name = "fine"});
    Author& clash = s.add(Author{.id = 1, .name = "clash"});
    CHECK_THROWS_AS(s.flush(), orm::integrity_error);
    CHECK(fine.id == 0);  // the generated key was taken back
    CHECK(s.new_objects().size() == 2);
    CHECK(orm_test::count_rows(db, "author") == 1);
    clash.id = 10;
    s.commit();
    CHECK(orm_test::count_rows(db, "author") == 3);
    CHECK(fine.id > 1);  // InnoDB does not reuse the key the failed attempt consumed; SQLite does
    auto conn = db.connect();
    CHECK(conn.get<Author>(fine.id)->name == "fine");
    CHECK(conn.get<Author>(10)->name == "clash");
}

TEST_CASE("refresh discards unflushed changes, expire defers the reload to the next get", "[session]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    Author& ada = s.add(Author{.name = "Ada"});
    s.flush();
    ada.name = "scribble";
    s.refresh(ada);
    CHECK(ada.name == "Ada");
    s.commit();  // end our transaction so another connection can write
    {
        auto conn = db.connect();
        conn.execute("UPDATE author SET name = ? WHERE id = ?", "changed elsewhere", ada.id);
    }
    s.expire(ada);
    CHECK(ada.name == "Ada");  // nothing happens until the session hands it out again
    CHECK(s.get<Author>(ada.id) == &ada);
    CHECK(ada.name == "changed elsewhere");
}

TEST_CASE("merge copies state onto the persistent instance, or adds a new one", "[session]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 1, .name = "Ada"});
    orm::session s(db);
    Author detached{.id = 1, .name = "Ada Lovelace", .email = "ada@x"};
    Author& merged = s.merge(detached);
    CHECK(&merged == s.get<Author>(1));
    CHECK(merged.name == "Ada Lovelace");
    CHECK(s.is_modified(merged));
    Author& added = s.merge(Author{.name = "New"});
    CHECK(s.new_objects().size() == 1);
    s.commit();
    CHECK(added.id == 2);
    auto conn = db.connect();
    CHECK(conn.get<Author>(1)->email == "ada@x");
}

TEST_CASE("expunge forgets an object: later changes are not flushed", "[session]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    Author& ada = s.add(Author{.name = "Ada"});
    s.flush();
    const auto id = ada.id;
    s.expunge(ada);
    CHECK(s.size() == 0);
    Author* loaded = s.get<Author>(id);  // a new object from the row
    REQUIRE(loaded);
    CHECK(loaded->name == "Ada");
}

TEST_CASE("listeners run before and after insert, update and delete for their type", "[session][events]") {
    std::vector<std::string> calls;
    const auto stamp = orm::listen<Document>(orm::event::before_update, [&](Document& d) {
        d.updated_at = std::chrono::sys_seconds{std::chrono::seconds{1'700'000'000}};
        calls.push_back("before_update " + d.title);
    });
    const auto inserted = orm::listen<Document>(orm::event::after_insert, [&](Document& d) {
        calls.push_back("after_insert " + std::to_string(d.id));
    });
    const auto deleted = orm::listen<Document>(orm::event::before_delete, [&](Document& d) { calls.push_back("before_delete " + d.title); });
    const auto other = orm::listen<Author>(orm::event::before_insert, [&](Author&) { calls.push_back("author"); });
    const auto before = orm::listen<Document>(orm::event::before_flush, [&](Document& d) { calls.push_back("before_flush " + d.title); });
    const auto after = orm::listen<Document>(orm::event::after_flush, [&](Document& d) { calls.push_back("after_flush " + d.title); });
    {
        auto db = orm_test::fresh_engine<Document>();
        orm::session s(db);
        Document& d = s.add(Document{.title = "t"});
        s.flush();
        d.title = "t2";
        s.flush();
        CHECK(d.updated_at.has_value());
        s.remove(d);
        s.commit();
        CHECK(calls == std::vector<std::string>{"before_flush t", "after_insert 1", "after_flush t",
                                                "before_flush t2", "before_update t2", "after_flush t2",
                                                "before_flush t2", "before_delete t2", "after_flush t2"});
        auto conn = db.connect();
        CHECK(conn.execute("SELECT COUNT(*) FROM document").scalar<int>() == 0);
    }
    for (auto id : {stamp, inserted, deleted, other, before, after}) orm::unlisten(id);
}

TEST_CASE("run_transaction commits once, and propagates a non-retryable error at once", "[session][transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    int attempts = 0;
    s.run_transaction([&](orm::session& tx) {
        ++attempts;
        (void)tx.add(Author{.name = "once"});
    });
    CHECK(attempts == 1);
    CHECK(orm_test::count_rows(db, "author") == 1);
    attempts = 0;
    CHECK_THROWS_AS(s.run_transaction([&](orm::session& tx) {
        ++attempts;
        (void)tx.add(Author{.id = 1, .name = "duplicate"});
    }),
                    orm::integrity_error);
    CHECK(attempts == 1);
    CHECK(s.size() == 1);  // the failed attempt's object was expunged by the rollback
}

TEST_CASE("add_all takes a range and the flush inserts it in one statement per table", "[session]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author, Book>(log.options());
    orm::session s(db);
    std::vector<Author> authors{{.id = 1, .name = "A"}, {.id = 2, .name = "B"}, {.id = 3, .name = "C"}};
    s.add_all(std::move(authors));
    CHECK(s.new_objects().size() == 3);
    log.clear();
    s.commit();
    const auto inserts = std::count_if(log.lines.begin(), log.lines.end(), [](const std::string& l) { return l.starts_with("INSERT"); });
    CHECK(inserts == 1);
    CHECK(orm_test::count_rows(db, "author") == 3);
}

TEST_CASE("after a failed flush of updates, every change is still pending and the retry writes them all", "[session][errors]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    orm_test::seed(db, Author{.id = 1, .name = "Ada"}, Book{.id = 10, .author_id = 1, .title = "t10", .isbn = "A"},
                   Book{.id = 11, .author_id = 1, .title = "t11", .isbn = "B"}, Book{.id = 12, .author_id = 1, .title = "t12", .isbn = "C"});
    orm::session s(db);
    Book* first = s.get<Book>(10);
    Book* second = s.get<Book>(11);
    REQUIRE(first);
    REQUIRE(second);
    first->title = "changed";  // updated first, then rolled back with the flush
    second->isbn = "C";        // violates the unique isbn
    CHECK_THROWS_AS(s.flush(), orm::integrity_error);
    CHECK(s.dirty().size() == 2);  // both changes are still to be written
    second->isbn = "D";
    s.commit();
    auto conn = db.connect();
    CHECK(conn.get<Book>(10)->title == "changed");
    CHECK(conn.get<Book>(11)->isbn == "D");
}
