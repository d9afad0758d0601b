// The docs' SQL examples: a registry of named examples, and the dry engine
// (a driver that records what it is sent) on which "run" examples run.
#include <algorithm>
#include <map>
#include <memory>

#include "snippets.hpp"

namespace docs {

namespace {

/// A cursor over rows given up front.
class rows_cursor final : public orm::driver::cursor {
public:
    rows_cursor(std::vector<std::string> names, std::vector<std::vector<orm::value>> rows)
        : names_(std::move(names)), rows_(std::move(rows)) {}
    bool next() override { return ++at_ <= rows_.size(); }
    std::size_t column_count() const override { return names_.size(); }
    std::string column_name(std::size_t i) const override { return names_.at(i); }
    orm::value get(std::size_t i) override { return rows_.at(at_ - 1).at(i); }

private:
    std::vector<std::string> names_;
    std::vector<std::vector<orm::value>> rows_;
    std::size_t at_ = 0;
};

bool starts_with(const std::string& text, std::string_view prefix) { return text.compare(0, prefix.size(), prefix) == 0; }

/// A connection that records every statement and answers as an empty database
/// would: no rows, one matched row per write, increasing last insert ids.
class recording_connection final : public orm::driver::connection {
public:
    recording_connection(std::vector<std::string>& log, bool sqlite) : log_(log), sqlite_(sqlite) {}

    std::unique_ptr<orm::driver::cursor> execute(const std::string& sql, std::span<const orm::value>, bool returns_rows) override {
        record(sql);
        // The dialects' probes: MariaDB's InnoDB lock mode (1: consecutive keys),
        // SQLite's check that a multi-row INSERT gets consecutive keys (yes).
        if (starts_with(sql, "SELECT @@innodb_autoinc_lock_mode"))
            return std::make_unique<rows_cursor>(std::vector<std::string>{"autoinc_lock_mode", "autoinc_increment"},
                                                 std::vector<std::vector<orm::value>>{{std::string("1"), std::string("1")}});
        if (starts_with(sql, "SELECT NOT EXISTS (SELECT 1 FROM sqlite_master"))
            return std::make_unique<rows_cursor>(std::vector<std::string>{"ok"}, std::vector<std::vector<orm::value>>{{std::int64_t{1}}});
        if (starts_with(sql, "INSERT")) ++last_id_;
        if (returns_rows || starts_with(sql, "SELECT")) return std::make_unique<rows_cursor>(std::vector<std::string>{}, std::vector<std::vector<orm::value>>{});
        return nullptr;
    }
    void execute_simple(const std::string& sql) override { record(sql); }
    std::uint64_t affected_rows() const override { return 1; }
    std::optional<std::int64_t> last_insert_id() override { return last_id_; }
    std::size_t max_parameters() const override { return sqlite_ ? 32766 : 65535; }
    bool is_usable() const override { return true; }
    bool may_be_in_transaction() const override { return in_transaction_; }
    std::optional<bool> holds_write_lock() const override {
        if (!sqlite_) return std::nullopt;
        return in_transaction_ && write_lock_;
    }
    bool ping() override { return true; }
    std::string server_version() override { return sqlite_ ? "3.40.1" : "10.11.6-MariaDB-0+deb12u1"; }
    bool reset_session() override { return true; }

private:
    void record(const std::string& sql) {
        log_.push_back(sql);
        if (starts_with(sql, "BEGIN") || starts_with(sql, "START TRANSACTION")) {
            in_transaction_ = true;
            write_lock_ = sql == "BEGIN IMMEDIATE";
        } else if (sql == "COMMIT" || sql == "ROLLBACK") {
            in_transaction_ = write_lock_ = false;
        } else if (starts_with(sql, "INSERT") || starts_with(sql, "UPDATE") || starts_with(sql, "DELETE")) {
            write_lock_ = true;
        }
    }

    std::vector<std::string>& log_;
    bool sqlite_;
    bool in_transaction_ = false;
    bool write_lock_ = false;
    std::int64_t last_id_ = 0;
};

class recording_driver final : public orm::driver::driver {
public:
    recording_driver(std::vector<std::string>& log, bool sqlite) : log_(log), sqlite_(sqlite) {}
    std::string_view name() const override { return sqlite_ ? "sqlite" : "mysql"; }
    std::unique_ptr<orm::driver::connection> connect(const orm::url&, const orm::driver::connect_options&) override {
        return std::make_unique<recording_connection>(log_, sqlite_);
    }

private:
    std::vector<std::string>& log_;
    bool sqlite_;
};

bool is_transaction_control(const std::string& sql) {
    for (std::string_view keyword : {"BEGIN", "START TRANSACTION", "SET TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})
        if (starts_with(sql, keyword)) return true;
    return false;
}

/// The text of `sql` from the first `keyword` outside parentheses and quotes on.
std::string from_clause(const std::string& sql, std::string_view keyword) {
    // Built by append: g++ 12 -O3 warns (-Wrestrict, a false positive) on `" " + std::string(keyword)`.
    std::string needle(1, ' ');
    needle.append(keyword).push_back(' ');
    int depth = 0;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"' || c == '`') {
            quote = c;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        } else if (depth == 0 && sql.compare(i, needle.size(), needle) == 0) {
            return sql.substr(i + 1);
        }
    }
    return "<no top-level " + std::string(keyword) + " in: " + sql + ">";
}

/// One dialect's dry engine and the statements its driver was sent.
struct dry_engine {
    explicit dry_engine(bool sqlite)
        : engine(orm::url::parse(sqlite ? "sqlite:///docs.db" : "mysql://docs@127.0.0.1/docs"),
                 sqlite ? orm::make_sqlite_dialect() : orm::make_mysql_dialect(), std::make_unique<recording_driver>(log, sqlite)) {
        auto first = engine.connect();  // the first connection reads the server's settings into the dialect
    }
    std::vector<std::string> log;
    orm::engine engine;
};

struct example {
    std::function<std::vector<std::string>(dry_engine&)> statements;
    shown how;
};

struct registry {
    std::map<std::string, example> examples;
    std::vector<std::string> duplicates;
};
registry& examples() {
    static registry r;
    return r;
}

void add(std::string name, example e) {
    auto& r = examples();
    if (!r.examples.emplace(name, std::move(e)).second) r.duplicates.push_back(std::move(name));
}

}  // namespace

sql_example::sql_example(std::string name, compiled statements, shown how) {
    add(std::move(name), {[statements = std::move(statements)](dry_engine& dry) { return statements(dry.engine.sql_dialect()); }, how});
}

sql_example::sql_example(std::string name, on_connection code, shown how)
    : sql_example(std::move(name), on_engine([code = std::move(code)](orm::engine& engine) {
                      auto conn = engine.connect();
                      code(conn);
                  }),
                  how) {}

sql_example::sql_example(std::string name, on_engine code, shown how) {
    add(std::move(name), {[code = std::move(code)](dry_engine& dry) {
                              dry.log.clear();
                              try {
                                  code(dry.engine);
                              } catch (const orm::no_result_error&) {
                                  // one() of a dry engine finds no row: what it sent is recorded
                              }
                              const auto on_connect = dry.engine.sql_dialect().on_connect_sql();
                              std::vector<std::string> out;
                              for (const std::string& sql : dry.log)
                                  if (std::find(on_connect.begin(), on_connect.end(), sql) == on_connect.end()) out.push_back(sql);
                              return out;
                          },
                          how});
}

std::optional<std::string> rendered_sql(const std::string& name) {
    const auto& all = examples().examples;
    const auto found = all.find(name);
    if (found == all.end()) return std::nullopt;
    const example& e = found->second;
    std::string text;
    for (const bool sqlite : {true, false}) {
        dry_engine dry(sqlite);
        std::vector<std::string> statements;
        for (const std::string& sql : e.statements(dry)) {
            if (!e.how.transactions && is_transaction_control(sql)) continue;
            statements.push_back(e.how.from ? from_clause(sql, e.how.from) : sql);
        }
        if (statements.empty()) continue;
        text += sqlite ? "-- SQLite\n" : "-- MySQL\n";
        for (const std::string& sql : statements) text += sql + "\n";
    }
    return text;
}

std::vector<std::string> sql_example_names() {
    std::vector<std::string> names;
    for (const auto& [name, e] : examples().examples) names.push_back(name);
    return names;
}

std::vector<std::string> duplicate_sql_examples() { return examples().duplicates; }

}  // namespace docs
