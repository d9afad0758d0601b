#pragma once
// A dialect turns statements (the AST in orm/sql/statement.hpp) into SQL text
// and a parameter list. It does no I/O and includes no client library.
// orm::dialect is the generic (ANSI) compiler; mysql and sqlite override only
// what differs: quoting, type names, auto-increment, LIMIT, index DDL.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orm/mapping/table.hpp"
#include "orm/sql/statement.hpp"
#include "orm/transaction_options.hpp"
#include "orm/value.hpp"

namespace orm {

/// SQL text with the dialect's placeholders and the values bound to them, in order.
struct compiled_sql {
    std::string text;
    std::vector<value> params;
    bool returns_rows = false;  ///< a SELECT, or an INSERT ... RETURNING
};

/// What the engine learns about the server on its first connection, for the dialect.
struct server_info {
    std::string version;                          ///< e.g. "10.11.6-MariaDB-0+deb12u1", "3.40.1"
    std::map<std::string, std::string> settings;  ///< the answers to server_settings_sql(), by column name
    bool allow_returning = true;                  ///< engine_options::use_returning
};

/// The generic SQL compiler; backends derive from it.
class dialect {
public:
    virtual ~dialect() = default;

    /// "mysql", "sqlite".
    virtual std::string_view name() const = 0;

    /// Compiles one statement: `d.compile(sql::delete_statement{"book", where})`.
    compiled_sql compile(const sql::statement& statement) const;

    /// Every statement that creates a mapped table: CREATE TABLE, then the
    /// CREATE INDEX statements this dialect does not inline.
    std::vector<std::string> create_table_ddl(const table_info& table, bool if_not_exists = true) const;

    /// Quotes an identifier so that nothing inside it can end the quoting
    /// (the quote character is doubled; NUL and empty names are rejected).
    std::string quote_identifier(std::string_view identifier) const;

    /// The SQL type of a column: `VARCHAR(200)`, `BIGINT UNSIGNED`, `DATETIME(6)`.
    virtual std::string column_type(const column_info& column) const = 0;
    /// The SQL type of a column in `table` (SQLite: a STRICT table's types); default column_type().
    virtual std::string column_type_in(const table_info& table, const column_info& column) const {
        (void)table;
        return column_type(column);
    }
    /// The collation this backend gives the column (its own option), or "".
    virtual std::string column_collation(const column_info& column) const {
        (void)column;
        return {};
    }

    /// SQL listing the errors of the previous statement (see driver::connect_options::last_errors_sql), or "".
    virtual std::string last_errors_sql() const { return {}; }
    /// SQL whose one row holds (name, value) with the session's TLS cipher as
    /// the value, empty when the session is not encrypted (see
    /// driver::connect_options::tls_status_sql), or "" where there is no TLS.
    virtual std::string tls_status_sql() const { return {}; }
    /// A CHECK constraint a column of this type needs (SQLite JSON: json_valid), or "".
    virtual std::string column_check(const column_info& column) const {
        (void)column;
        return {};
    }

    /// Transaction control. begin_sql() is the plain BEGIN; begin_statements() what
    /// begins a transaction with `options` (MariaDB: SET TRANSACTION ISOLATION LEVEL
    /// first; SQLite: BEGIN IMMEDIATE for a write).
    virtual std::string begin_sql() const { return "BEGIN"; }
    virtual std::vector<std::string> begin_statements(const begin_options& options) const;
    /// True where a locking read (FOR UPDATE) needs its transaction to hold the
    /// database's write lock (SQLite, which has no row locks).
    virtual bool locking_read_needs_write_lock() const { return false; }
    std::string commit_sql() const { return "COMMIT"; }
    std::string rollback_sql() const { return "ROLLBACK"; }
    std::string savepoint_sql(std::string_view savepoint) const;
    std::string release_savepoint_sql(std::string_view savepoint) const;
    std::string rollback_to_savepoint_sql(std::string_view savepoint) const;

    /// Statements run on every new connection (strict mode, time zone, foreign keys).
    virtual std::vector<std::string> on_connect_sql() const { return {}; }
    /// The query that returns the last generated key, for drivers whose client
    /// library does not report it; empty if the driver always does.
    virtual std::string last_insert_id_sql() const { return {}; }
    /// True if INSERT ... RETURNING works (SQLite >= 3.35, MariaDB >= 10.5; not MySQL).
    virtual bool supports_returning() const { return false; }
    /// True where the last insert id (which the client library reports with the
    /// statement's outcome) is the key of a one-row INSERT: orm then reads it
    /// instead of asking for RETURNING, which costs a result set (MariaDB) or a
    /// temporary table (SQLite) per statement.
    virtual bool last_insert_id_gives_one_row_key() const { return false; }
    /// Adapts the dialect to the server it talks to, from what the engine read
    /// on the first connection (no I/O here: data in, settings out).
    virtual void configure(const server_info& server) { (void)server; }
    /// configure() from a version string alone.
    void configure(std::string_view server_version) { configure(server_info{std::string(server_version), {}, true}); }
    /// A query whose one row the engine reads on the first connection and hands
    /// to configure() as server_info::settings; empty if the dialect needs none.
    virtual std::string server_settings_sql() const { return {}; }
    /// Where the database gives a multi-row INSERT consecutive auto-increment
    /// keys (first = the last insert id, then +step each), the step; nullopt if not safe.
    virtual std::optional<std::uint64_t> consecutive_key_step() const { return std::nullopt; }
    /// Where a multi-row INSERT's generated keys are consecutive only under conditions
    /// a query can check inside the transaction (SQLite: no trigger on the table,
    /// and room below the largest key), that query for
    /// an INSERT of up to `rows` rows into `table`: one row whose one column is 1 when
    /// they are. The keys then END at the last insert id (step 1); where it answers 0,
    /// orm inserts one row per statement. nullopt: no such check.
    virtual std::optional<compiled_sql> consecutive_keys_check(const table_info& table, std::size_t rows) const {
        (void)table;
        (void)rows;
        return std::nullopt;
    }
    /// False when the database would store a value longer than the column's
    /// declared orm::length silently (SQLite always; MySQL for lengths its TEXT
    /// types round up): orm then checks the length itself before writing.
    virtual bool enforces_length(const column_info& column) const {
        (void)column;
        return true;
    }
    /// A column's value as this database stores it, for values bound without an
    /// expression around them (INSERT rows): SQLite keeps DECIMAL(p <= 18, s) as the
    /// scaled integer value * 10^s. Others: unchanged.
    virtual value stored_value(const column_info& column, value v) const {
        (void)column;
        return v;
    }
    /// True where a table's INSERT values need stored_value() (a dialect that changes some).
    virtual bool converts_stored_values(const table_info& table) const {
        (void)table;
        return false;
    }
    /// How many rows a Session flush may change with one grouped UPDATE
    /// (`SET c = CASE WHEN key = ? THEN ? ... END WHERE key IN (...)`); 1 means
    /// one UPDATE per row, best where a statement costs no round trip (SQLite).
    virtual std::size_t update_batch_rows() const { return 1; }

    /// The placeholder of the `number`-th parameter (1-based): `?` (MySQL, SQLite), `$1` (PostgreSQL).
    std::string placeholder(std::size_t number) const;

protected:
    /// The state of one compilation, for the rendering hooks below.
    struct render_context {
        std::string& sql;
        std::vector<value>& params;
        /// The FROM and JOIN tables of the SELECTs being compiled, innermost last
        /// (a column's qualifier must name one of them).
        std::vector<std::vector<const sql::table_ref*>> scopes;
        /// True while rendering a SELECT's result columns (where SQLite turns scaled decimals back into text).
        bool in_select_list = false;
    };
    /// Appends the placeholder of the `number`-th parameter.
    virtual void append_placeholder(std::string& sql, std::size_t number) const;
    /// The text of a binary operator, with its spaces: " = ", " AND ", " LIKE ".
    virtual const char* operator_text(sql::op o) const;
    /// Appends an expression (the generic renderer; dialects override it for the
    /// nodes they render differently and call it for the rest).
    virtual void append_expression(render_context& ctx, const sql::expression& e) const;
    /// Appends a binary operator node other than AND/OR and concatenation (comparisons,
    /// arithmetic, LIKE, IN), in parentheses unless it is a whole condition.
    virtual void append_binary(render_context& ctx, const sql::expression& e, bool parenthesised) const;
    /// Appends a function call (func::generic included).
    virtual void append_function(render_context& ctx, const sql::expression& e) const;
    /// Appends a year/month/day/hour/minute/second part of a date-time (ANSI: EXTRACT(YEAR FROM x)).
    virtual void append_date_part(render_context& ctx, sql::func part, const sql::expression& operand) const;
    /// Appends `a || b` (MySQL: CONCAT(a, b)).
    virtual void append_concat(render_context& ctx, const sql::expression& e) const;
    /// The type name CAST(x AS <name>) uses for a target type.
    virtual std::string cast_type_name(const sql::value_type& target) const;
    /// Appends a SELECT's row-lock clause (FOR UPDATE [NOWAIT | SKIP LOCKED], ...).
    virtual void append_lock(std::string& sql, const sql::lock_clause& lock) const;
    /// Appends a bound value and its placeholder.
    void append_parameter(render_context& ctx, value v) const;
    /// Appends operands separated by ", ".
    void append_list(render_context& ctx, const std::vector<sql::expression>& items) const;
    /// Appends a condition (a top-level comparison or AND/OR chain needs no parentheses of its own).
    void append_condition(render_context& ctx, const sql::expression& condition) const;
    /// Appends a table reference: [schema.]name [AS alias].
    void append_table(std::string& sql, const sql::table_ref& table) const;
    /// The character that opens and closes a quoted identifier.
    virtual char identifier_quote() const { return '"'; }
    /// Appends " LIMIT n OFFSET m" (ANSI: OFFSET m ROWS FETCH FIRST n ROWS ONLY).
    virtual void append_limit(std::string& sql, const sql::select_statement& s) const;
    /// Appends the upsert clause of an INSERT (ON CONFLICT ... / ON DUPLICATE KEY ...).
    virtual void append_upsert(std::string& sql, const sql::insert_statement& s, const sql::upsert_clause& u) const;
    /// The column definition after name and type for an auto-increment key.
    virtual std::string auto_increment_clause() const = 0;
    /// True if the auto-increment clause already declares the primary key (SQLite).
    virtual bool auto_increment_declares_key() const { return false; }
    /// True if indexes are declared inside CREATE TABLE (MySQL), false for separate CREATE INDEX.
    virtual bool inline_indexes() const { return false; }
    /// An INSERT of a row that takes every column's default.
    virtual std::string default_values_clause() const { return " DEFAULT VALUES"; }
    /// Text appended after CREATE TABLE's closing parenthesis (engine, charset, STRICT),
    /// from the table's options for this backend (another backend's are ignored).
    virtual std::string table_options(const table_info& table) const {
        (void)table;
        return {};
    }

private:
    void append_where(render_context& ctx, const std::optional<sql::expression>& where) const;
    void append_chain(render_context& ctx, const sql::expression& e, bool parenthesised) const;
    void append_terms(render_context& ctx, sql::op connective, const sql::expression* const* terms, std::size_t count) const;
    void check_qualifier(const render_context& ctx, const sql::expression& column) const;
    std::string quote_list(const std::vector<std::string>& names) const;
    std::string column_definition(const table_info& table, const column_info& column) const;
    void append_select(render_context& ctx, const sql::select_statement& s) const;
    compiled_sql compile_select(const sql::select_statement& s) const;
    compiled_sql compile_insert(const sql::insert_statement& s) const;
    compiled_sql compile_update(const sql::update_statement& s) const;
    compiled_sql compile_delete(const sql::delete_statement& s) const;
    compiled_sql compile_create_table(const sql::create_table_statement& s) const;
    compiled_sql compile_drop_table(const sql::drop_table_statement& s) const;
    compiled_sql compile_create_index(const sql::create_index_statement& s) const;
};

/// True if a version string "A.B[.C...]" (an optional "5.5.5-" replication prefix
/// skipped) is at least major.minor.
bool version_at_least(std::string_view version, int major, int minor);

/// The MySQL / MariaDB dialect.
std::unique_ptr<dialect> make_mysql_dialect();
/// The SQLite dialect.
std::unique_ptr<dialect> make_sqlite_dialect();

}  // namespace orm
