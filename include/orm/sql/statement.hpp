#pragma once
// The statement AST: the single boundary between the typed front end and the
// dialects. Plain data, no SQL text: operators and functions are node kinds,
// tables carry their alias, and a dialect compiles it all. The only way to put
// caller-written SQL into a statement is a node made by expression::raw (in the
// typed API: orm::raw_sql), named so that it cannot happen by accident.
//
// Object lifetimes: expression nodes are immutable and shared (copying an
// expression or a statement copies handles, never trees); a statement owns
// everything it refers to except the table_info of a create_table_statement.
// Thread safety: statements and expressions may be read (compiled) from any
// number of threads at once; they are never changed after construction.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "orm/mapping/table.hpp"
#include "orm/value.hpp"

namespace orm::sql {

struct select_statement;

/// A table as a statement names it: [schema.]name [AS alias].
/// `table_ref("employee", "manager")` is `employee AS manager`.
struct table_ref {
    std::string name;
    std::string alias;   ///< "" = none
    std::string schema;  ///< "" = the connection's default schema (database)
    table_ref() = default;
    table_ref(std::string table_name) : name(std::move(table_name)) {}  // NOLINT: a plain name converts
    table_ref(const char* table_name) : name(table_name) {}              // NOLINT
    table_ref(std::string table_name, std::string alias_name, std::string schema_name = {})
        : name(std::move(table_name)), alias(std::move(alias_name)), schema(std::move(schema_name)) {}
    /// What columns of this table are qualified with: the alias if any, else the name.
    const std::string& qualifier() const noexcept { return alias.empty() ? name : alias; }
    friend bool operator==(const table_ref&, const table_ref&) = default;
};

/// Operators, rendered by each dialect (never text from the caller).
enum class op : std::uint8_t {
    eq, ne, lt, le, gt, ge,           ///< comparisons: = <> < <= > >=
    and_, or_,                        ///< connectives (chains render flat: a AND b AND c)
    add, sub, mul, div, mod,          ///< arithmetic
    int_div,                          ///< integer division truncated toward zero (MySQL DIV)
    concat,                           ///< text concatenation (|| or CONCAT())
    like, not_like,                   ///< LIKE pattern (operand 2, if any, is the ESCAPE character)
    in, not_in,                       ///< IN (list) / IN (subquery)
    not_, negate,                     ///< unary NOT x, -x
    is_null, is_not_null,             ///< postfix IS [NOT] NULL
    exists, not_exists,               ///< [NOT] EXISTS (subquery)
};

/// Functions with a meaning of their own, each spelled by the dialect.
enum class func : std::uint8_t {
    count,           ///< COUNT(x); no operand: COUNT(*)
    count_distinct,  ///< COUNT(DISTINCT x)
    sum, avg, min, max,
    coalesce,        ///< COALESCE(a, b, ...)
    nullif,          ///< NULLIF(a, b)
    round,           ///< ROUND(x, digits)
    abs,
    lower, upper,
    length,          ///< length in characters
    substr,          ///< SUBSTR(x, from [, count]), 1-based
    trim, ltrim, rtrim,
    year, month, day, hour, minute, second,  ///< parts of a date or date-time, as integers
    current_timestamp,                       ///< now, UTC, whole seconds
    current_date,                            ///< today, UTC
    generic,         ///< a function called by name (expression::name_, checked as an identifier)
};

/// What the front end knows of a node's value type, for dialects whose storage
/// differs by type (SQLite keeps DECIMAL(p <= 18) as scaled integers) and for CAST.
struct value_type {
    bool known = false;
    type_kind kind = type_kind::text;
    std::uint8_t precision = 0;  ///< decimal: digits in all (0: unknown)
    std::uint8_t scale = 0;      ///< decimal: digits after the point
    bool is_unsigned = false;    ///< integers
    std::uint8_t fraction_digits = 0;  ///< date-time and time
    friend bool operator==(const value_type&, const value_type&) = default;
    /// A known type of `kind`.
    static value_type of(type_kind kind) {
        value_type t;
        t.known = true;
        t.kind = kind;
        return t;
    }
    /// DECIMAL(precision, scale).
    static value_type decimal(std::uint8_t precision, std::uint8_t scale) {
        value_type t = of(type_kind::decimal);
        t.precision = precision;
        t.scale = scale;
        return t;
    }
    bool is(type_kind k) const { return known && kind == k; }
};

/// The value type of a mapped column.
value_type type_of(const column_info& column);
/// The type of `a op b` for arithmetic: floating if either is, else decimal if
/// either is (MariaDB's precision and scale rules), else integer.
value_type arithmetic_type(op o, const value_type& a, const value_type& b);
/// The type of SUM or AVG of a value of type `arg` (MariaDB's rules: AVG of an
/// integer or decimal is a decimal with 4 more fraction digits).
value_type aggregate_type(func f, const value_type& arg);

/// An expression tree node (immutable, shared): a column, a bound parameter, an
/// operator over operands, a function call, a list, BETWEEN, a CASE, a CAST, a
/// subquery, `*`, or caller-written SQL (raw).
class expression {
public:
    enum class kind : std::uint8_t { column, parameter, unary, binary, function, list, between, subquery, star, case_when, cast, raw };

    /// A parameter holding NULL (the default-constructed expression).
    expression();

    kind node() const noexcept { return node_->kind_; }
    /// The operator of a unary or binary node.
    sql::op op() const noexcept { return static_cast<sql::op>(node_->code_); }
    /// The function of a function node.
    sql::func function() const noexcept { return static_cast<sql::func>(node_->code_); }
    /// The value type the front end gave this node (not `known` if it gave none).
    const value_type& type() const noexcept { return node_->type_; }
    /// Column: its qualifier (table name or alias; "" = unqualified).
    const std::string& qualifier() const noexcept { return node_->qualifier_; }
    /// Column: its name. Generic function: its name. Raw SQL: its text.
    const std::string& name() const noexcept { return node_->name_; }
    /// Parameter: the bound value.
    const value& param() const noexcept { return node_->param_; }
    /// Operands in order (binary: left, right; between: operand, low, high;
    /// case_when: when, then, ..., else; like: operand, pattern[, escape]).
    const std::vector<expression>& operands() const noexcept { return node_->operands_; }
    const expression& operand(std::size_t i) const { return node_->operands_.at(i); }
    /// Subquery: the statement.
    const select_statement& query() const { return *node_->query_; }
    /// True if this is a binary node of operator `o`.
    bool is(sql::op o) const noexcept { return (node_->kind_ == kind::binary || node_->kind_ == kind::unary) && op() == o; }

    /// A column reference, optionally qualified: column("price"), column("books", "price").
    static expression column(std::string column_name, value_type type = {});
    static expression column(std::string qualifier, std::string column_name, value_type type = {});
    /// The column of a mapped table, qualified by `qualifier` (the table's name or its alias).
    static expression column(const std::string& qualifier, const column_info& column);
    /// A value bound as a parameter (never spliced into the SQL).
    static expression parameter(value v, value_type type = {});
    /// `left op right`: binary(op::eq, column("id"), parameter(42)).
    static expression binary(sql::op o, expression left, expression right, value_type type = {});
    /// `op operand` or `operand op`: unary(op::not_, e), unary(op::is_null, column("email")).
    static expression unary(sql::op o, expression operand, value_type type = {});
    /// A function: function(func::count, {}) is COUNT(*); function(func::sum, {column("x")}).
    static expression function(sql::func f, std::vector<expression> args, value_type type = {});
    /// A function called by name, e.g. call("json_extract", {...}); the name must be an
    /// identifier (letters, digits, '_', not starting with a digit) or orm::interface_error.
    static expression call(std::string name, std::vector<expression> args, value_type type = {});
    /// `(a, b, c)` — the right side of IN.
    static expression list(std::vector<expression> items);
    /// `operand BETWEEN low AND high`.
    static expression between(expression operand, expression low, expression high);
    /// `operand LIKE pattern [ESCAPE escape]` (escape: a one-character parameter).
    static expression like(expression operand, expression pattern, std::optional<expression> escape = std::nullopt, bool negated = false);
    /// `(SELECT ...)` used as a value, an IN list or under EXISTS.
    static expression subquery(select_statement query, value_type type = {});
    /// `*` (in COUNT(*)).
    static expression star();
    /// `CASE WHEN c1 THEN v1 ... ELSE otherwise END` (branches not empty).
    static expression case_when(std::vector<std::pair<expression, expression>> branches, expression otherwise, value_type type = {});
    /// `CAST(operand AS <type>)`, the target type spelled by the dialect.
    static expression cast(expression operand, value_type target);
    /// Caller-written SQL with `?` for each of `params` (rendered as the dialect's
    /// placeholders). Only orm::raw_sql makes these.
    static expression raw(std::string text, std::vector<expression> params, value_type type = {});

private:
    struct node_data {
        kind kind_ = kind::parameter;
        std::uint8_t code_ = 0;  ///< op or func
        value_type type_;
        std::string qualifier_;
        std::string name_;
        value param_;
        std::vector<expression> operands_;
        std::shared_ptr<const select_statement> query_;
    };
    explicit expression(std::shared_ptr<const node_data> n) : node_(std::move(n)) {}
    static expression make(node_data data);
    std::shared_ptr<const node_data> node_;
};

/// `a AND b` over all terms (none: nullopt).
std::optional<expression> all_of(std::vector<expression> terms);

/// One ORDER BY item.
struct order_item {
    expression expr;
    bool descending = false;
};

/// A JOIN clause: [LEFT] JOIN table [AS alias] ON condition.
struct join_clause {
    table_ref table;
    expression on;
    bool left = false;
};

/// Row locks a SELECT takes: FOR UPDATE / FOR SHARE [NOWAIT | SKIP LOCKED].
struct lock_clause {
    enum class strength : std::uint8_t { update, share };
    enum class waiting : std::uint8_t { wait, nowait, skip_locked };
    strength mode = strength::update;
    waiting wait = waiting::wait;
};

/// SELECT [DISTINCT] columns FROM table [JOIN ...] [WHERE ...] [GROUP BY ...]
/// [HAVING ...] [ORDER BY ...] [LIMIT n] [OFFSET m] [FOR UPDATE ...].
struct select_statement {
    table_ref table;                  ///< FROM table [AS alias]; with from_query, the derived table's alias
    std::vector<expression> columns;  ///< empty: *
    std::optional<expression> where;
    std::vector<order_item> order_by;
    std::optional<std::uint64_t> limit;
    std::optional<std::uint64_t> offset;
    bool distinct = false;
    std::vector<join_clause> joins;
    std::vector<expression> group_by;
    std::optional<expression> having;
    std::shared_ptr<const select_statement> from_query;  ///< FROM (subquery) AS table.name, instead of a table
    std::optional<lock_clause> lock;
};

/// SELECT of every mapped column of `table` (qualified by `qualifier`, default its
/// name), in field order, FROM the table (under that alias if it differs).
select_statement select_columns_of(const table_info& table);
select_statement select_columns_of(const table_info& table, const std::string& qualifier);
/// The mapped columns of `table`, qualified by `qualifier`, in field order.
std::vector<expression> columns_of(const table_info& table, const std::string& qualifier);
/// `key1 = ? AND key2 = ?` for a primary-key value (key columns in key order, qualified by the table name).
expression key_equals(const table_info& table, std::span<const value> key);

/// What an INSERT does when a row collides with a unique key (an upsert):
/// update `update_columns` from the new row, or nothing when that list is empty.
struct upsert_clause {
    std::vector<std::string> conflict_columns;  ///< the unique key (SQLite needs it; MySQL uses any)
    std::vector<std::string> update_columns;
};

/// INSERT INTO table (columns) VALUES (row), (row), ... [upsert] [RETURNING columns]
struct insert_statement {
    table_ref table;
    std::vector<std::string> columns;
    std::vector<std::vector<value>> rows;  ///< each the size of `columns`
    std::vector<std::string> returning;    ///< only where the dialect supports_returning()
    std::optional<upsert_clause> on_conflict;
};

/// UPDATE table SET column = value, ... [WHERE ...]
struct update_statement {
    table_ref table;
    std::vector<std::pair<std::string, expression>> assignments;  ///< column = expression (usually a parameter)
    std::optional<expression> where;
};

/// DELETE FROM table [WHERE ...]
struct delete_statement {
    table_ref table;
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
    table_ref table;
    bool if_exists = true;
};

/// CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (columns).
struct create_index_statement {
    table_ref table;
    std::string name;
    std::vector<std::string> columns;
    bool unique = false;
    bool if_not_exists = true;
};

/// Any statement a dialect can compile.
using statement = std::variant<select_statement, insert_statement, update_statement, delete_statement,
                               create_table_statement, drop_table_statement, create_index_statement>;

}  // namespace orm::sql
