// Behaviour specific to SQLite: a busy database is retried by run_transaction.
#include <catch2/catch.hpp>

#include <thread>

#include "../support/backend.hpp"

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
                tx.add(models::Author{.name = "patient"});
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
