#pragma once
// orm::engine: a dialect, a driver and a thread-safe connection pool for one
// database URL, plus the SQL log. Cheap to copy (a shared handle).
//
//   auto engine = orm::create_engine("sqlite:///shop.db", {.echo = true});
//   orm::connection conn = engine.connect();
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "orm/dialect/dialect.hpp"
#include "orm/driver/driver.hpp"
#include "orm/url.hpp"

namespace orm {

class connection;

/// One executed statement, as reported to the SQL log hook.
struct sql_event {
    std::string_view sql;
    std::span<const value> params;   ///< empty when the engine hides parameters
    std::chrono::nanoseconds duration{};
    bool succeeded = true;
};

/// Engine settings. Example: `{.pool_size = 10, .echo = true}`.
struct engine_options {
    std::size_t pool_size = 5;                            ///< connections kept open when idle
    std::size_t max_overflow = 10;                        ///< extra connections allowed under load
    std::chrono::milliseconds checkout_timeout{30'000};   ///< wait for a free connection, then orm::timeout_error
    bool echo = false;                                    ///< log every statement to stderr
    bool hide_parameters = false;                         ///< keep parameter values out of the log
    std::function<void(const sql_event&)> on_sql;         ///< called after every statement
    driver::connect_options connect;                      ///< driver connection settings
    bool use_returning = true;                            ///< use INSERT ... RETURNING where the server has it
    bool pre_ping = false;                                ///< check an idle connection is alive before handing it out
    std::chrono::milliseconds recycle{0};                 ///< close connections older than this at checkout (0: never)
};

/// A snapshot of a pool's state and counters: `engine.status()`.
struct pool_status {
    std::size_t in_use = 0;       ///< checked out now
    std::size_t idle = 0;         ///< kept open, ready
    std::size_t overflow = 0;     ///< open beyond pool_size now
    std::uint64_t opened = 0;     ///< connections opened so far
    std::uint64_t invalidated = 0;///< closed because they broke, a ping failed, or a whole-pool invalidation caught them
    std::uint64_t pool_invalidations = 0;  ///< whole-pool invalidations (disconnects detected, invalidate_pool calls)
    std::uint64_t recycled = 0;   ///< closed because they were older than `recycle`
    std::uint64_t waits = 0;      ///< checkouts that had to wait for a connection
    std::uint64_t sessions_reset = 0;  ///< connections returned after raw SQL: reset, or closed where the driver cannot reset
};

namespace detail {
struct engine_state;
}

/// Keeps an observer registered with engine::observe_sql; destroying it (or reset())
/// unregisters the observer. Movable, not copyable.
class sql_subscription {
public:
    sql_subscription() = default;
    sql_subscription(sql_subscription&& other) noexcept;
    sql_subscription& operator=(sql_subscription&& other) noexcept;
    ~sql_subscription();
    /// Unregisters now (after it returns, the observer is not called again).
    void reset() noexcept;

private:
    friend class engine;
    sql_subscription(std::weak_ptr<detail::engine_state> engine, std::uint64_t id) : engine_(std::move(engine)), id_(id) {}
    std::weak_ptr<detail::engine_state> engine_;
    std::uint64_t id_ = 0;
};

/// A connection pool over one database, with its dialect and driver.
class engine {
public:
    /// Joins a dialect and a driver for `target`. Most code calls orm::create_engine(url) instead.
    engine(url target, std::unique_ptr<orm::dialect> sql_dialect, std::unique_ptr<driver::driver> db_driver,
           engine_options options = {});

    /// Checks a connection out of the pool (opening one if needed); it goes
    /// back when the orm::connection is destroyed. Throws orm::timeout_error
    /// when the pool stays exhausted for `checkout_timeout`.
    connection connect() const;

    /// The SQL dialect (pure: compiles statements to text).
    const orm::dialect& sql_dialect() const;
    /// The URL this engine connects to (use `redacted()` to print it).
    const url& target() const;
    /// The pool's state and counters.
    pool_status status() const;
    /// Connections currently checked out.
    std::size_t checked_out() const;
    /// Idle connections kept in the pool.
    std::size_t idle() const;
    /// Closes every idle connection (checked-out ones close when returned).
    void dispose() const;
    /// Treats every connection opened so far as stale (e.g. after a server
    /// restart or fail-over): idle ones close now, checked-out ones close when
    /// returned, and later checkouts open fresh connections. The pool does this
    /// by itself when a connection reports a disconnect.
    void invalidate_pool() const;

    /// Calls `observer` after every statement any connection of this engine runs (as the
    /// on_sql option does), until the returned subscription is destroyed. Thread-safe: the
    /// observer may be called from any thread that uses the engine, and must be thread-safe
    /// itself if several do. `auto watch = engine.observe_sql([&](const orm::sql_event& e) { ... });`
    [[nodiscard]] sql_subscription observe_sql(std::function<void(const sql_event&)> observer) const;

private:
    std::shared_ptr<detail::engine_state> state_;
};

/// Creates an engine from a URL, choosing the backend by scheme:
/// `mysql://`, `mariadb://`, `sqlite://`. Link orm::orm. Throws orm::url_error
/// for an unknown scheme or a malformed URL (never echoing the password).
engine create_engine(std::string_view url, engine_options options = {});

}  // namespace orm
