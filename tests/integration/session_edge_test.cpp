// Session edge cases: failures in the middle of the unit of work lose nothing
// and never leave the session disagreeing with the database.
#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>

#include "../support/backend.hpp"

using namespace models;


TEST_CASE("a flush that cannot get a connection leaves the objects pending for the next commit", "[session][errors]") {
    auto db = orm_test::fresh_engine<Author>(orm::engine_options{.pool_size = 1, .max_overflow = 0,
                                                                 .checkout_timeout = std::chrono::milliseconds(20)});
    orm::session s(db);
    (void)s.add(Author{.name = "waiting"});
    {
        auto hog = db.connect();
        CHECK_THROWS_AS(s.flush(), orm::timeout_error);
    }
    CHECK(s.new_objects().size() == 1);
    s.commit();
    CHECK(orm_test::count_rows(db, "author") == 1);
}

TEST_CASE("rollback undoes a remove() that was not flushed yet", "[session][transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 1, .name = "Ada"});
    orm::session s(db);
    s.remove(*s.get<Author>(1));
    s.rollback();
    s.commit();
    CHECK(orm_test::count_rows(db, "author") == 1);
    auto nested_scope = [&] {
        auto sp = s.begin_nested();
        s.remove(*s.get<Author>(1));
        sp.rollback();
    };
    nested_scope();
    s.commit();
    CHECK(orm_test::count_rows(db, "author") == 1);
}

TEST_CASE("an after_insert listener that throws does not make the next commit insert twice", "[session][events]") {
    auto db = orm_test::fresh_engine<Author>();
    bool thrown = false;
    const auto id = orm::listen<Author>(orm::event::after_insert, [&](Author&) {
        if (!thrown) {
            thrown = true;
            throw std::runtime_error("listener failed");
        }
    });
    orm::session s(db);
    (void)s.add(Author{.name = "once"});
    CHECK_THROWS_AS(s.flush(), std::runtime_error);
    s.commit();
    orm::unlisten(id);
    CHECK(orm_test::count_rows(db, "author") == 1);
}

TEST_CASE("a savepoint object that outlives its transaction does nothing when it goes", "[session][transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    std::optional<orm::session::nested_transaction> stale;
    stale.emplace(s.begin_nested());
    (void)s.add(Author{.name = "first"});
    s.commit();
    Author& later = s.add(Author{.name = "later"});
    s.flush();
    CHECK_THROWS_AS(stale->commit(), orm::interface_error);
    stale.reset();
    CHECK(s.contains(later));  // not expunged by the stale savepoint
    s.commit();
    CHECK(orm_test::count_rows(db, "author") == 2);
}

TEST_CASE("deleting a row and adding a new object with its key in one flush", "[session]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 7, .name = "old"});
    orm::session s(db);
    s.remove(*s.get<Author>(7));
    (void)s.add(Author{.id = 7, .name = "new"});
    s.commit();
    auto conn = db.connect();
    CHECK(conn.get<Author>(7)->name == "new");
}

TEST_CASE("run_transaction rolls back when the body throws something that is not an orm error", "[session][transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    CHECK_THROWS_AS(s.run_transaction([](orm::session& tx) {
        (void)tx.add(Author{.name = "never"});
        tx.flush();
        throw std::logic_error("bug in the body");
    }),
                    std::logic_error);
    CHECK(db.checked_out() == 0);
    s.run_transaction([](orm::session& tx) { (void)tx.add(Author{.name = "fine"}); });
    CHECK(orm_test::count_rows(db, "author") == 1);
}

TEST_CASE("a primary-key change rolled back gives the object its old key back", "[session][transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 1, .name = "Ada"});
    orm::session s(db);
    Author* ada = s.get<Author>(1);
    ada->id = 5;
    s.flush();
    s.rollback();
    CHECK(s.get<Author>(1) == ada);  // reloaded in place: id 1 again
    CHECK(ada->id == 1);
    CHECK(s.get<Author>(5) == nullptr);
}

TEST_CASE("a key changed in two flushes rolls back to the key of the last commit, not the first change", "[session][transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 1, .name = "Ada"});
    orm::session s(db);
    Author* ada = s.get<Author>(1);
    ada->id = 2;
    s.commit();  // 2 is now the committed key
    ada->id = 3;
    s.flush();
    ada->id = 4;
    s.flush();
    CHECK(s.get<Author>(4) == ada);
    CHECK(s.get<Author>(3) == nullptr);
    s.rollback();
    CHECK(s.get<Author>(2) == ada);  // reloaded in place under its committed key
    CHECK(ada->id == 2);
    CHECK(s.get<Author>(4) == nullptr);
    CHECK(s.get<Author>(1) == nullptr);
}

TEST_CASE("a failed flush of a key change leaves the object under its old key", "[session][transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.id = 1, .name = "Ada"}, Author{.id = 2, .name = "Bob"});
    orm::session s(db);
    Author* ada = s.get<Author>(1);
    Author* bob = s.get<Author>(2);
    bob->name = "Bobby";
    ada->id = 2;  // collides with Bob's row
    CHECK_THROWS_AS(s.flush(), orm::integrity_error);
    ada->id = 1;
    CHECK(s.get<Author>(1) == ada);
    CHECK(s.get<Author>(2) == bob);
    ada->id = 7;
    s.commit();
    CHECK(s.get<Author>(7) == ada);
    CHECK(s.get<Author>(1) == nullptr);
    auto conn = db.connect();
    CHECK(conn.get<Author>(7)->name == "Ada");
    CHECK(conn.get<Author>(2)->name == "Bobby");
}

TEST_CASE("a failed flush gives back the generated keys and versions it wrote into objects", "[session][errors]") {
    auto db = orm_test::fresh_engine<Document>();
    orm_test::seed(db, Document{.title = "v1"});  // id 1, version 1
    orm::session s(db);
    Document* loaded = s.get<Document>(1);
    REQUIRE(loaded);
    s.commit();  // ends the transaction: another writer may now change the row
    {
        orm::session other(db);
        other.get<Document>(1)->title = "changed elsewhere";
        other.commit();  // the row is now at version 2
    }
    Document& fresh = s.add(Document{.title = "new"});
    loaded->title = "stale edit";
    // The INSERT runs first (generated key, version 1), then the UPDATE finds version 1 gone.
    CHECK_THROWS_AS(s.flush(), orm::stale_data_error);
    CHECK(fresh.id == 0);          // the generated key was taken back
    CHECK(fresh.version == 0);     // and the version the INSERT set
    CHECK(loaded->version == 1);   // the UPDATE's new version (2) was taken back too
    CHECK(loaded->title == "stale edit");  // the user's change is kept
    CHECK(s.new_objects().size() == 1);
    CHECK(orm_test::count_rows(db, orm::table_of<Document>().name) == 1);
    s.refresh(*loaded);  // the user resolves the conflict: reload, edit again, retry
    CHECK(loaded->version == 2);
    loaded->title = "resolved edit";
    s.commit();
    CHECK(fresh.id > 1);  // InnoDB does not reuse the key the failed attempt consumed; SQLite does
    CHECK(fresh.version == 1);
    CHECK(loaded->version == 3);
    auto conn = db.connect();
    CHECK(conn.get<Document>(1)->title == "resolved edit");
    CHECK(conn.get<Document>(fresh.id)->title == "new");
}

TEST_CASE("an over-long value in one of several changed objects: the flush writes none of them", "[session][errors]") {
    auto db = orm_test::fresh_engine<Everything>();
    orm_test::seed(db, Everything{.id = 1, .short_text = "a"}, Everything{.id = 2, .short_text = "b"},
                   Everything{.id = 3, .short_text = "c"});
    orm::session s(db);
    auto rows = s.query<Everything>().order_by(orm::asc(&Everything::id)).all();
    REQUIRE(rows.size() == 3);
    rows[0]->short_text = "x";
    rows[1]->short_text = "abcdef";  // 6 characters into VARCHAR(5)
    rows[2]->short_text = "z";
    CHECK_THROWS_AS(s.flush(), orm::data_error);
    // Inside the session's transaction nothing was written: the first row's UPDATE was undone with the flush.
    const orm::result stored = s.conn().execute("SELECT short_text FROM everything ORDER BY id");
    REQUIRE(stored.size() == 3);
    CHECK(stored.at(0)[0] == orm::value{std::string("a")});
    CHECK(stored.at(1)[0] == orm::value{std::string("b")});
    CHECK(stored.at(2)[0] == orm::value{std::string("c")});
    CHECK(s.dirty().size() == 3);  // every change is still pending
    rows[1]->short_text = "y";
    s.commit();
    auto conn = db.connect();
    CHECK(conn.get<Everything>(1)->short_text == "x");
    CHECK(conn.get<Everything>(2)->short_text == "y");
    CHECK(conn.get<Everything>(3)->short_text == "z");
}

TEST_CASE("merge of a stale detached copy of a versioned row is refused", "[session][concurrency]") {
    auto db = orm_test::fresh_engine<Document>();
    orm_test::seed(db, Document{.title = "v1"});
    Document detached;
    {
        auto conn = db.connect();
        detached = *conn.get<Document>(1);  // read at version 1
    }
    {
        orm::session other(db);
        other.get<Document>(1)->title = "v2";
        other.commit();  // now at version 2
    }
    orm::session s(db);
    detached.title = "stale edit";
    CHECK_THROWS_AS(s.merge(detached), orm::stale_data_error);
    detached.version = 2;
    detached.title = "fresh edit";
    s.merge(detached);
    s.commit();
    auto conn = db.connect();
    CHECK(conn.get<Document>(1)->title == "fresh edit");
}

TEST_CASE("a before_flush listener may add objects to the session", "[session][events]") {
    auto db = orm_test::fresh_engine<Author, Document>();
    orm::session s(db);
    const auto id = orm::listen<Author>(orm::event::before_flush, [&](Author& a) {
        if (a.name.starts_with("author")) (void)s.add(Document{.title = "about " + a.name});
    });
    for (int i = 0; i < 20; ++i) (void)s.add(Author{.name = "author " + std::to_string(i)});
    s.commit();
    orm::unlisten(id);
    CHECK(orm_test::count_rows(db, "author") == 20);
    CHECK(orm_test::count_rows(db, "document") == 20);
}

TEST_CASE("before_flush runs for each object a flush writes before any statement, after_flush after the last one",
          "[session][events]") {
    std::vector<std::string> calls;  // listener calls and statements, in the order they happened
    orm::engine_options options;
    options.on_sql = [&](const orm::sql_event& e) { calls.push_back("SQL " + std::string(e.sql.substr(0, e.sql.find(' ')))); };
    auto db = orm_test::fresh_engine<Document>(options);
    orm_test::seed(db, Document{.id = 1, .title = "changed"}, Document{.id = 2, .title = "removed"},
                   Document{.id = 3, .title = "unchanged"});
    std::vector<std::uint64_t> ids;
    struct unlisten_at_exit {
        std::vector<std::uint64_t>& ids;
        ~unlisten_at_exit() {
            for (auto id : ids) orm::unlisten(id);
        }
    } guard{ids};
    ids.push_back(orm::listen<Document>(orm::event::before_flush, [&](Document& d) {
        calls.push_back("before_flush " + d.title);
        if (d.title == "new") d.title = "new, stamped";  // written by the same flush
    }));
    ids.push_back(orm::listen<Document>(orm::event::after_flush, [&](Document& d) { calls.push_back("after_flush " + d.title); }));
    for (auto when : {orm::event::after_insert, orm::event::after_update, orm::event::after_delete})
        ids.push_back(orm::listen<Document>(when, [&](Document& d) { calls.push_back("after_write " + d.title); }));

    orm::session s(db);
    Document& changed = *s.get<Document>(1);
    Document& removed = *s.get<Document>(2);
    REQUIRE(s.get<Document>(3));
    changed.title = "changed, edited";
    s.remove(removed);
    (void)s.add(Document{.title = "new"});
    calls.clear();
    s.flush();
    auto position = [&](const std::string& call) { return std::find(calls.begin(), calls.end(), call) - calls.begin(); };
    auto first_sql = std::find_if(calls.begin(), calls.end(), [](const std::string& c) { return c.starts_with("SQL"); }) - calls.begin();
    auto last_sql = calls.rend() - std::find_if(calls.rbegin(), calls.rend(), [](const std::string& c) { return c.starts_with("SQL"); }) - 1;
    INFO(Catch::Detail::stringify(calls));
    // Each object the flush writes, and only those, before any statement:
    for (const char* title : {"new", "changed, edited", "removed"}) CHECK(position(std::string("before_flush ") + title) < first_sql);
    CHECK(std::count_if(calls.begin(), calls.end(), [](const std::string& c) { return c.starts_with("before_flush"); }) == 3);
    // ... and after the last statement and after every after_insert/update/delete listener:
    std::ptrdiff_t last_write = 0;
    for (std::size_t i = 0; i < calls.size(); ++i)
        if (calls[i].starts_with("after_write")) last_write = static_cast<std::ptrdiff_t>(i);
    for (const char* title : {"new, stamped", "changed, edited", "removed"}) {
        CHECK(position(std::string("after_flush ") + title) > last_sql);
        CHECK(position(std::string("after_flush ") + title) > last_write);
    }
    CHECK(std::count_if(calls.begin(), calls.end(), [](const std::string& c) { return c.starts_with("after_flush"); }) == 3);
    CHECK(position("before_flush unchanged") == static_cast<std::ptrdiff_t>(calls.size()));
    s.commit();
    auto conn = db.connect();
    CHECK(conn.execute("SELECT COUNT(*) FROM document WHERE title = ?", "new, stamped").scalar<int>() == 1);

    // A flush that fails runs before_flush but no after_flush.
    orm::session failing(db);
    (void)failing.add(Document{.id = 1, .title = "duplicate"});
    calls.clear();
    CHECK_THROWS_AS(failing.flush(), orm::integrity_error);
    CHECK(position("before_flush duplicate") < static_cast<std::ptrdiff_t>(calls.size()));
    CHECK(std::none_of(calls.begin(), calls.end(), [](const std::string& c) { return c.starts_with("after_flush"); }));
}
