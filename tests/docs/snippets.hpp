#pragma once
// What the docs' snippet files (tests/docs/<doc>_snippets.cpp) share.
//
// A snippet is the text between a line `// [name]` and a line `// [/name]`
// (name: lowercase letters, digits, '-'), with the lines' common indentation
// removed; a doc shows it in a ```cpp block right after `<!-- snippet: name -->`.
// A docs::sql_example registers the SQL a ```sql block after `<!-- sql: name -->`
// shows. docs_check.cpp (ctest dry.docs: ...) compares both with the docs; the
// snippet files' own tests ([sqlite], ctest sqlite.docs...) run the snippets.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <orm/orm.hpp>

#include "support/backend.hpp"

namespace docs {

/// How an example's statements are shown.
struct shown {
    /// "WHERE", "FROM", ...: only the text from that clause's first keyword outside
    /// parentheses on (`WHERE "books"."price" > ?`); null: whole statements.
    const char* from = nullptr;
    /// Keep transaction control (BEGIN, START TRANSACTION, SET TRANSACTION, COMMIT,
    /// ROLLBACK, SAVEPOINT, RELEASE) instead of leaving it out.
    bool transactions = false;
};

/// Registers, under `name`, the SQL a doc's ```sql block shows. The block reads
///
///     -- SQLite
///     <each statement, one a line>
///     -- MySQL
///     <each statement, one a line>
///
/// (a dialect with no statements is left out). Statements come from the dialects
/// themselves, computed when the checker asks (not at start-up):
/// * compiled: `[](const orm::dialect& d) { return d.create_table_ddl(orm::table_of<Book>()); }`;
/// * run: code given a connection (or an engine) of a dry engine per dialect, whose
///   driver records every statement and returns no rows (a one-row answer to the
///   dialects' own probes: MariaDB's lock mode, SQLite's trigger check). The
///   engine's on-connect statements are left out.
class sql_example {
public:
    using compiled = std::function<std::vector<std::string>(const orm::dialect&)>;
    using on_connection = std::function<void(orm::connection&)>;
    using on_engine = std::function<void(orm::engine&)>;

    sql_example(std::string name, compiled statements, shown how = {});
    sql_example(std::string name, on_connection code, shown how = {});
    sql_example(std::string name, on_engine code, shown how = {});
};

/// The text of the example registered as `name`, as a doc shows it; nullopt if none is.
std::optional<std::string> rendered_sql(const std::string& name);
/// Every registered name.
std::vector<std::string> sql_example_names();
/// Names registered twice.
std::vector<std::string> duplicate_sql_examples();

/// The statements of a compiled SQL: `lines(q.to_sql(d))`.
inline std::vector<std::string> lines(const orm::compiled_sql& sql) { return {sql.text}; }

}  // namespace docs
