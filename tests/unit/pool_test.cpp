// The pool's reaction to disconnects, without a server: a scripted driver whose
// "server" can be restarted drops every session opened before the restart.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>

#include <orm/orm.hpp>

namespace {

/// What the scripted server's sessions share: a restart counter and counters of calls.
struct fake_server {
    std::atomic<int> boot{0};       ///< bumped by a restart; older sessions are dead
    std::atomic<int> connects{0};
    std::atomic<int> pings{0};
    std::atomic<int> failed_calls{0};
    std::atomic<int> resets{0};          ///< session resets the pool asked for
    std::atomic<int> on_connect_runs{0}; ///< times the dialect's on-connect statement ran
    bool can_reset = true;               ///< false: the driver has no session reset
};

/// A session of the scripted server: any call after a restart fails as MySQL's 2006 does.
class fake_connection final : public orm::driver::connection {
public:
    explicit fake_connection(fake_server& server) : server_(server), boot_(server.boot) {}

    std::unique_ptr<orm::driver::cursor> execute(const std::string& sql, std::span<const orm::value>, bool) override {
        call(sql);
        return nullptr;
    }
    void execute_simple(const std::string& sql) override {
        call(sql);
        if (sql == "PRAGMA foreign_keys = ON") ++server_.on_connect_runs;
    }
    std::uint64_t affected_rows() const override { return 0; }
    std::optional<std::int64_t> last_insert_id() override { return 0; }
    std::size_t max_parameters() const override { return 999; }
    bool is_usable() const override { return !broken_; }
    bool may_be_in_transaction() const override { return false; }
    bool ping() override {
        ++server_.pings;
        broken_ = broken_ || boot_ != server_.boot;
        return !broken_;
    }
    std::string server_version() override { return "3.40.1"; }
    bool reset_session() override {
        if (!server_.can_reset) return false;
        call("reset connection");
        ++server_.resets;
        return true;
    }

private:
    void call(const std::string& sql) {
        if (broken_ || boot_ != server_.boot) {
            broken_ = true;
            ++server_.failed_calls;
            orm::raise(orm::error_kind::connection, {"fake", 2006, "HY000", "server has gone away", sql});
        }
    }

    fake_server& server_;
    int boot_;
    bool broken_ = false;
};

/// Opens fake_connection sessions.
class fake_driver final : public orm::driver::driver {
public:
    explicit fake_driver(fake_server& server) : server_(server) {}
    std::string_view name() const override { return "fake"; }
    std::unique_ptr<orm::driver::connection> connect(const orm::url&, const orm::driver::connect_options&) override {
        ++server_.connects;
        return std::make_unique<fake_connection>(server_);
    }

private:
    fake_server& server_;
};

orm::engine fake_engine(fake_server& server, orm::engine_options options) {
    return orm::engine(orm::url::parse("sqlite://"), orm::make_sqlite_dialect(), std::make_unique<fake_driver>(server),
                       std::move(options));
}

/// Checks out `n` connections at once, runs a statement on each, and returns them all.
void use_connections(const orm::engine& db, std::size_t n) {
    std::vector<orm::connection> held;
    for (std::size_t i = 0; i < n; ++i) held.push_back(db.connect());
    for (auto& c : held) c.execute("SELECT 1");
}

}  // namespace

TEST_CASE("one disconnect error invalidates the whole pool: the other idle connections are replaced, not reused",
          "[pool]") {
    fake_server server;
    auto db = fake_engine(server, {.pool_size = 4});
    use_connections(db, 4);
    REQUIRE(db.idle() == 4);
    REQUIRE(server.connects == 4);

    ++server.boot;  // the server restarts: all four sessions are dead
    {
        auto conn = db.connect();
        CHECK_THROWS_AS(conn.execute("SELECT 1"), orm::connection_error);
        CHECK(db.idle() == 0);  // the three idle ones were closed at once
    }
    const auto after_error = db.status();
    CHECK(after_error.invalidated == 4);        // three idle + the broken one
    CHECK(after_error.pool_invalidations == 1);
    CHECK(after_error.in_use == 0);

    use_connections(db, 4);  // four fresh sessions, no further error
    CHECK(server.failed_calls == 1);
    CHECK(server.connects == 8);
    CHECK(db.status().invalidated == 4);
}

TEST_CASE("connections checked out during a pool invalidation are closed when returned", "[pool]") {
    fake_server server;
    auto db = fake_engine(server, {.pool_size = 3});
    auto a = db.connect();
    auto b = db.connect();
    auto c = db.connect();
    ++server.boot;
    CHECK_THROWS_AS(a.execute("SELECT 1"), orm::connection_error);
    CHECK(db.status().pool_invalidations == 1);
    CHECK_THROWS_AS(b.execute("SELECT 1"), orm::connection_error);  // the same restart: no second invalidation
    CHECK(db.status().pool_invalidations == 1);
    a.close();
    b.close();
    c.close();  // never failed, but opened before the invalidation: closed, not pooled
    CHECK(db.idle() == 0);
    CHECK(db.status().invalidated == 3);
    CHECK(db.status().in_use == 0);
    use_connections(db, 3);
    CHECK(db.idle() == 3);
    CHECK(server.failed_calls == 2);
}

TEST_CASE("pre_ping: the first dead idle connection invalidates the pool, so only one ping fails", "[pool]") {
    fake_server server;
    auto db = fake_engine(server, {.pool_size = 4, .pre_ping = true});
    use_connections(db, 4);
    const int pings_before = server.pings;
    ++server.boot;
    use_connections(db, 4);  // no error reaches the user
    CHECK(server.failed_calls == 0);
    CHECK(server.pings - pings_before == 1);  // one failed ping; the three others were closed unpinged
    CHECK(db.status().invalidated == 4);
    CHECK(db.status().pool_invalidations == 1);
}

TEST_CASE("engine::invalidate_pool closes idle connections and retires checked-out ones", "[pool]") {
    fake_server server;
    auto db = fake_engine(server, {.pool_size = 2});
    use_connections(db, 2);
    auto held = db.connect();
    REQUIRE(db.idle() == 1);
    db.invalidate_pool();
    CHECK(db.idle() == 0);
    held.execute("SELECT 1");  // still usable until returned (nothing failed)
    held.close();
    CHECK(db.idle() == 0);
    CHECK(db.status().invalidated == 2);
    CHECK(db.status().pool_invalidations == 1);
    use_connections(db, 2);
    CHECK(server.connects == 4);
    CHECK(db.idle() == 2);
}

TEST_CASE("a connection that ran raw SQL is reset when returned and runs the on-connect statements again, or is closed where the driver cannot reset",
          "[pool]") {
    fake_server server;
    auto db = fake_engine(server, {.pool_size = 1});
    db.connect().close();  // nothing of the user's ran: no reset
    CHECK(server.resets == 0);
    REQUIRE(server.on_connect_runs == 1);
    {
        auto conn = db.connect();
        conn.execute("SET x = 1");
    }
    CHECK(server.resets == 1);
    CHECK(server.on_connect_runs == 2);
    CHECK(db.idle() == 1);  // kept, reset
    CHECK(server.connects == 1);
    CHECK(db.status().sessions_reset == 1);
    {
        auto conn = db.connect();
        conn.run_simple("SET x = 2");
        auto tx = conn.begin();  // orm's own transaction statements do not count
        tx.commit();
    }
    CHECK(server.resets == 2);

    server.can_reset = false;  // a driver that cannot reset: the connection is closed instead
    {
        auto conn = db.connect();
        conn.query<std::tuple<int>>("SET x = 3");
    }
    CHECK(db.idle() == 0);
    CHECK(db.status().sessions_reset == 3);
    CHECK(db.status().invalidated == 0);  // not counted as broken
    db.connect().close();
    CHECK(server.connects == 2);
    CHECK(db.idle() == 1);
}
