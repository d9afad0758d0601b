#pragma once
// Internal: the shared state behind orm::engine (pool, dialect, driver, log).
// Included by the core's .cpp files only.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "orm/engine.hpp"

namespace orm::detail {

struct engine_state {
    url target;
    std::unique_ptr<orm::dialect> sql_dialect;
    std::unique_ptr<driver::driver> db_driver;
    engine_options options;

    mutable std::mutex mutex;
    std::condition_variable returned;
    std::vector<std::unique_ptr<driver::connection>> idle;
    std::size_t open = 0;  ///< connections open: idle + checked out
    std::once_flag configured;  ///< the dialect learns the server version from the first connection
    /// When a pooled connection was opened, and the pool epoch it belongs to.
    struct birth {
        std::chrono::steady_clock::time_point opened;
        std::uint64_t epoch = 0;
    };
    std::unordered_map<const driver::connection*, birth> born;  ///< one entry per open connection
    /// Bumped by every whole-pool invalidation: a connection of an older epoch
    /// is closed when it comes back instead of being pooled.
    std::uint64_t epoch = 0;
    pool_status stats;  ///< counters (idle/in_use/overflow are filled in by engine::status)
    /// The database lives in its one connection (SQLite in memory, see
    /// driver::database_lives_in_connection): a second checkout fails at once.
    bool one_connection_database = false;

    /// Takes an idle connection or opens a new one; waits up to the checkout timeout.
    std::unique_ptr<driver::connection> checkout();
    /// Takes a connection back: rolls back what it left open, keeps or closes it.
    /// `ran_user_sql`: the user ran SQL text of their own on it, which may have
    /// changed its session (SET, PRAGMA, temporary tables): it is reset, or closed
    /// where the driver cannot reset it.
    void checkin(std::unique_ptr<driver::connection> native, bool ran_user_sql = false);
    /// Runs the dialect's on-connect statements (strict mode, time zone, foreign keys), logged.
    void run_on_connect_sql(driver::connection& native) const;
    /// What reset_session() did with a connection.
    enum class reset_outcome { reset, cannot_reset, failed };
    /// Returns `native` (the user ran SQL on it) to the state of a new connection:
    /// the driver's reset, then the on-connect statements again. Called without `mutex`.
    reset_outcome reset_session(driver::connection& native) const;
    /// Reports that `native` (checked out) lost its server connection: unless an
    /// invalidation since it was opened already covers it, invalidates the whole pool.
    void connection_lost(const driver::connection& native);
    /// Starts a new epoch: closes every idle connection now and every checked-out
    /// one when it is returned. Call with `mutex` held; the idle connections are
    /// moved into `closing`, to be closed after the lock is released.
    void invalidate_all_locked(std::vector<std::unique_ptr<driver::connection>>& closing);
    /// Reads the server's version and the dialect's settings query, for dialect::configure.
    server_info read_server_info(driver::connection& native) const;
    /// Observers registered with engine::observe_sql, by id (guarded by observers_mutex).
    mutable std::mutex observers_mutex;
    std::vector<std::pair<std::uint64_t, std::shared_ptr<std::function<void(const sql_event&)>>>> observers;
    std::uint64_t next_observer = 1;
    std::atomic<bool> observed{false};  ///< observers is not empty (read without the lock on every statement)

    /// Reports one statement to the log hook and `echo`.
    void log(std::string_view sql, std::span<const value> params, std::chrono::nanoseconds duration, bool succeeded) const;
};

}  // namespace orm::detail
