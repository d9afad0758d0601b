// Fault test: the MariaDB server stops and starts again under load. Runs on a
// private server (see support/private_server.hpp) that the test restarts.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "../support/models.hpp"
#include "../support/private_server.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
namespace server = orm_test::private_server;

/// An engine on the private server with the author table dropped and created afresh.
/// The tests below count the pool's connections, so they use the (empty) table
/// through orm's own statements: raw SQL text (connection::execute) would have each
/// connection reset when returned, or closed by a driver that cannot reset a
/// session (Connector/C++), and reopened at the next checkout.
orm::engine fresh_author_table(orm::engine_options options) {
    options.connect.connect_timeout_seconds = 2;  // a stopped server refuses at once; a hung one must not stall the test
    auto db = server::create_engine(server::url(), std::move(options));
    orm::drop_all<models::Author>(db);
    orm::create_all<models::Author>(db);
    return db;
}

/// The outcome of the units of work, shared by the worker threads.
struct ledger {
    std::mutex lock;
    std::set<std::string> committed, failed, in_doubt;
    std::vector<std::string> unexpected;  ///< errors other than connection_error
    std::atomic<int> committed_after_restart{0};
    std::atomic<bool> restarted{false};
};

/// One unit of work: INSERT a row with `token` in a transaction and commit;
/// records the outcome in `book` and returns true if it committed. A failure
/// before COMMIT was sent means nothing was written; a COMMIT that fails leaves
/// the outcome unknown.
bool run_unit(const orm::engine& db, const std::string& token, ledger& book) {
    bool committing = false;
    try {
        orm::session s(db);
        (void)s.add(models::Author{.name = token});
        s.flush();
        committing = true;
        s.commit();
        std::lock_guard guard(book.lock);
        book.committed.insert(token);
        if (book.restarted) ++book.committed_after_restart;
        return true;
    } catch (const orm::error& e) {
        std::lock_guard guard(book.lock);
        (committing ? book.in_doubt : book.failed).insert(token);
        if (dynamic_cast<const orm::connection_error*>(&e) == nullptr) book.unexpected.push_back(e.what());
        return false;
    }
}

/// Waits until `done()` or `limit` passes; returns false on timeout.
template <class F>
bool wait_for(F done, std::chrono::seconds limit) {
    const auto deadline = clock_type::now() + limit;
    while (!done()) {
        if (clock_type::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

/// Every token in the author table, counting duplicates into `duplicates`.
std::set<std::string> tokens_in_table(const orm::engine& db, std::size_t& duplicates) {
    std::set<std::string> tokens;
    auto conn = db.connect();
    for (const auto& a : conn.select<models::Author>().all())
        if (!tokens.insert(a.name).second) ++duplicates;
    return tokens;
}

}  // namespace

TEST_CASE("the server restarts under load: committed units all present, failed ones absent, the engine recovers by itself",
          "[reliability][restart]") {
    constexpr int threads = 4;
    constexpr int wanted_before = 300, wanted_after = 300;
    auto db = fresh_author_table({.pool_size = 4, .max_overflow = 0, .checkout_timeout = std::chrono::seconds(10)});
    const auto started = clock_type::now();
    ledger book;
    std::atomic<bool> stop{false};
    std::atomic<int> units{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int u = 0; !stop; ++u) {
                ++units;
                // While the server is down every unit fails at once: do not spin.
                if (!run_unit(db, "t" + std::to_string(t) + "-" + std::to_string(u), book))
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });
    }
    auto committed_count = [&] {
        std::lock_guard guard(book.lock);
        return book.committed.size();
    };
    const bool warmed_up = wait_for([&] { return committed_count() >= wanted_before; }, std::chrono::seconds(20));
    const std::size_t committed_before = committed_count();

    const int stopped = server::control("stop-keep");  // mariadbd shuts down under the running units
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // down for a while: checkouts fail to connect
    const auto failed_while_down = [&] {
        std::lock_guard guard(book.lock);
        return book.failed.size() + book.in_doubt.size();
    }();
    book.restarted = true;  // units committed from now on ran on the restarted server
    const int restarted = server::control("start-again");
    const bool recovered = wait_for([&] { return book.committed_after_restart >= wanted_after; }, std::chrono::seconds(30));
    stop = true;
    for (auto& w : workers) w.join();
    const auto seconds = std::chrono::duration<double>(clock_type::now() - started).count();

    std::size_t duplicates = 0;
    const std::set<std::string> table = tokens_in_table(db, duplicates);
    const auto status = db.status();
    std::cout << "restart test: " << units << " units in " << seconds << " s; committed " << committed_before
              << " before the stop, " << book.committed_after_restart << " after the restart, "
              << book.committed.size() << " in all; failed " << book.failed.size() << " (" << failed_while_down
              << " while down), in doubt " << book.in_doubt.size() << "; rows " << table.size() << "; invalidated "
              << status.invalidated << ", pool invalidations " << status.pool_invalidations << ", opened "
              << status.opened << '\n';

    REQUIRE(stopped == 0);
    REQUIRE(restarted == 0);
    CHECK(warmed_up);
    CHECK(recovered);                          // the same engine serves again, with no help
    CHECK(book.failed.size() > 0);             // the fault really hit units of work
    CHECK(book.unexpected == std::vector<std::string>{});  // every failure was a typed connection_error
    CHECK(duplicates == 0);                    // none twice
    for (const auto& token : book.committed) CHECK(table.count(token) == 1);  // none lost
    for (const auto& token : book.failed) CHECK(table.count(token) == 0);     // failures wrote nothing
    for (const auto& token : table)                                            // nothing unaccounted for
        CHECK((book.committed.count(token) == 1 || book.in_doubt.count(token) == 1));
    CHECK(book.in_doubt.size() <= static_cast<std::size_t>(threads));  // at most one COMMIT in flight per thread
    CHECK(status.invalidated > 0);
    CHECK(status.pool_invalidations >= 1);
    CHECK(status.in_use == 0);
    CHECK(seconds < 60);
}

TEST_CASE("without pre_ping, the first use after a restart fails once and the rest of the pool reconnects without error",
          "[reliability][restart][pool]") {
    auto db = fresh_author_table({.pool_size = 4, .max_overflow = 0});
    auto use_all = [&] {  // four connections at once, each runs a statement
        std::vector<orm::connection> held;
        for (int i = 0; i < 4; ++i) held.push_back(db.connect());
        for (auto& c : held) CHECK(c.select<models::Author>().count() == 0);
    };
    use_all();
    REQUIRE(db.idle() == 4);
    REQUIRE(server::control("restart") == 0);

    int errors = 0;
    {
        auto conn = db.connect();  // a stale session: nothing checks it on the way out
        try {
            (void)conn.select<models::Author>().count();
        } catch (const orm::connection_error&) {
            ++errors;
        }
    }
    CHECK(errors == 1);
    CHECK(db.idle() == 0);  // the three other stale sessions were closed with it
    use_all();               // four fresh sessions, no error
    const auto status = db.status();
    CHECK(status.invalidated == 4);
    CHECK(status.pool_invalidations == 1);
    CHECK(status.opened == 8);
}

TEST_CASE("with pre_ping, a restart costs one failed ping and no error at all", "[reliability][restart][pool]") {
    auto db = fresh_author_table({.pool_size = 4, .max_overflow = 0, .pre_ping = true});
    std::vector<orm::connection> held;
    for (int i = 0; i < 4; ++i) held.push_back(db.connect());
    held.clear();
    REQUIRE(server::control("restart") == 0);
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 4; ++i) held.push_back(db.connect());
        for (auto& c : held) CHECK(c.select<models::Author>().count() == 0);  // never an error
        held.clear();
    }
    CHECK(db.status().invalidated == 4);
    CHECK(db.status().pool_invalidations == 1);
    CHECK(db.status().opened == 8);
}
