// Concurrency control a user asks for: locking reads, isolation levels,
// run_transaction retrying a whole unit. On every backend.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "../support/backend.hpp"

using namespace models;

TEST_CASE("16 threads increment one unversioned row through run_transaction with a locking read: no update is lost",
          "[session][concurrency]") {
    auto db = orm_test::fresh_engine<Account>(orm::engine_options{.pool_size = 16, .max_overflow = 4});
    orm_test::seed(db, Account{.id = 1, .balance = 0});
    std::atomic<std::int64_t> commits{0};
    std::atomic<int> failures{0};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    std::vector<std::thread> workers;
    for (int t = 0; t < 16; ++t) {
        workers.emplace_back([&] {
            orm::session s(db);
            while (std::chrono::steady_clock::now() < deadline) {
                try {
                    s.run_transaction(
                        [](orm::session& tx) {
                            Account* account = tx.get<Account>(orm::for_update, 1);  // locked until commit
                            if (!account) throw std::runtime_error("no account");
                            account->balance += 1;
                        },
                        orm::retry_policy{.max_attempts = 100, .initial_backoff = std::chrono::milliseconds(1)});
                    ++commits;
                } catch (const std::exception&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& w : workers) w.join();
    auto conn = db.connect();
    const auto final_balance = conn.get<Account>(1)->balance;
    INFO("commits " << commits << ", failed units " << failures);
    CHECK(commits > 16);
    CHECK(final_balance == commits.load());
}

TEST_CASE("a locking read in a session refreshes the objects it reads, and refuses to drop unflushed changes", "[session][concurrency]") {
    auto db = orm_test::fresh_engine<Account>();
    orm_test::seed(db, Account{.id = 1, .balance = 10}, Account{.id = 2, .balance = 20});
    orm::session s(db);
    Account* one = s.get<Account>(1);
    REQUIRE(one);
    s.commit();
    db.connect().execute(orm::update<Account>().set(&Account::balance, std::int64_t{11}).where(orm::col(&Account::id) == 1));
    // A plain read keeps the identity map's object as it is; a locking one takes the row.
    CHECK(s.query<Account>().where(orm::col(&Account::id) == 1).one()->balance == 10);
    s.rollback();
    CHECK(s.query<Account>().lock(orm::for_update).order_by(orm::asc(&Account::id)).all().front() == one);
    CHECK(one->balance == 11);
    one->balance = 99;
    s.set_autoflush(false);
    CHECK_THROWS_WITH(s.get<Account>(orm::for_update, 1), Catch::Contains("unflushed changes"));
    CHECK(one->balance == 99);  // not overwritten
    s.flush();
    CHECK(s.get<Account>(orm::for_update, 1)->balance == 99);
    s.commit();
    CHECK(db.connect().get<Account>(1)->balance == 99);
    CHECK(s.get<Account>(orm::for_update, 7) == nullptr);
    s.rollback();  // SQLite has one writer: the session's write transaction ends before the next
    // A connection locks too.
    auto conn = db.connect();
    auto tx = conn.begin({.write = true});
    CHECK(conn.get<Account>(orm::for_update, 2)->balance == 20);
    CHECK(conn.select<Account>().lock(orm::for_share).count() == 2);
    tx.commit();
}

TEST_CASE("run_transaction retries a stale row with retry_stale_data, and begins as asked", "[session][concurrency]") {
    auto db = orm_test::fresh_engine<Document>();
    orm_test::seed(db, Document{.id = 1, .title = "v1"});
    auto other = db.connect();
    orm::session s(db);
    REQUIRE(s.get<Document>(1));
    s.commit();  // the session keeps the object, at version 1
    int attempts = 0;
    auto unit = [&](orm::session& tx) {
        Document* d = tx.get<Document>(1);  // the session's object: no SQL (after a rollback it is reloaded)
        REQUIRE(d);
        if (++attempts == 1) {  // someone else changes the row between our read and our write
            other.execute(orm::update<Document>().set(&Document::version, d->version + 1).where(orm::col(&Document::id) == 1));
        }
        d->title = "mine";
    };
    CHECK_THROWS_AS(s.run_transaction(unit), orm::stale_data_error);
    CHECK(attempts == 1);
    attempts = 0;
    REQUIRE(s.get<Document>(1));  // reloaded (the rollback expired it)...
    s.commit();
    other.execute(orm::update<Document>().set(&Document::version, std::int64_t{1}).where(orm::col(&Document::id) == 1));  // ...and stale again
    s.run_transaction(unit, orm::retry_policy{.retry_stale_data = true});
    CHECK(attempts == 2);
    CHECK(db.connect().get<Document>(1)->title == "mine");
    // An isolation level and write intent are accepted on every backend
    // (SQLite gives serializable, its only level).
    s.run_transaction([](orm::session& tx) { tx.get<Document>(1)->title = "serial"; }, {},
                      {.isolation = orm::isolation::serializable, .write = true});
    CHECK(db.connect().get<Document>(1)->title == "serial");
}
