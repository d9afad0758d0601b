// docs/getting_started.md's code, run on SQLite. (The quickstart it shows is
// samples/01_quickstart.cpp itself, run by ctest sqlite.docs.getting_started.quickstart.)
#if !defined(ORM_DOCS_PROGRAM)
#include <filesystem>
#include <iostream>

#include "snippets.hpp"

using models::Author;
using models::Book;
using models::OrderLine;

namespace {

struct engine_and_status {
    orm::engine engine;
    orm::pool_status status;
};

engine_and_status engine_options_example() {
    // [engine-options]
    orm::engine_options options{
        .pool_size = 10,                                    // idle connections kept (default 5, at least 1)
        .max_overflow = 20,                                 // extra connections under load (default 10)
        .checkout_timeout = std::chrono::milliseconds(2000),// then orm::timeout_error (default 30 s)
        .echo = true,                                       // log statements to stderr
        .hide_parameters = true,                            // keep values out of echo and on_sql
    };
    options.on_sql = [](const orm::sql_event& e) {          // after every statement, on the calling thread
        if (e.duration > std::chrono::milliseconds(100)) std::cerr << "slow: " << e.sql << '\n';
    };
    options.connect.connect_timeout_seconds = 5;            // MySQL connect timeout (default 10)
    options.connect.busy_timeout_ms = 1000;                 // SQLite lock wait (default 5000)
    options.pre_ping = true;                                // ping an idle connection before handing it out
    options.recycle = std::chrono::minutes(30);             // replace connections older than this (default: never)
    options.use_returning = true;                           // INSERT ... RETURNING where the server has it
    auto engine = orm::create_engine("sqlite:///app.db", options);
    orm::pool_status s = engine.status();                   // in_use, idle, overflow, opened, invalidated, recycled, pool_invalidations, waits, sessions_reset
    engine.invalidate_pool();                               // e.g. after a fail-over: every connection opened so far is replaced
    // [/engine-options]
    return {engine, s};
}

struct raw_sql_results {
    std::int64_t id = 0;
    std::string name;
    std::int64_t n = 0;
    std::uint64_t changed = 0;
};

raw_sql_results raw_sql(const orm::engine& engine) {
    // [raw-sql]
    auto conn = engine.connect();
    orm::result r = conn.execute("SELECT id, name, email FROM author WHERE name = ?", "O'Brien; --");
    for (const orm::row& row : r) {
        auto id = row.get<std::int64_t>(0);                          // by position
        auto email = row.get<std::optional<std::string>>("email");   // by name; NULL needs optional
        std::cout << id << ": " << email.value_or("no email") << '\n';
    }
    auto [id, name, email] = r.front().as<std::int64_t, std::string, std::optional<std::string>>();
    auto n = conn.execute("SELECT COUNT(*) FROM author").scalar<std::int64_t>();
    auto changed = conn.execute("UPDATE author SET email = ? WHERE id = ?", orm::null, id).affected_rows();
    // [/raw-sql]
    return {id, name, n, changed};
}

}  // namespace

// [report-summary]
namespace report {                     // a named namespace: see the note below
struct summary {
    std::string name;
    std::int64_t n = 0;
};
}  // namespace report
// [/report-summary]

namespace {

auto query_rows(orm::connection& conn) {
    // [query-rows]
    auto tuples = conn.query<std::tuple<std::string, std::optional<std::string>>>(
        "SELECT name, email FROM author ORDER BY name");            // by position
    auto rows = conn.query<report::summary>(
        "SELECT name, COUNT(*) AS n FROM author WHERE id > ? GROUP BY name", 0);  // by field name
    // [/query-rows]
    return std::pair{tuples, rows};
}

void transactions(orm::connection& conn) {
    Author ada{.name = "Ada"};
    Author risky{.name = "Risky"};
    // [transactions]
    {
        auto tx = conn.begin();              // BEGIN (MySQL: START TRANSACTION)
        conn.insert(ada);
        {
            auto sp = conn.begin_nested();   // SAVEPOINT "orm_sp_1"
            conn.insert(risky);
            sp.rollback();                   // ROLLBACK TO SAVEPOINT: undoes only `risky`
        }
        tx.commit();                         // COMMIT
    }                                        // a transaction destroyed while active rolls back
    // [/transactions]
}

struct persistence_results {
    std::optional<Author> a;
    std::uint64_t matched = 0, removed = 0;
    std::vector<Author> everyone;
    std::optional<OrderLine> line;
};

persistence_results persistence(orm::connection& conn) {
    // [persistence]
    Author ada{.name = "Ada"};
    conn.insert(ada);                                  // id 0: generated, then written back into ada.id
    std::optional<Author> a = conn.get<Author>(ada.id); // nullopt when no row has that key
    ada.email = "ada@example.org";
    std::uint64_t matched = conn.update(ada);          // sets every non-key column; 0 if no such row
    std::uint64_t removed = conn.remove(ada);          // DELETE by key; 0 or 1
    std::vector<Author> everyone = conn.all<Author>(); // ORDER BY the primary key
    auto line = conn.get<OrderLine>(std::int64_t{1}, 2); // composite key: every part, in key order
    // [/persistence]
    return {a, matched, removed, everyone, line};
}

void create_and_drop(const orm::engine& engine) {
    // [create-drop]
    orm::create_all<Author, Book>(engine);  // CREATE TABLE / INDEX IF NOT EXISTS, referenced tables first
    orm::drop_all<Author, Book>(engine);    // DROP TABLE IF EXISTS, dependents first
    for (const std::string& ddl : orm::create_all_ddl(engine.sql_dialect(),
                                                      {&orm::table_of<Author>(), &orm::table_of<Book>()}))
        std::cout << ddl << ";\n";          // review the DDL, or write a migration script
    // [/create-drop]
}

}  // namespace

TEST_CASE("docs.getting_started: engine options make a working engine", "[sqlite][docs]") {
    std::filesystem::remove("app.db");
    auto [engine, before] = engine_options_example();
    CHECK(before.opened == 0);
    CHECK(engine.status().pool_invalidations == 1);
    auto conn = engine.connect();
    CHECK(conn.execute("SELECT 1").scalar<std::int64_t>() == 1);
    CHECK(engine.status().opened == 1);
}

TEST_CASE("docs.getting_started: raw SQL binds values and reads rows", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.name = "O'Brien; --", .email = "ob@example.org"}, Author{.name = "Ada"});
    const auto got = raw_sql(db);
    CHECK(got.id == 1);
    CHECK(got.name == "O'Brien; --");
    CHECK(got.n == 2);
    CHECK(got.changed == 1);
    auto conn = db.connect();
    CHECK_FALSE(conn.get<Author>(std::int64_t{1})->email);
}

TEST_CASE("docs.getting_started: query<T> reads tuples by position and structs by field name", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author>();
    orm_test::seed(db, Author{.name = "Bob"}, Author{.name = "Ada", .email = "ada@example.org"}, Author{.name = "Ada"});
    auto conn = db.connect();
    const auto [tuples, rows] = query_rows(conn);
    REQUIRE(tuples.size() == 3);
    CHECK(std::get<0>(tuples[0]) == "Ada");
    REQUIRE(rows.size() == 2);
    CHECK((rows[0].name == "Ada" && rows[0].n == 2));  // two authors named Ada
}

TEST_CASE("docs.getting_started: a rolled-back savepoint undoes only its part", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    transactions(conn);
    const auto everyone = conn.all<Author>();
    REQUIRE(everyone.size() == 1);
    CHECK(everyone[0].name == "Ada");
}

TEST_CASE("docs.getting_started: insert, get, update, remove, all and a composite key", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author, OrderLine>();
    orm_test::seed(db, OrderLine{.order_id = 1, .number = 2, .sku = "X-1", .quantity = 3});
    auto conn = db.connect();
    const auto got = persistence(conn);
    REQUIRE(got.a);
    CHECK(got.a->name == "Ada");
    CHECK(got.matched == 1);
    CHECK(got.removed == 1);
    CHECK(got.everyone.empty());
    REQUIRE(got.line);
    CHECK(got.line->sku == "X-1");
    // A raw query's column matches a field by name or by the model's orm::name ("qty").
    CHECK(conn.query<OrderLine>("SELECT order_id, number, sku, qty FROM order_lines").at(0).quantity == 3);
}

TEST_CASE("docs.getting_started: create_all, drop_all and create_all_ddl", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Author>();
    create_and_drop(db);
    auto conn = db.connect();
    CHECK(conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('author', 'books')").scalar<std::int64_t>() == 0);
    const auto ddl = orm::create_all_ddl(db.sql_dialect(), {&orm::table_of<Author>(), &orm::table_of<Book>()});
    REQUIRE(ddl.size() == 3);  // two tables and the index on books.title
    CHECK(ddl[0].starts_with("CREATE TABLE IF NOT EXISTS \"author\""));
}

#elif ORM_DOCS_PROGRAM == 1
// [own-engine]
#include <orm/orm.hpp>
#include <orm/driver/sqlite.hpp>

int main() {
    orm::engine db(orm::url::parse("sqlite:///app.db"), orm::make_sqlite_dialect(),
                   orm::driver::make_sqlite_driver());
    auto conn = db.connect();
}
// [/own-engine]
#endif
