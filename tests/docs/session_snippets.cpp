// docs/session.md's code, run on SQLite.
#include <iostream>
#include <map>

#include "snippets.hpp"

using models::Account;
using models::Author;
using models::Book;
using models::OrderLine;
using orm::col;

// [document-model]
struct Document {                         // table "document"
    std::int64_t id = 0;
    std::string title;
    std::int64_t version = 0;             // the counter: any integer field
    std::optional<std::chrono::sys_seconds> updated_at;
};
template <> struct orm::model<Document> { static constexpr auto version = &Document::version; };
// [/document-model]

/// A queue of work for the locking-read example.
struct Job {
    std::int64_t id = 0;
    std::string name;
    bool done = false;
};

namespace {

struct intro_results {
    std::int64_t id = 0;
    Author* same = nullptr;
};

intro_results intro(const orm::engine& engine) {
    // [session-intro]
    orm::session s(engine);                     // no connection yet
    Author& ada = s.add(Author{.name = "Ada"}); // the session's copy: keep this reference
    s.flush();                                  // BEGIN; INSERT ...; ada.id is set (the last insert id)
    Author* same = s.get<Author>(ada.id);       // the same object, and no SQL
    same->email = "ada@example.org";            // just assign
    s.commit();                                 // UPDATE "author" SET "email" = ? WHERE "id" = ?; COMMIT
    // [/session-intro]
    return {ada.id, same == &ada ? same : nullptr};
}

struct identity_results {
    Author *a = nullptr, *b = nullptr;
    std::vector<Author*> all;
    OrderLine* l = nullptr;
};

identity_results identity(orm::session& s) {
    // [identity-map]
    Author* a = s.get<Author>(1);                        // SELECT ... WHERE "id" = ?; nullptr if no row
    Author* b = s.get<Author>(std::int64_t{1});          // a == b, no SQL
    std::vector<Author*> all = s.all<Author>();          // SELECT ... ORDER BY the key; all[0] == a
    OrderLine* l = s.get<OrderLine>(std::int64_t{7}, 2); // composite key: every part, in key order
    // [/identity-map]
    return {a, b, all, l};
}

void show_dirty(orm::session& s) {
    // [dirty]
    for (orm::object_ref ref : s.dirty())
        if (Author* a = ref.as<Author>()) std::cout << "changed: " << a->name << '\n';
    // [/dirty]
}

std::map<std::int64_t, Book*> add_each(orm::session& s, std::vector<Book> drafts) {
    std::map<std::int64_t, Book*> index;
    // [flush-object]
    for (auto& draft : drafts) {
        Book& b = s.add(std::move(draft));
        s.flush(b);            // INSERT now; b.id is set
        index.emplace(b.id, &b);
    }
    // [/flush-object]
    return index;
}

Author& savepoints(orm::session& s) {
    // [savepoints]
    Author& outer = s.add(Author{.name = "outer"});
    {
        auto nested = s.begin_nested();     // flushes `outer`, then SAVEPOINT "orm_sp_<n>"
        Author& inner = s.add(Author{.name = "inner"});
        outer.name = "renamed inside";
        s.flush();                          // INSERT `inner`, UPDATE `outer`
        nested.rollback();                  // ROLLBACK TO SAVEPOINT: `outer` is expired, `inner` detached
        std::cout << inner.name << '\n';    // still readable ("inner"): the session frees nothing while it lives
    }
    s.get<Author>(outer.id);                // reloaded: outer.name == "outer"
    // [/savepoints]
    return outer;
}

void stamped(orm::session& s, Document& doc) {
    // [events]
    auto id = orm::listen<Document>(orm::event::before_update, [](Document& d) {
        d.updated_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    });
    doc.title = "edited";                     // doc: a Document of the session's
    s.commit();                               // the UPDATE sets updated_at (and the version) too
    orm::unlisten(id);
    // [/events]
}

void transfer(orm::session& s) {
    // [run-transaction]
    // struct Account { std::int64_t id = 0; std::int64_t balance = 0; };
    s.run_transaction([&](orm::session& tx) {
        Account* from = tx.get<Account>(1);
        Account* to = tx.get<Account>(2);
        from->balance -= 10;
        to->balance += 10;
    }, {.max_attempts = 5, .initial_backoff = std::chrono::milliseconds(10)});
    // [/run-transaction]
}

std::vector<Job*> locked(orm::session& s) {
    // [locking-session]
    s.run_transaction([](orm::session& tx) {
        Account* account = tx.get<Account>(orm::for_update, 1);   // SELECT ... FOR UPDATE
        account->balance += 1;
    });
    // struct Job { std::int64_t id = 0; std::string name; bool done = false; };
    auto jobs = s.query<Job>().where(col(&Job::done) == false).lock(orm::for_update.skip_locked()).limit(10).all();
    // [/locking-session]
    return jobs;
}

}  // namespace

TEST_CASE("docs.session: add, flush, get from the identity map, commit", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author>();
    const auto got = intro(db);
    CHECK(got.same != nullptr);  // the same object
    auto conn = db.connect();
    CHECK(conn.get<Author>(got.id)->email == "ada@example.org");
}

TEST_CASE("docs.session: the identity map gives one object per key", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author, OrderLine>();
    orm_test::seed(db, Author{.name = "Ada"}, Author{.name = "Bob"}, OrderLine{.order_id = 7, .number = 2, .sku = "S"});
    orm::session s(db);
    const auto got = identity(s);
    REQUIRE(got.a);
    CHECK(got.a == got.b);
    REQUIRE(got.all.size() == 2);
    CHECK(got.all[0] == got.a);
    REQUIRE(got.l);
    CHECK(got.l->sku == "S");
}

TEST_CASE("docs.session: dirty() lists the changed objects", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.name = "Ada"}, Author{.name = "Bob"});
    orm::session s(db);
    s.get<Author>(1)->name = "Ada L.";
    s.get<Author>(2);
    show_dirty(s);
    REQUIRE(s.dirty().size() == 1);
    CHECK(s.dirty()[0].as<Author>()->name == "Ada L.");
}

TEST_CASE("docs.session: flush(object) writes one new object at a time", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    orm_test::seed(db, Author{.name = "Ada"});
    orm::session s(db);
    const auto index = add_each(s, {Book{.author_id = 1, .title = "a"}, Book{.author_id = 1, .title = "b"}});
    REQUIRE(index.size() == 2);
    CHECK(index.at(2)->title == "b");
    CHECK(s.status(*index.at(1)) == orm::object_status::persistent);
}

TEST_CASE("docs.session: a rolled-back savepoint expires and detaches", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author>();
    orm::session s(db);
    Author& outer = savepoints(s);
    CHECK(outer.name == "outer");
    s.commit();
    auto conn = db.connect();
    CHECK(orm_test::count_rows(conn, "author") == 1);
}

TEST_CASE("docs.session: a before_update listener stamps the row in the same UPDATE", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Document>();
    orm_test::seed(db, Document{.title = "draft"});
    orm::session s(db);
    stamped(s, *s.get<Document>(1));
    auto conn = db.connect();
    const auto saved = conn.get<Document>(std::int64_t{1});
    CHECK(saved->title == "edited");
    CHECK(saved->updated_at.has_value());
    CHECK(saved->version == 2);
}

TEST_CASE("docs.session: run_transaction commits the transfer", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Account>();
    orm_test::seed(db, Account{.balance = 100}, Account{.balance = 0});
    orm::session s(db);
    transfer(s);
    auto conn = db.connect();
    CHECK(conn.get<Account>(std::int64_t{1})->balance == 90);
    CHECK(conn.get<Account>(std::int64_t{2})->balance == 10);
}

TEST_CASE("docs.session: locking reads in a session", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Account, Job>();
    orm_test::seed(db, Account{.balance = 1}, Job{.name = "a"}, Job{.name = "b", .done = true});
    orm::session s(db);
    const auto jobs = locked(s);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0]->name == "a");
    s.commit();
    auto conn = db.connect();
    CHECK(conn.get<Account>(std::int64_t{1})->balance == 2);
}
