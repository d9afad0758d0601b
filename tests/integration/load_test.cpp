// Load: many threads share a small pool; every unit of work commits exactly once
// and no connection leaks.
#include <catch2/catch.hpp>

#include <iostream>
#include <mutex>
#include <thread>

#include "../support/backend.hpp"

using namespace models;

TEST_CASE("16 threads x 500 units of work on a pool of 4: counts exact, no leaked connection", "[load][pool]") {
    orm::engine_options options;
    options.pool_size = 4;
    options.max_overflow = 0;
    options.checkout_timeout = std::chrono::seconds(30);
    auto db = orm_test::fresh_engine<Author, Account>(options);
    orm_test::seed(db, Account{.id = 1});
    constexpr int threads = 16, units = 500;
    std::mutex errors_lock;
    std::vector<std::string> errors;  // Catch2 assertions are not thread-safe: collect, check after join
    std::vector<std::thread> workers;
    const auto started = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            try {
                orm::session s(db);
                for (int u = 0; u < units; ++u) {
                    s.run_transaction(
                        [&](orm::session& tx) {
                            (void)tx.add(Author{.name = std::to_string(t) + "/" + std::to_string(u)});
                            // orm's own UPDATE: raw SQL text would have each connection reset (or, on
                            // SQLite and Connector/C++, reopened) when the unit returns it to the pool.
                            tx.conn().execute(orm::update<Account>()
                                                  .set(&Account::balance, orm::col(&Account::balance) + std::int64_t{1})
                                                  .where(orm::col(&Account::id) == std::int64_t{1}));
                        },
                        {.max_attempts = 100, .initial_backoff = std::chrono::milliseconds(1), .max_backoff = std::chrono::milliseconds(50)});
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(errors_lock);
                errors.push_back("thread " + std::to_string(t) + ": " + e.what());
            }
        });
    }
    for (auto& w : workers) w.join();
    const auto status_after = db.status();
    std::cout << orm_test::backend_name() << " load test: " << threads * units << " units in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s; opened "
              << status_after.opened << ", waits " << status_after.waits << '\n';
    CHECK(errors == std::vector<std::string>{});
    auto conn = db.connect();
    CHECK(orm_test::count_rows(conn, "author") == threads * units);
    CHECK(conn.execute("SELECT COUNT(DISTINCT name) FROM author").scalar<std::int64_t>() == threads * units);
    CHECK(conn.get<Account>(std::int64_t{1})->balance == threads * units);
    conn.close();
    const auto status = db.status();
    CHECK(status.in_use == 0);
    CHECK(status.opened <= 4);
}
