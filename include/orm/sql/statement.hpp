#pragma once
// The statement AST: the single boundary between the typed front end and the
// dialects. Plain data, no SQL text; a dialect compiles it.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "orm/mapping/table.hpp"
#include "orm/value.hpp"

namespace orm::sql {

/// An expression tree node: a column, a bound parameter, or an operator over operands.
struct expression {
    enum class kind { column, parameter, binary, prefix, postfix };
    kind node = kind::parameter;
    std::string op;        ///< "=", "<>", "AND", "NOT", "IS NULL", ...
    std::string name;      ///< column name (kind::column)
    value param;           ///< bound value (kind::parameter)
    std::vector<expression> operands;

    /// A column reference.
    static expression column(std::string column_name);
    /// A value bound as a parameter (never spliced into the SQL).
    static expression parameter(value v);
    /// `left op right`, e.g. binary("=", column("id"), parameter(42)).
    static expression binary(std::string op, expression left, expression right);
    /// `op operand`, e.g. prefix("NOT", e).
    static expression prefix(std::string op, expression operand);
    /// `operand op`, e.g. postfix("IS NULL", column("email")).
    static expression postfix(std::string op, expression operand);
};

/// `a AND b` over all terms (none: nullopt).
std::optional<expression> all_of(std::vector<expression> terms);

/// One ORDER BY item.
struct order_item {
    std::string column;
    bool descending = false;
};

/// SELECT columns FROM table [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET m].
struct select_statement {
    std::string table;
    std::vector<std::string> columns;  ///< empty: *
    std::optional<expression> where;
    std::vector<order_item> order_by;
    std::optional<std::uint64_t> limit;
    std::optional<std::uint64_t> offset;
    bool distinct = false;
};

/// INSERT INTO table (columns) VALUES (row), (row), ... [RETURNING columns]
struct insert_statement {
    std::string table;
    std::vector<std::string> columns;
    std::vector<std::vector<value>> rows;  ///< each the size of `columns`
    std::vector<std::string> returning;    ///< only where the dialect supports_returning()
};

/// UPDATE table SET column = value, ... [WHERE ...]
struct update_statement {
    std::string table;
    std::vector<std::pair<std::string, value>> assignments;
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
