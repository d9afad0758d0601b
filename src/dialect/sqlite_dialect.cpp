// The SQLite dialect: double-quote quoting, storage-class type names,
// INTEGER PRIMARY KEY AUTOINCREMENT, separate CREATE INDEX IF NOT EXISTS,
// foreign keys switched on per connection.
#include <algorithm>
#include <limits>

#include "orm/dialect/dialect.hpp"

namespace orm {

namespace {

class sqlite_dialect final : public dialect {
public:
    std::string_view name() const override { return "sqlite"; }

    std::string column_type(const column_info& c) const override {
        const sql_type& t = c.type;
        switch (t.kind) {
            case type_kind::boolean: return "BOOLEAN";
            // 64-bit unsigned values above INT64_MAX are stored as their
            // two's-complement bits; the declared type tells the driver to read them back unsigned.
            case type_kind::integer: return t.is_unsigned && t.bytes == 8 && !c.auto_increment ? "BIGINT UNSIGNED" : "INTEGER";
            case type_kind::floating: return "REAL";
            case type_kind::text: return c.length ? "VARCHAR(" + std::to_string(c.length) + ")" : "TEXT";
            case type_kind::blob: return "BLOB";
            case type_kind::datetime:
            case type_kind::date: return "TEXT";  // ISO-8601 text, which sorts chronologically
            case type_kind::time: return "TEXT";  // [-]HH:MM:SS[.ffffff]
            // Exact digits as text: SQLite's NUMERIC affinity would turn them into a lossy REAL.
            case type_kind::decimal: return "TEXT";
            case type_kind::json: return "TEXT";  // with CHECK (json_valid(...)), see column_check
        }
        return "TEXT";
    }

    std::vector<std::string> on_connect_sql() const override { return {"PRAGMA foreign_keys = ON"}; }

    std::string column_check(const column_info& c) const override {
        return c.type.kind == type_kind::json ? "CHECK (json_valid(" + quote_identifier(c.name) + "))" : std::string{};
    }

    bool enforces_length(const column_info&) const override { return false; }

    bool last_insert_id_gives_one_row_key() const override { return true; }

    // SQLite gives each row of an INSERT the largest rowid + 1 (AUTOINCREMENT: also
    // above any key ever used), so one statement's rows get consecutive keys unless a
    // trigger inserts rows of the same table in between or the largest rowid reaches
    // INT64_MAX (from then on keys are random). A REPLACE conflict clause does not
    // break the run: a row's rowid is chosen before the rows it replaces are deleted.
    // The query rules out both; inside a transaction nobody else can change the
    // schema or the table before the INSERT.
    std::optional<compiled_sql> consecutive_keys_check(const table_info& table, std::size_t rows) const override {
        const column_info* serial = table.auto_increment_column();
        if (!serial || rows == 0) return std::nullopt;
        const std::string triggers = "tbl_name = ? COLLATE NOCASE AND type = 'trigger'";
        compiled_sql check;
        check.text = "SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE " + triggers +
                     " UNION ALL SELECT 1 FROM sqlite_temp_master WHERE " + triggers + ") AND coalesce((SELECT max(" + quote_identifier(serial->name) + ") FROM " + quote_identifier(table.name) +
                     "), 0) <= ?";
        const auto room = std::numeric_limits<std::int64_t>::max() - static_cast<std::int64_t>(std::min<std::size_t>(rows, 1U << 30));
        check.params = {value{table.name}, value{table.name}, value{room}};
        check.returns_rows = true;
        return check;
    }

    // RETURNING arrived in SQLite 3.35.0.
    bool supports_returning() const override { return returning_; }
    void configure(const server_info& server) override {
        returning_ = server.allow_returning && version_at_least(server.version, 3, 35);
    }

private:
    bool returning_ = true;

protected:
    void append_limit(std::string& sql, const sql::select_statement& s) const override {
        if (s.limit) sql += " LIMIT " + std::to_string(*s.limit);
        else if (s.offset) sql += " LIMIT -1";  // SQLite needs a LIMIT before OFFSET
        if (s.offset) sql += " OFFSET " + std::to_string(*s.offset);
    }

    void append_upsert(std::string& sql, const sql::insert_statement&, const sql::upsert_clause& u) const override {
        sql += " ON CONFLICT (";
        for (std::size_t i = 0; i < u.conflict_columns.size(); ++i) sql += (i ? ", " : "") + quote_identifier(u.conflict_columns[i]);
        sql += ")";
        if (u.update_columns.empty()) {
            sql += " DO NOTHING";
            return;
        }
        sql += " DO UPDATE SET ";
        for (std::size_t i = 0; i < u.update_columns.size(); ++i) {
            const std::string column = quote_identifier(u.update_columns[i]);
            sql += (i ? ", " : "") + column + " = excluded." + column;
        }
    }

    // The key must be declared inline for the column to alias the rowid.
    std::string auto_increment_clause() const override { return "PRIMARY KEY AUTOINCREMENT"; }
    bool auto_increment_declares_key() const override { return true; }
};

}  // namespace

std::unique_ptr<dialect> make_sqlite_dialect() { return std::make_unique<sqlite_dialect>(); }

}  // namespace orm
