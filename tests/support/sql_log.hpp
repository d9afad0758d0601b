#pragma once
// Test support: records every statement an engine runs, with its parameters,
// as "SQL | p1, p2" lines, so tests can assert the exact sequence.
#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include <orm/orm.hpp>

namespace orm_test {

struct sql_log {
    std::vector<std::string> lines;
    bool recording = true;

    /// engine_options whose on_sql hook appends to this log.
    orm::engine_options options() {
        orm::engine_options o;
        o.on_sql = [this](const orm::sql_event& e) {
            if (!recording) return;
            std::string line(e.sql);
            for (std::size_t i = 0; i < e.params.size(); ++i) line += (i ? ", " : " | ") + orm::to_display_string(e.params[i]);
            lines.push_back(std::move(line));
        };
        return o;
    }
    /// Forgets what was recorded so far.
    void clear() { lines.clear(); }
};

/// Expected lines written in SQLite's spelling, in the spelling of the backend under
/// test: MySQL quotes with backticks and begins with START TRANSACTION.
std::vector<std::string> spelled(std::vector<std::string> expected);

}  // namespace orm_test
