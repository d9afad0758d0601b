// The MySQL / MariaDB dialect: backtick quoting, MySQL type names,
// AUTO_INCREMENT, LIMIT/OFFSET, indexes inside CREATE TABLE, strict mode.
#include <algorithm>
#include <cstdlib>

#include "orm/dialect/dialect.hpp"

namespace orm {

namespace {

class mysql_dialect final : public dialect {
public:
    std::string_view name() const override { return "mysql"; }

    std::string column_type(const column_info& c) const override {
        const sql_type& t = c.type;
        switch (t.kind) {
            case type_kind::boolean: return "BOOLEAN";
            case type_kind::integer: {
                const char* base = t.bytes == 1 ? "TINYINT" : t.bytes == 2 ? "SMALLINT" : t.bytes == 4 ? "INT" : "BIGINT";
                return t.is_unsigned ? std::string(base) + " UNSIGNED" : base;
            }
            case type_kind::floating: return t.bytes == 4 ? "FLOAT" : "DOUBLE";
            // utf8mb4 VARCHAR holds at most 16383 characters; longer declared sizes pick a TEXT size.
            case type_kind::text:
                if (c.length == 0) return "TEXT";
                if (c.length <= 16383) return "VARCHAR(" + std::to_string(c.length) + ")";
                return c.length <= 16777215 / 4 ? "MEDIUMTEXT" : "LONGTEXT";
            case type_kind::blob:
                if (t.fixed_size) return "BINARY(" + std::to_string(t.fixed_size) + ")";
                return c.length ? "VARBINARY(" + std::to_string(c.length) + ")" : "LONGBLOB";
            case type_kind::datetime: {
                const std::string base = c.timestamp ? "TIMESTAMP" : "DATETIME";
                return t.fraction_digits ? base + "(" + std::to_string(t.fraction_digits) + ")" : base;
            }
            case type_kind::json: return "JSON";
            case type_kind::date: return "DATE";
            case type_kind::decimal: return "DECIMAL(" + std::to_string(c.precision) + ", " + std::to_string(c.scale) + ")";
            case type_kind::time: return t.fraction_digits ? "TIME(" + std::to_string(t.fraction_digits) + ")" : "TIME";
        }
        return "TEXT";
    }

    // VARCHAR(n) and VARBINARY(n) enforce n; a length past 16383 became MEDIUMTEXT/LONGTEXT, which do not.
    bool enforces_length(const column_info& c) const override { return c.type.kind != type_kind::text || c.length <= 16383; }

    std::string begin_sql() const override { return "START TRANSACTION"; }

    // Every statement is a round trip: a flush changes many rows per UPDATE.
    std::size_t update_batch_rows() const override { return 200; }

    std::vector<std::string> on_connect_sql() const override {
        // Strict mode: an over-long string or out-of-range number is an error,
        // never a silent truncation. Times are stored and read as UTC.
        return {"SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
                "SET SESSION time_zone = '+00:00'"};
    }

    std::string last_insert_id_sql() const override { return "SELECT LAST_INSERT_ID()"; }
    std::string last_errors_sql() const override { return "SHOW ERRORS"; }
    std::string tls_status_sql() const override { return "SHOW SESSION STATUS LIKE 'Ssl_cipher'"; }

    bool last_insert_id_gives_one_row_key() const override { return true; }

    // MariaDB >= 10.5 has INSERT ... RETURNING; MySQL has none.
    bool supports_returning() const override { return returning_; }
    void configure(const server_info& server) override {
        returning_ = server.allow_returning && server.version.find("MariaDB") != std::string::npos &&
                     version_at_least(server.version, 10, 5);
        // InnoDB hands a multi-row INSERT one consecutive block of keys in lock
        // modes 0 ("traditional") and 1 ("consecutive"); mode 2 ("interleaved")
        // may interleave concurrent inserts, so the keys cannot be inferred.
        key_step_.reset();
        auto mode = server.settings.find("autoinc_lock_mode");
        auto step = server.settings.find("autoinc_increment");
        if (mode != server.settings.end() && step != server.settings.end() && (mode->second == "0" || mode->second == "1")) {
            const std::uint64_t increment = std::strtoull(step->second.c_str(), nullptr, 10);
            if (increment > 0) key_step_ = increment;
        }
    }

    std::string server_settings_sql() const override {
        return "SELECT @@innodb_autoinc_lock_mode AS autoinc_lock_mode, @@auto_increment_increment AS autoinc_increment";
    }

    std::optional<std::uint64_t> consecutive_key_step() const override { return key_step_; }

protected:
    char identifier_quote() const override { return '`'; }

    void append_limit(std::string& sql, const sql::select_statement& s) const override {
        if (s.limit) sql += " LIMIT " + std::to_string(*s.limit);
        else if (s.offset) sql += " LIMIT 18446744073709551615";  // MySQL has no OFFSET without LIMIT
        if (s.offset) sql += " OFFSET " + std::to_string(*s.offset);
    }

    // ON DUPLICATE KEY UPDATE c = VALUES(c): VALUES() works on MariaDB and MySQL
    // (MySQL 8.0.20+ deprecates it in favour of a row alias MariaDB lacks).
    void append_upsert(std::string& sql, const sql::insert_statement& s, const sql::upsert_clause& u) const override {
        sql += " ON DUPLICATE KEY UPDATE ";
        if (u.update_columns.empty()) {  // do nothing: assign a key column to itself
            const std::string& any = u.conflict_columns.empty() ? s.columns.at(0) : u.conflict_columns[0];
            sql += quote_identifier(any) + " = " + quote_identifier(any);
            return;
        }
        for (std::size_t i = 0; i < u.update_columns.size(); ++i) {
            if (i) sql += ", ";
            const std::string column = quote_identifier(u.update_columns[i]);
            sql += column + " = VALUES(" + column + ")";
        }
    }

    const char* operator_text(sql::op o) const override { return o == sql::op::int_div ? " DIV " : dialect::operator_text(o); }

    // || is OR in MySQL (unless PIPES_AS_CONCAT): CONCAT(a, b), NULL if either is.
    void append_concat(render_context& ctx, const sql::expression& e) const override {
        ctx.sql += "CONCAT(";
        append_list(ctx, e.operands());
        ctx.sql += ')';
    }

    // CAST(3.7 AS SIGNED) rounds in MySQL (a double or a decimal); every other backend (and C++) truncates.
    void append_expression(render_context& ctx, const sql::expression& e) const override {
        if (e.node() == sql::expression::kind::cast && e.type().is(type_kind::integer) &&
            (e.operand(0).type().is(type_kind::floating) || e.operand(0).type().is(type_kind::decimal))) {
            ctx.sql += "CAST(TRUNCATE(";
            dialect::append_expression(ctx, e.operand(0));
            ctx.sql += ", 0) AS " + cast_type_name(e.type()) + ')';
            return;
        }
        // A decimal bound as text would be compared as a DOUBLE: say it is a DECIMAL.
        if (e.node() == sql::expression::kind::parameter && e.type().is(type_kind::decimal) && !is_null(e.param())) {
            const int scale = std::min<int>(e.type().scale, 38);
            const int digits = std::clamp<int>(e.type().precision, std::max(scale, 1), 65);
            ctx.sql += "CAST(";
            append_parameter(ctx, e.param());
            ctx.sql += " AS DECIMAL(" + std::to_string(digits) + ", " + std::to_string(scale) + "))";
            return;
        }
        dialect::append_expression(ctx, e);
    }

    std::string cast_type_name(const sql::value_type& t) const override {
        switch (t.kind) {
            case type_kind::boolean: return "SIGNED";
            case type_kind::integer: return t.is_unsigned ? "UNSIGNED" : "SIGNED";
            case type_kind::floating: return "DOUBLE";
            case type_kind::text: return "CHAR";
            case type_kind::blob: return "BINARY";
            case type_kind::datetime: return t.fraction_digits ? "DATETIME(" + std::to_string(t.fraction_digits) + ")" : "DATETIME";
            case type_kind::time: return t.fraction_digits ? "TIME(" + std::to_string(t.fraction_digits) + ")" : "TIME";
            case type_kind::json: return "CHAR";
            default: return dialect::cast_type_name(t);
        }
    }

    // MariaDB spells a shared lock LOCK IN SHARE MODE (FOR SHARE is MySQL 8's).
    void append_lock(std::string& sql, const sql::lock_clause& lock) const override {
        sql += lock.mode == sql::lock_clause::strength::update ? " FOR UPDATE" : " LOCK IN SHARE MODE";
        if (lock.wait == sql::lock_clause::waiting::nowait) sql += " NOWAIT";
        else if (lock.wait == sql::lock_clause::waiting::skip_locked) sql += " SKIP LOCKED";
    }

    std::string auto_increment_clause() const override { return "AUTO_INCREMENT"; }
    bool inline_indexes() const override { return true; }
    std::string default_values_clause() const override { return " () VALUES ()"; }
    std::string table_options(const table_info& t) const override {
        const auto& o = t.options;
        std::string out = " ENGINE=" + (o.mysql_engine.empty() ? std::string("InnoDB") : o.mysql_engine);
        out += " DEFAULT CHARSET=" + (o.mysql_charset.empty() ? std::string("utf8mb4") : o.mysql_charset);
        if (!o.mysql_collation.empty()) out += " COLLATE=" + o.mysql_collation;
        if (!o.mysql_row_format.empty()) out += " ROW_FORMAT=" + o.mysql_row_format;
        return out;
    }
    std::string column_collation(const column_info& c) const override { return c.mysql_collation; }

private:
    bool returning_ = false;  // until configure() sees a MariaDB server
    std::optional<std::uint64_t> key_step_;
};

}  // namespace

std::unique_ptr<dialect> make_mysql_dialect() { return std::make_unique<mysql_dialect>(); }

}  // namespace orm
