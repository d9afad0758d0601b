#pragma once
// orm::engine: a dialect, a driver and a thread-safe connection pool for one
// database URL, plus the SQL log. Cheap to copy (a shared handle).
//
//   auto engine = orm::create_engine("sqlite:///shop.db", {.echo = true});
//   orm::connection conn = engine.connect();
#include <chrono>
#include <cstddef>
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
};

namespace detail {
struct engine_state;
}

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
    /// Connections currently checked out.
    std::size_t checked_out() const;
    /// Idle connections kept in the pool.
    std::size_t idle() const;
    /// Closes every idle connection (checked-out ones close when returned).
    void dispose() const;

private:
    std::shared_ptr<detail::engine_state> state_;
};

/// Creates an engine from a URL, choosing the backend by scheme:
/// `mysql://`, `mariadb://`, `sqlite://`. Link orm::orm. Throws orm::url_error
/// for an unknown scheme or a malformed URL (never echoing the password).
engine create_engine(std::string_view url, engine_options options = {});

}  // namespace orm
