#pragma once
// Internal: the shared state behind orm::engine (pool, dialect, driver, log).
// Included by the core's .cpp files only.
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
    std::once_flag configured;
    std::unordered_map<const driver::connection*, std::chrono::steady_clock::time_point> born;  ///< when each was opened
    pool_status stats;  ///< counters (idle/in_use/overflow are filled in by engine::status)  ///< the dialect learns the server version from the first connection

    /// Takes an idle connection or opens a new one; waits up to the checkout timeout.
    std::unique_ptr<driver::connection> checkout();
    /// Takes a connection back: rolls back what it left open, keeps or closes it.
    void checkin(std::unique_ptr<driver::connection> native);
    /// Reads the server's version and the dialect's settings query, for dialect::configure.
    server_info read_server_info(driver::connection& native) const;
    /// Reports one statement to the log hook and `echo`.
    void log(std::string_view sql, std::span<const value> params, std::chrono::nanoseconds duration, bool succeeded) const;
};

}  // namespace orm::detail
