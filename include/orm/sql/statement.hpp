#pragma once
// The statement AST: the single boundary between the typed front end and the
// dialects. Plain data, no SQL text; a dialect compiles it.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "orm/mapping/table.hpp"
#include "orm/value.hpp"

namespace orm::sql {

struct select_statement;

/// An expression tree node: a column, a bound parameter, an operator over
/// operands, a function call, a parenthesised list, a CASE, or a subquery.
struct expression {
    enum class kind { column, parameter, binary, prefix, postfix, function, list, between, subquery, star, like_escape, case_when };
    kind node = kind::parameter;
    std::string op;        ///< "=", "<>", "AND", "NOT", "IS NULL", function name ("COUNT"), ...
    std::string table;     ///< qualifying table of a column ("" = unqualified)
    std::string name;      ///< column name (kind::column)
    value param;           ///< bound value (kind::parameter)
    std::vector<expression> operands;
    std::shared_ptr<const select_statement> query;  ///< kind::subquery

    /// A column reference, optionally qualified: column("price"), column("books", "price").
    static expression column(std::string column_name);
    static expression column(std::string table_name, std::string column_name);
    /// A value bound as a parameter (never spliced into the SQL).
    static expression parameter(value v);
    /// `left op right`, e.g. binary("=", column("id"), parameter(42)).
    static expression binary(std::string op, expression left, expression right);
    /// `op (operand)`, e.g. prefix("NOT", e).
    static expression prefix(std::string op, expression operand);
    /// `operand op`, e.g. postfix("IS NULL", column("email")).
    static expression postfix(std::string op, expression operand);
    /// `name(args...)`, e.g. function("COUNT", {column("id")}); with no args and name "COUNT": COUNT(*).
    static expression function(std::string name, std::vector<expression> args);
    /// `(a, b, c)` — the right side of IN.
    static expression list(std::vector<expression> items);
    /// `operand BETWEEN low AND high`.
    static expression between(expression operand, expression low, expression high);
    /// `operand LIKE pattern ESCAPE escape`.
    static expression like_escape(expression operand, expression pattern, expression escape);
    /// `(SELECT ...)` used as a value, an IN list or under EXISTS.
    static expression subquery(select_statement query);
    /// `*` (in COUNT(*)).
    static expression star();
    /// `CASE WHEN c1 THEN v1 WHEN c2 THEN v2 ... ELSE otherwise END` (branches not empty).
    static expression case_when(std::vector<std::pair<expression, expression>> branches, expression otherwise);
};

/// `a AND b` over all terms (none: nullopt).
std::optional<expression> all_of(std::vector<expression> terms);

/// One ORDER BY item.
struct order_item {
    expression expr;
    bool descending = false;
};

/// A JOIN clause: [LEFT] JOIN table ON condition.
struct join_clause {
    std::string table;
    expression on;
    bool left = false;
};

/// SELECT [DISTINCT] columns FROM table [JOIN ...] [WHERE ...] [GROUP BY ...]
/// [HAVING ...] [ORDER BY ...] [LIMIT n] [OFFSET m].
struct select_statement {
    std::string table;
    std::vector<expression> columns;  ///< empty: *
    std::optional<expression> where;
    std::vector<order_item> order_by;
    std::optional<std::uint64_t> limit;
    std::optional<std::uint64_t> offset;
    bool distinct = false;
    std::vector<join_clause> joins;
    std::vector<expression> group_by;
    std::optional<expression> having;
    std::shared_ptr<const select_statement> from_query;  ///< FROM (subquery) AS table, instead of a table
};

/// SELECT of every mapped column of `table` (qualified), in field order.
select_statement select_columns_of(const table_info& table);
/// `key1 = ? AND key2 = ?` for a primary-key value (key columns in key order).
expression key_equals(const table_info& table, std::span<const value> key);

/// What an INSERT does when a row collides with a unique key (an upsert):
/// update `update_columns` from the new row, or nothing when that list is empty.
struct upsert_clause {
    std::vector<std::string> conflict_columns;  ///< the unique key (SQLite needs it; MySQL uses any)
    std::vector<std::string> update_columns;
};

/// INSERT INTO table (columns) VALUES (row), (row), ... [upsert] [RETURNING columns]
struct insert_statement {
    std::string table;
    std::vector<std::string> columns;
    std::vector<std::vector<value>> rows;  ///< each the size of `columns`
    std::vector<std::string> returning;    ///< only where the dialect supports_returning()
    std::optional<upsert_clause> on_conflict;
};

/// UPDATE table SET column = value, ... [WHERE ...]
struct update_statement {
    std::string table;
    std::vector<std::pair<std::string, expression>> assignments;  ///< column = expression (usually a parameter)
    std::optional<expression> where;
};

/// DELETE FROM table [WHERE ...]
struct delete_statement {
    std::string table;
    std::optional<expression> where;
};

/// CREATE TABLE [IF NOT EXISTS] for a mapped table (columns, keys, unique, foreign keys,
/// and, where the dialect inlines them, its indexes).
struct create_table_statement {
    const table_info* table = nullptr;
    bool if_not_exists = true;
};

/// DROP TABLE [IF EXISTS].
struct drop_table_statement {
    std::string table;
    bool if_exists = true;
};

/// CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (columns).
struct create_index_statement {
    std::string table;
    std::string name;
    std::vector<std::string> columns;
    bool unique = false;
    bool if_not_exists = true;
};

/// Any statement a dialect can compile.
using statement = std::variant<select_statement, insert_statement, update_statement, delete_statement,
                               create_table_statement, drop_table_statement, create_index_statement>;

}  // namespace orm::sql
