// Behaviour specific to SQLite: a busy database is retried by run_transaction;
// the keys of multi-row INSERTs with and without RETURNING.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <thread>

#include "../support/backend.hpp"
#include "../support/sql_log.hpp"

#include <orm/driver/sqlite.hpp>

namespace {

// Authors named `names`, inserted with insert_many inside a transaction; returns them with their keys.
std::vector<models::Author> insert_in_transaction(orm::connection& conn, const std::vector<std::string>& names) {
    std::vector<models::Author> authors;
    for (const auto& n : names) authors.push_back(models::Author{.name = n});
    auto tx = conn.begin();
    conn.insert_many(authors);
    tx.commit();
    return authors;
}

// How many logged statements are INSERTs, and whether any asked for keys with RETURNING.
std::pair<std::size_t, bool> inserts_logged(const orm_test::sql_log& log) {
    std::size_t count = 0;
    bool returning = false;
    for (const auto& l : log.lines) {
        if (l.rfind("INSERT", 0) != 0) continue;
        ++count;
        returning = returning || l.find("RETURNING") != std::string::npos;
    }
    return {count, returning};
}

// Every author's key reads back its own row.
void check_keys_match_rows(orm::connection& conn, const std::vector<models::Author>& authors) {
    for (const auto& a : authors) {
        INFO(a.name << " got key " << a.id);
        auto row = conn.get<models::Author>(a.id);
        REQUIRE(row);
        CHECK(row->name == a.name);
    }
}

}  // namespace

TEST_CASE("a multi-row INSERT takes its keys from the last insert id once a query shows they are consecutive", "[connection]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<models::Author>(log.options());
    auto conn = db.connect();
    log.clear();
    auto authors = insert_in_transaction(conn, {"a", "b", "c"});
    CHECK(inserts_logged(log) == std::pair<std::size_t, bool>{1, false});
    CHECK(log.lines.size() == 4);  // BEGIN, the check, the INSERT, COMMIT
    CHECK(authors[0].id == 1);
    CHECK(authors[2].id == 3);
    check_keys_match_rows(conn, authors);

    // Outside a transaction the rows go in inside one of their own, so the check stays true.
    log.clear();
    std::vector<models::Author> more{{.name = "d"}, {.name = "e"}};
    conn.insert_many(more);
    CHECK(log.lines.front() == "BEGIN");
    CHECK(log.lines.back() == "COMMIT");
    CHECK(inserts_logged(log) == std::pair<std::size_t, bool>{1, false});
    CHECK(more[0].id == 4);
    CHECK(more[1].id == 5);
}

TEST_CASE("insert_many outside a transaction is all or nothing", "[connection]") {
    auto db = orm_test::fresh_engine<models::Author>();
    auto conn = db.connect();
    conn.execute("CREATE TRIGGER author_refuse BEFORE INSERT ON author WHEN NEW.name = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    std::vector<models::Author> authors{{.name = "a"}, {.name = "b"}, {.name = "bad"}};
    CHECK_THROWS_AS(conn.insert_many(authors), orm::database_error);
    CHECK(orm_test::count_rows(conn, "author") == 0);
    conn.insert(authors[0]);  // the connection is usable, in autocommit again
    CHECK(orm_test::count_rows(db, "author") == 1);
}

TEST_CASE("a trigger inserting rows of the same table between ours: one row per statement, keys exact", "[connection]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<models::Author>(log.options());
    auto conn = db.connect();
    conn.execute("CREATE TRIGGER author_echo AFTER INSERT ON author WHEN NEW.name NOT LIKE 'echo%' "
                 "BEGIN INSERT INTO author (name) VALUES ('echo ' || NEW.name); END");
    log.clear();
    auto authors = insert_in_transaction(conn, {"a", "b", "c"});
    CHECK(inserts_logged(log) == std::pair<std::size_t, bool>{3, false});
    CHECK(authors[0].id == 1);  // a = 1, echo a = 2, b = 3, ...
    CHECK(authors[1].id == 3);
    CHECK(authors[2].id == 5);
    check_keys_match_rows(conn, authors);
    CHECK(orm_test::count_rows(conn, "author") == 6);
}

TEST_CASE("a REPLACE conflict clause keeps a statement's keys consecutive", "[connection]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<models::Author>(log.options());
    auto conn = db.connect();
    conn.execute("DROP TABLE author");
    conn.execute("CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE ON CONFLICT REPLACE, email TEXT)");
    log.clear();
    // The second "x" replaces the first, which holds the largest key; its rowid was chosen before that delete.
    auto authors = insert_in_transaction(conn, {"y", "x", "x"});
    CHECK(inserts_logged(log) == std::pair<std::size_t, bool>{1, false});
    CHECK(authors[0].id == 1);
    CHECK(authors[1].id == 2);
    CHECK(authors[2].id == 3);
    CHECK(orm_test::count_rows(conn, "author") == 2);
    CHECK(conn.get<models::Author>(3)->name == "x");
    CHECK_FALSE(conn.get<models::Author>(2));
}

TEST_CASE("a table already holding the largest rowid gets random keys: one row per statement, keys exact", "[connection]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<models::Author>(log.options());
    auto conn = db.connect();
    conn.execute("DROP TABLE author");
    conn.execute("CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)");
    conn.execute("INSERT INTO author (id, name) VALUES (?, 'last')", std::numeric_limits<std::int64_t>::max());
    log.clear();
    auto authors = insert_in_transaction(conn, {"a", "b", "c"});
    CHECK(inserts_logged(log) == std::pair<std::size_t, bool>{3, false});
    check_keys_match_rows(conn, authors);
}

TEST_CASE("run_transaction retries while another connection holds the write lock (SQLITE_BUSY)", "[session][concurrency]") {
    orm::engine_options options;
    options.connect.busy_timeout_ms = 10;
    auto db = orm_test::fresh_engine<models::Author>(options);
    auto blocker = db.connect();
    blocker.execute("BEGIN IMMEDIATE");
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        blocker.execute("COMMIT");
    });
    orm::session s(db);
    int attempts = 0;
    try {
        s.run_transaction(
            [&](orm::session& tx) {
                ++attempts;
                (void)tx.add(models::Author{.name = "patient"});
            },
            {.max_attempts = 50, .initial_backoff = std::chrono::milliseconds(10), .multiplier = 1.5});
    } catch (...) {
        release.join();
        throw;
    }
    release.join();
    CHECK(attempts >= 2);
    auto conn = db.connect();
    CHECK(conn.execute("SELECT COUNT(*) FROM author").scalar<int>() == 1);
}

TEST_CASE("a busy error is marked retryable, a constraint error is not", "[errors]") {
    orm::engine_options options;
    options.connect.busy_timeout_ms = 1;
    auto db = orm_test::fresh_engine<models::Author>(options);
    auto holder = db.connect();
    holder.execute("BEGIN IMMEDIATE");
    auto other = db.connect();
    try {
        other.execute("INSERT INTO author (name) VALUES (?)", "x");
        FAIL("expected orm::operational_error");
    } catch (const orm::operational_error& e) {
        CHECK(e.is_retryable());
        CHECK((e.native_code() & 0xff) == 5);  // SQLITE_BUSY
    }
    holder.execute("ROLLBACK");
    try {
        other.execute("INSERT INTO author (name) VALUES (?)", orm::null);
        FAIL("expected orm::integrity_error");
    } catch (const orm::integrity_error& e) {
        CHECK_FALSE(e.is_retryable());
    }
}

// ---- exact decimals on SQLite --------------------------------------------------------------

namespace sqlite_decimals {
/// A table another tool made: NUMERIC columns holding floating-point values and text.
struct Measured {
    std::int64_t id = 0;
    orm::decimal amount;  ///< no orm::precision: read as it is stored
};
struct Priced {
    std::int64_t id = 0;
    orm::decimal amount;  ///< declared DECIMAL(10, 2): orm's own storage assumed for filters
};
}  // namespace sqlite_decimals
template <>
struct orm::model<sqlite_decimals::Priced> {
    static constexpr auto table = "measured";
    static constexpr auto columns = orm::columns(orm::column(&sqlite_decimals::Priced::amount, orm::precision(10, 2)));
};

TEST_CASE("DECIMAL(p <= 18) is stored as a scaled integer: raw SQL sees the integer, orm reads the exact text", "[decimal]") {
    auto db = orm_test::fresh_engine<store::Ledger>();
    auto conn = db.connect();
    store::Ledger row{0, "a", orm::decimal("-9.99"), orm::decimal("0.0005"), 1};
    conn.insert(row);
    auto stored = conn.query<std::tuple<std::string, std::int64_t, std::string>>(
        "SELECT typeof(amount), amount + 0, typeof(adjust) FROM ledger");
    CHECK(stored == std::vector<std::tuple<std::string, std::int64_t, std::string>>{{"integer", -999, "integer"}});
    // The driver knows the declared type SCALED_DECIMAL(p, s): a raw SELECT of the column reads exactly.
    auto raw = conn.query<std::tuple<orm::decimal, orm::decimal>>("SELECT amount, adjust FROM ledger");
    REQUIRE(raw.size() == 1);
    CHECK(std::get<0>(raw[0]).to_string() == "-9.99");
    CHECK(std::get<1>(raw[0]).to_string() == "0.0005");
    CHECK_THROWS_AS(conn.query<std::tuple<std::int64_t>>("SELECT amount FROM ledger"), orm::data_error);  // not an integer
}

TEST_CASE("the declared SCALED_DECIMAL types are read again when the schema changes under a cached statement", "[decimal]") {
    auto db = orm_test::make_engine();
    auto conn = db.connect();
    // The table made again with `type`, holding the integer 123.
    auto recreate = [&](const std::string& type) {
        conn.execute("DROP TABLE IF EXISTS rescaled");
        conn.execute("CREATE TABLE rescaled (amount " + type + ")");
        conn.execute("INSERT INTO rescaled (amount) VALUES (123)");
    };
    const std::string select = "SELECT amount FROM rescaled";
    recreate("SCALED_DECIMAL(10, 2)");
    CHECK(conn.execute(select).scalar<std::string>() == "1.23");
    CHECK(conn.execute(select).scalar<std::string>() == "1.23");  // the cached statement, its scales kept
    // The same text: SQLite re-prepares the cached statement, and the driver reads the new declared type.
    recreate("INTEGER");
    CHECK(conn.execute(select).scalar<std::int64_t>() == 123);
    recreate("SCALED_DECIMAL(10, 3)");
    CHECK(conn.execute(select).scalar<std::string>() == "0.123");
    conn.execute("DROP TABLE rescaled");
}

TEST_CASE("a NUMERIC column made by another tool reads exactly", "[decimal]") {
    auto db = orm_test::make_engine();
    auto conn = db.connect();
    conn.execute("DROP TABLE IF EXISTS measured");
    conn.execute("CREATE TABLE measured (id INTEGER PRIMARY KEY, amount NUMERIC(10, 2))");
    conn.execute("INSERT INTO measured (id, amount) VALUES (1, 0.98999999999999999), (2, '10.5'), (3, 7)");
    auto plain = conn.select<sqlite_decimals::Measured>().order_by(orm::asc(&sqlite_decimals::Measured::id)).all();
    REQUIRE(plain.size() == 3);
    CHECK(plain[0].amount.to_string() == "0.99");
    CHECK(plain[1].amount.to_string() == "10.5");
    CHECK(plain[2].amount.to_string() == "7");
    // Declared with a precision, it still reads as stored (only integers are taken as scaled).
    auto declared = conn.select<sqlite_decimals::Priced>().order_by(orm::asc(&sqlite_decimals::Priced::id)).all();
    REQUIRE(declared.size() == 3);
    CHECK(declared[0].amount.to_string() == "0.99");
    CHECK(declared[1].amount.to_string() == "10.5");
}

TEST_CASE("decimal arithmetic that would pass 64 bits fails instead of going inexact", "[decimal]") {
    auto db = orm_test::fresh_engine<store::Ledger>();
    auto conn = db.connect();
    store::Ledger big{0, "a", orm::decimal("99999999.99"), std::nullopt, 2'000'000'000};
    conn.insert(big);
    using orm::col;
    // 9999999999 * 2e9 does not fit 64 bits: SQLite would go on in floating point.
    auto product = conn.select<store::Ledger>().columns(col(&store::Ledger::amount) * col(&store::Ledger::quantity));
    CHECK_THROWS_WITH(product.all(), Catch::Contains("integer overflow"));
    CHECK_THROWS_WITH(conn.select<store::Ledger>().where(col(&store::Ledger::amount) * col(&store::Ledger::quantity) > 5).count(),
                      Catch::Contains("integer overflow"));
    // What fits is exact.
    CHECK(conn.select<store::Ledger>().columns(col(&store::Ledger::amount) * 3).one() == orm::decimal("299999999.97"));
}

TEST_CASE("a DECIMAL of more than 18 digits is exact text: = and <> only", "[decimal]") {
    auto db = orm_test::make_engine();
    auto conn = db.connect();
    using orm::col;
    using sqlite_decimals::Measured;  // orm::decimal without a precision: DECIMAL(38, 10)
    conn.execute("DROP TABLE IF EXISTS measured");
    orm::create_all<Measured>(db);
    Measured m{0, orm::decimal("12345678901234567890.123")};
    conn.insert(m);
    CHECK(conn.select<Measured>().where(col(&Measured::amount) == orm::decimal("12345678901234567890.1230")).count() == 1);
    CHECK(conn.select<Measured>().where(col(&Measured::amount) != orm::decimal("1")).count() == 1);
    CHECK_THROWS_WITH(conn.select<Measured>().where(col(&Measured::amount) < orm::decimal("1")).count(), Catch::Contains("stored as text"));
    CHECK_THROWS_WITH(conn.select<Measured>().order_by(orm::asc(&Measured::amount)).all(), Catch::Contains("stored as text"));
    CHECK_THROWS_WITH(conn.select<Measured>().columns(orm::sum(col(&Measured::amount))).all(), Catch::Contains("stored as text"));
    CHECK(conn.select<Measured>().one().amount.to_string() == "12345678901234567890.123");
}

TEST_CASE("a second connection to an in-memory database fails at once and says why", "[pool][errors]") {
    for (const char* url : {"sqlite://", "sqlite:///:memory:"}) {
        INFO(url);
        auto db = orm::create_engine(url);  // the default checkout_timeout: 30 s
        auto first = db.connect();
        CHECK_THROWS_AS(db.connect(), orm::interface_error);
        CHECK_THROWS_WITH(db.connect(), Catch::Contains("in-memory") && Catch::Contains("separate") &&
                                            Catch::Contains("hold one connection") && Catch::Contains("file"));
        first.close();
        CHECK(db.connect().execute("SELECT 1").scalar<int>() == 1);  // once returned, it is handed out again
    }
}

TEST_CASE("an in-memory database keeps its rows when raw SQL changed its session: it is reset, not closed", "[pool]") {
    using models::Author;
    using models::Book;
    auto db = orm::create_engine("sqlite://");
    orm::create_all<Author, Book>(db);
    Author ada{.name = "Ada"};
    {
        auto conn = db.connect();
        conn.insert(ada);
        conn.run_simple("PRAGMA foreign_keys = OFF");
        conn.execute("CREATE TEMP TABLE orm_test_scratch (x INTEGER)");
        CHECK(conn.execute("PRAGMA foreign_keys").scalar<int>() == 0);
    }
    auto conn = db.connect();
    CHECK(conn.execute("PRAGMA foreign_keys").scalar<int>() == 1);
    CHECK_THROWS_AS(conn.execute("SELECT COUNT(*) FROM orm_test_scratch"), orm::programming_error);
    REQUIRE(conn.get<Author>(ada.id));
    CHECK(conn.get<Author>(ada.id)->name == "Ada");
    Book orphan{.author_id = ada.id + 100, .title = "orphan"};
    CHECK_THROWS_AS(conn.insert(orphan), orm::integrity_error);
    CHECK(db.status().opened == 1);  // the same database all along
}

TEST_CASE("a locking read needs a transaction that holds SQLite's write lock", "[concurrency]") {
    auto db = orm_test::fresh_engine<models::Account>();
    orm_test::seed(db, models::Account{.id = 1, .balance = 5});
    auto conn = db.connect();
    {
        auto tx = conn.begin();  // deferred: reads take no write lock
        CHECK_THROWS_WITH(conn.get<models::Account>(orm::for_update, 1), Catch::Contains("holds the write lock"));
    }
    {
        auto tx = conn.begin({.write = true});  // BEGIN IMMEDIATE
        CHECK(conn.get<models::Account>(orm::for_update, 1)->balance == 5);
        // Another writer waits (here: gives up after its busy timeout).
        orm::engine quick(db.target(), orm::make_sqlite_dialect(), orm::driver::make_sqlite_driver(),
                          orm::engine_options{.connect = {.busy_timeout_ms = 50}});  // the same file
        try {
            quick.connect().execute(orm::update<models::Account>().set(&models::Account::balance, std::int64_t{6}));
            FAIL("expected the write lock to be taken");
        } catch (const orm::error& e) {
            CHECK(e.is_retryable());  // SQLITE_BUSY
        }
        tx.commit();
    }
    // In a session, a locking read as the first statement begins the transaction with the write lock.
    orm_test::sql_log log;
    orm::engine logged(db.target(), orm::make_sqlite_dialect(), orm::driver::make_sqlite_driver(), log.options());
    orm::session s(logged);
    REQUIRE(s.get<models::Account>(orm::for_update, 1));
    REQUIRE_FALSE(log.lines.empty());
    CHECK(std::find(log.lines.begin(), log.lines.end(), "BEGIN IMMEDIATE") != log.lines.end());
    s.commit();
}
