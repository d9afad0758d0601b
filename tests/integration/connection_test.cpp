// Raw SQL, typed results, transactions, savepoints, the pool and the SQL log.
#include <catch2/catch.hpp>

#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "../support/backend.hpp"
#include "../support/models.hpp"

using namespace models;

namespace connection_test {
struct summary {  // external linkage: reflected types cannot be local or in an anonymous namespace
    std::string name;
    std::int64_t n = 0;
};
}  // namespace connection_test
using connection_test::summary;

TEST_CASE("raw SQL binds parameters and reads rows as values, tuples and structs", "[connection]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    auto inserted = conn.execute("INSERT INTO author (name, email) VALUES (?, ?), (?, ?)", "Ada", "a@x", "O'Brien; --", orm::null);
    CHECK(inserted.affected_rows() == 2);
    auto r = conn.execute("SELECT id, name, email FROM author WHERE name = ?", "O'Brien; --");
    REQUIRE(r.size() == 1);
    CHECK(r.columns() == std::vector<std::string>{"id", "name", "email"});
    CHECK(r.front().get<std::string>("name") == "O'Brien; --");
    CHECK_FALSE(r.front().get<std::optional<std::string>>(2).has_value());
    auto [id, name, email] = r.front().as<std::int64_t, std::string, std::optional<std::string>>();
    CHECK(id > 0);
    CHECK(name == "O'Brien; --");

    auto tuples = conn.query<std::tuple<std::string, std::optional<std::string>>>("SELECT name, email FROM author ORDER BY name");
    REQUIRE(tuples.size() == 2);
    CHECK(std::get<0>(tuples[0]) == "Ada");
    CHECK(std::get<1>(tuples[0]) == "a@x");

    auto grouped = conn.query<summary>("SELECT name, COUNT(*) AS n FROM author WHERE id > ? GROUP BY name ORDER BY name", 0);
    REQUIRE(grouped.size() == 2);
    CHECK(grouped[1].name == "O'Brien; --");
    CHECK(grouped[1].n == 1);
}

TEST_CASE("a transaction rolls back unless committed", "[transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    {
        auto tx = conn.begin();
        Author a{.name = "discarded"};
        conn.insert(a);
    }  // destroyed without commit
    {
        auto tx = conn.begin();
        Author a{.name = "kept"};
        conn.insert(a);
        tx.commit();
        CHECK_THROWS_AS(tx.commit(), orm::interface_error);
    }
    auto tx = conn.begin();
    Author a{.name = "rolled back"};
    conn.insert(a);
    tx.rollback();
    auto names = conn.query<std::tuple<std::string>>("SELECT name FROM author");
    REQUIRE(names.size() == 1);
    CHECK(std::get<0>(names[0]) == "kept");
}

TEST_CASE("a savepoint rolls back only its own part", "[transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    CHECK_THROWS_AS(conn.begin_nested(), orm::interface_error);
    auto tx = conn.begin();
    CHECK_THROWS_AS(conn.begin(), orm::interface_error);
    Author outer{.name = "outer"};
    conn.insert(outer);
    {
        auto nested = conn.begin_nested();
        Author inner{.name = "inner"};
        conn.insert(inner);
        nested.rollback();
    }
    {
        auto nested = conn.begin_nested();
        Author kept{.name = "kept inner"};
        conn.insert(kept);
        nested.commit();
    }
    tx.commit();
    auto names = conn.query<std::tuple<std::string>>("SELECT name FROM author ORDER BY id");
    REQUIRE(names.size() == 2);
    CHECK(std::get<0>(names[0]) == "outer");
    CHECK(std::get<0>(names[1]) == "kept inner");
}

TEST_CASE("a connection returned to the pool with an open transaction is rolled back", "[pool][transactions]") {
    auto db = orm_test::fresh_engine<Author>(orm::engine_options{.pool_size = 1, .max_overflow = 0});
    {
        auto conn = db.connect();
        conn.execute(db.sql_dialect().begin_sql());
        conn.execute("INSERT INTO author (name) VALUES (?)", "left open");
    }  // returned without COMMIT
    auto conn = db.connect();  // the same pooled connection
    CHECK(conn.execute("SELECT COUNT(*) FROM author").scalar<int>() == 0);
}

TEST_CASE("session settings changed with raw SQL do not outlive the connection's return to the pool", "[pool]") {
    auto db = orm_test::fresh_engine<Author, Book>(orm::engine_options{.pool_size = 1, .max_overflow = 0});
    Author ada{.name = "Ada"};
    db.connect().insert(ada);
    if (orm_test::is_mysql()) {
        const auto default_isolation = db.connect().execute("SELECT @@GLOBAL.tx_isolation").scalar<std::string>();
        {
            auto conn = db.connect();
            conn.run_simple("SET SESSION sql_mode = ''");
            conn.execute(default_isolation == "SERIALIZABLE" ? "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"
                                                             : "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            conn.query<std::tuple<std::int64_t>>("SELECT @orm_test_marker := 42");
            conn.run_simple("CREATE TEMPORARY TABLE orm_test_scratch (x INT)");
            CHECK(conn.execute("SELECT @@SESSION.sql_mode").scalar<std::string>().empty());  // it took effect here
        }
        auto conn = db.connect();  // the same pooled connection (pool of one)
        CHECK_THAT(conn.execute("SELECT @@SESSION.sql_mode").scalar<std::string>(), Catch::Contains("STRICT_ALL_TABLES"));
        CHECK(conn.execute("SELECT @@SESSION.tx_isolation").scalar<std::string>() == default_isolation);
        CHECK_FALSE(conn.execute("SELECT @orm_test_marker").scalar<std::optional<std::int64_t>>().has_value());
        CHECK_THROWS_AS(conn.execute("SELECT COUNT(*) FROM orm_test_scratch"), orm::programming_error);
        CHECK(conn.execute("SELECT @@SESSION.time_zone").scalar<std::string>() == "+00:00");  // orm's own settings are back
        // Strict mode, behaviourally: an over-long title is refused, not cut to VARCHAR(200).
        Book long_title{.author_id = ada.id, .title = std::string(201, 'x')};
        CHECK_THROWS_AS(conn.insert(long_title), orm::data_error);
    } else {
        {
            auto conn = db.connect();
            conn.run_simple("PRAGMA foreign_keys = OFF");
            conn.query<std::tuple<std::int64_t>>("PRAGMA recursive_triggers = ON");
            conn.run_simple("CREATE TEMP TABLE orm_test_scratch (x INTEGER)");
            CHECK(conn.execute("PRAGMA foreign_keys").scalar<int>() == 0);  // it took effect here
        }
        auto conn = db.connect();
        CHECK(conn.execute("PRAGMA foreign_keys").scalar<int>() == 1);
        CHECK(conn.execute("PRAGMA recursive_triggers").scalar<int>() == 0);
        CHECK_THROWS_AS(conn.execute("SELECT COUNT(*) FROM orm_test_scratch"), orm::programming_error);
        Book orphan{.author_id = ada.id + 100, .title = "orphan"};
        CHECK_THROWS_AS(conn.insert(orphan), orm::integrity_error);  // foreign keys are enforced again
    }
    CHECK(orm_test::count_rows(db, "author") == 1);  // the data is untouched
    CHECK(db.status().sessions_reset >= 1);
}

TEST_CASE("orm's own statements leave a pooled connection as it is: no session reset", "[pool]") {
    auto db = orm_test::fresh_engine<Author>(orm::engine_options{.pool_size = 1, .max_overflow = 0});
    const auto before = db.status();
    {
        auto conn = db.connect();
        Author ada{.name = "Ada"};
        conn.insert(ada);
        auto tx = conn.begin();
        ada.name = "Ada L.";
        conn.update(ada);
        tx.commit();
        CHECK(conn.get<Author>(ada.id)->name == "Ada L.");
    }
    {
        orm::session s(db);
        (void)s.add(Author{.name = "Bob"});
        (void)s.add(Author{.name = "Cy"});  // two objects: the flush runs inside a savepoint
        s.commit();
    }
    const auto after = db.status();
    CHECK(after.sessions_reset == before.sessions_reset);
    CHECK(after.opened == before.opened);
    CHECK(after.idle == 1);
}

TEST_CASE("the pool limits connections and times out with timeout_error", "[pool]") {
    auto db = orm_test::make_engine(orm::engine_options{.pool_size = 1, .max_overflow = 1, .checkout_timeout = std::chrono::milliseconds(50)});
    auto first = db.connect();
    auto second = db.connect();  // the overflow connection
    CHECK(db.checked_out() == 2);
    CHECK_THROWS_AS(db.connect(), orm::timeout_error);
    second.close();  // kept: the pool holds up to pool_size idle connections
    CHECK(db.idle() == 1);
    CHECK(db.checked_out() == 1);
    first.close();   // the pool is full: this one is closed
    CHECK(db.idle() == 1);
    CHECK(db.checked_out() == 0);
    auto again = db.connect();
    CHECK(db.idle() == 0);
}

TEST_CASE("a waiting checkout gets a connection another thread returns", "[pool]") {
    auto db = orm_test::make_engine(orm::engine_options{.pool_size = 1, .max_overflow = 0, .checkout_timeout = std::chrono::seconds(10)});
    auto held = db.connect();
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        held.close();
    });
    auto conn = db.connect();
    releaser.join();
    CHECK(conn.execute("SELECT 2").scalar<int>() == 2);
}

TEST_CASE("the SQL log hook sees each statement, its parameters and its duration, and can hide parameters", "[logging]") {
    std::vector<std::string> statements;
    std::vector<std::vector<orm::value>> parameters;
    orm::engine_options options;
    options.on_sql = [&](const orm::sql_event& e) {
        statements.emplace_back(e.sql);
        parameters.emplace_back(e.params.begin(), e.params.end());
        CHECK(e.duration.count() >= 0);
    };
    auto db = orm_test::fresh_engine<Author>(options);
    statements.clear();
    parameters.clear();
    auto conn = db.connect();
    conn.execute("SELECT ? + 1", 41);
    REQUIRE_FALSE(statements.empty());
    CHECK(statements.back() == "SELECT ? + 1");
    CHECK(parameters.back() == std::vector<orm::value>{std::int64_t{41}});

    options.hide_parameters = true;
    auto hidden = orm_test::make_engine(options);
    auto conn2 = hidden.connect();
    conn2.execute("SELECT ?", "secret");
    CHECK(statements.back() == "SELECT ?");
    CHECK(parameters.back().empty());
}

TEST_CASE("echo writes each statement, its parameters and its time to stderr", "[logging]") {
    std::ostringstream captured;
    auto* previous = std::cerr.rdbuf(captured.rdbuf());
    try {
        auto db = orm_test::make_engine(orm::engine_options{.echo = true});
        auto conn = db.connect();
        conn.execute("SELECT ?", "visible");
    } catch (...) {
        std::cerr.rdbuf(previous);
        throw;
    }
    std::cerr.rdbuf(previous);
    const std::string log = captured.str();
    CHECK(log.find("[orm] SELECT ? ['visible'] (") != std::string::npos);
    CHECK(log.find(" ms)") != std::string::npos);
}

TEST_CASE("raw INSERT ... RETURNING yields its rows, and SUM() of integers reads as an integer", "[connection]") {
    auto db = orm_test::fresh_engine<Author, OrderLine>();
    auto conn = db.connect();
    auto r = conn.execute("INSERT INTO author (name) VALUES (?), (?) RETURNING id", "a", "b");
    REQUIRE(r.size() == 2);
    CHECK(r.at(0).get<std::int64_t>(0) + r.at(1).get<std::int64_t>(0) == 3);
    CHECK(conn.execute("SELECT SUM(id) FROM author").scalar<std::int64_t>() == 3);  // DECIMAL text on MySQL
    CHECK(conn.execute("UPDATE author SET name = ? WHERE id > ?", "c", 0).affected_rows() == 2);
}

TEST_CASE("query<T> matches result columns to renamed columns and to field names", "[connection]") {
    auto db = orm_test::fresh_engine<OrderLine>();
    auto conn = db.connect();
    conn.execute("INSERT INTO order_lines (order_id, number, sku, qty) VALUES (?, ?, ?, ?)", 1, 1, "S", 4);
    auto lines = conn.query<OrderLine>("SELECT * FROM order_lines");  // qty -> quantity
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].quantity == 4);
    auto by_field = conn.query<OrderLine>("SELECT order_id, number, sku, qty AS quantity FROM order_lines");
    CHECK(by_field.at(0).quantity == 4);
}

TEST_CASE("a transaction follows its connection when the connection is moved", "[transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    std::optional<orm::connection> holder;
    auto conn = db.connect();
    auto tx = conn.begin();
    conn.execute("INSERT INTO author (name) VALUES (?)", "moved");
    holder.emplace(std::move(conn));
    tx.commit();
    CHECK(holder->execute("SELECT COUNT(*) FROM author").scalar<int>() == 1);
    auto tx2 = holder->begin();
    holder.reset();  // closing the connection rolls its transaction back
    tx2.rollback();  // and the transaction object knows: nothing to do, no crash
    CHECK_FALSE(tx2.active());
}

TEST_CASE("commit and rollback of a moved-from transaction are interface errors, and destroying it does nothing", "[transactions]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    {
        auto tx = conn.begin();
        auto moved = std::move(tx);
        CHECK_FALSE(tx.active());
        CHECK_THROWS_MATCHES(tx.commit(), orm::interface_error, Catch::Matchers::Message("orm: this transaction was moved from"));
        CHECK_THROWS_MATCHES(tx.rollback(), orm::interface_error, Catch::Matchers::Message("orm: this transaction was moved from"));
        conn.execute("INSERT INTO author (name) VALUES (?)", "kept");
        CHECK(moved.active());
        moved.commit();
    }  // the moved-from transaction is destroyed after the commit: a no-op
    CHECK_FALSE(conn.in_transaction());
    CHECK(orm_test::count_rows(conn, "author") == 1);
}

TEST_CASE("the pool recycles connections older than `recycle` and reports its counters", "[pool]") {
    auto db = orm_test::make_engine(orm::engine_options{.pool_size = 2, .recycle = std::chrono::milliseconds(1)});
    db.connect().close();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto conn = db.connect();
    CHECK(conn.execute("SELECT 1").scalar<int>() == 1);
    const auto s = db.status();
    CHECK(s.opened == 2);
    CHECK(s.recycled == 1);
    CHECK(s.in_use == 1);
    CHECK(s.idle == 0);
}
