#pragma once
// Helpers for tests of code that uses orm: count and see the statements a block runs.
//
//   orm::testing::statement_recorder sql(engine);
//   for (Book* b : s.query<Book>()) (void)b->author->name;
//   REQUIRE(sql.count() == 1 + books);          // 1 + N: time for a selectin load
//
// Thread safety: a recorder may be fed from any thread of the engine; read it
// (count, statements, clear) when those statements are done.
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "orm/engine.hpp"

namespace orm::testing {

/// Records every statement an engine runs while the recorder lives (SQL text only; no parameters).
class statement_recorder {
public:
    explicit statement_recorder(const engine& db)
        : subscription_(db.observe_sql([this](const sql_event& e) {
              std::lock_guard lock(mutex_);
              statements_.emplace_back(e.sql);
          })) {}
    statement_recorder(const statement_recorder&) = delete;
    statement_recorder& operator=(const statement_recorder&) = delete;

    /// Statements run since construction or the last clear().
    std::size_t count() const {
        std::lock_guard lock(mutex_);
        return statements_.size();
    }
    /// Their SQL text, in order.
    std::vector<std::string> statements() const {
        std::lock_guard lock(mutex_);
        return statements_;
    }
    /// Forgets what was recorded so far.
    void clear() {
        std::lock_guard lock(mutex_);
        statements_.clear();
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> statements_;
    sql_subscription subscription_;  // last: unregistered before the members it writes go
};

}  // namespace orm::testing
