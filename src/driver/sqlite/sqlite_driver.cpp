// The SQLite driver: orm::driver's connection and cursor over libsqlite3.
// It runs the SQL text it is given; it knows no SQL grammar.
#include "orm/driver/sqlite.hpp"

#include <sqlite3.h>

#include <climits>
#include <cstring>
#include <cstdint>
#include <limits>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "orm/decimal.hpp"
#include "orm/error.hpp"

namespace orm::driver {

namespace {

constexpr std::size_t statement_cache_capacity = 128;

// Maps an (extended) SQLite result code to orm's error category by its primary code.
error_kind classify(int extended_code) {
    switch (extended_code & 0xff) {
        case SQLITE_CONSTRAINT: return error_kind::integrity;
        case SQLITE_TOOBIG:
        case SQLITE_MISMATCH: return error_kind::data;
        case SQLITE_ERROR:
        case SQLITE_RANGE: return error_kind::programming;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_INTERRUPT:
        case SQLITE_NOMEM:
        case SQLITE_PROTOCOL: return error_kind::operational;
        case SQLITE_CANTOPEN:
        case SQLITE_AUTH: return error_kind::connection;
        default: return error_kind::other;
    }
}

// Throws the orm error for `info.native_code`, marking busy/locked as retryable.
[[noreturn]] void raise_classified(error_info info) {
    const int primary = info.native_code & 0xff;
    info.retryable = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    raise(classify(info.native_code), std::move(info));
}

// Throws the orm error for result `code` on `db`, with SQLite's message and the statement.
[[noreturn]] void raise_sqlite(int code, sqlite3* db, std::string statement) {
    error_info info;
    info.backend = "sqlite";
    info.native_code = code;
    const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    info.server_message = message != nullptr ? message : sqlite3_errstr(code);
    info.statement = std::move(statement);
    raise_classified(std::move(info));
}

// Throws a programming_error raised by orm itself (misuse detected before SQLite ran anything).
[[noreturn]] void raise_misuse(std::string message, std::string statement) {
    error_info info;
    info.server_message = std::move(message);
    info.statement = std::move(statement);
    raise(error_kind::programming, std::move(info));
}

// True if `decl` (a column's declared type) mentions UNSIGNED, in any letter case.
bool declared_unsigned(const char* decl) {
    if (decl == nullptr) return false;
    static constexpr char word[] = "unsigned";
    const std::size_t length = std::strlen(decl), word_length = sizeof word - 1;
    for (std::size_t start = 0; start + word_length <= length; ++start) {
        std::size_t k = 0;
        while (k < word_length && (decl[start + k] | 0x20) == word[k]) ++k;
        if (k == word_length) return true;
    }
    return false;
}

// The scale s of a column declared SCALED_DECIMAL(p, s) (orm's exact decimals on
// SQLite: the integer value * 10^s), or -1.
int declared_decimal_scale(const char* decl) {
    static constexpr char word[] = "scaled_decimal(";
    if (decl == nullptr) return -1;
    for (std::size_t k = 0; k < sizeof word - 1; ++k) {
        const char c = decl[k] >= 'A' && decl[k] <= 'Z' ? static_cast<char>(decl[k] - 'A' + 'a') : decl[k];
        if (c != word[k]) return -1;  // also at the end of `decl`
    }
    const char* comma = std::strchr(decl, ',');
    if (comma == nullptr) return -1;
    int scale = 0;
    for (const char* c = comma + 1; *c; ++c)
        if (*c >= '0' && *c <= '9') scale = scale * 10 + (*c - '0');
    return scale;
}

// True if `tail` (what follows the first statement) holds another statement.
// SQLite itself decides: only whitespace, semicolons and comments may remain.
bool has_further_statement(sqlite3* db, const char* tail) {
    while (true) {
        while (*tail == ';' || *tail == ' ' || (*tail >= '\t' && *tail <= '\r')) ++tail;
        if (*tail == '\0') return false;
        sqlite3_stmt* probe = nullptr;
        const char* rest = nullptr;
        const int rc = sqlite3_prepare_v2(db, tail, -1, &probe, &rest);
        const bool found = probe != nullptr;
        sqlite3_finalize(probe);
        if (rc != SQLITE_OK || found || rest == nullptr || rest == tail) return true;
        tail = rest;
    }
}

// One prepared statement, shared between the connection's cache and the cursor
// reading it. `lease` counts uses: a cursor may touch the statement only while
// the lease it was given is current, so a stale cursor never disturbs a reuse.
struct statement_slot {
    sqlite3_stmt* stmt = nullptr;  // null once finalized
    std::uint64_t lease = 0;
    // Per result column, the scale of a SCALED_DECIMAL(p, s) column or -1: read
    // from the declared types once per preparation (SQLite re-prepares a statement
    // by itself after a schema change: `scales_prepared` is its count then).
    std::vector<signed char> decimal_scales;
    int scales_prepared = -1;
};

// Resets a statement and drops its bound values (and their copies).
void release_statement(sqlite3_stmt* stmt) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

// The rows of one statement; the first row may already have been fetched by execute().
class sqlite_cursor final : public cursor {
public:
    sqlite_cursor(std::shared_ptr<statement_slot> slot, bool has_first_row)
        : slot_(std::move(slot)),
          lease_(slot_->lease),
          columns_(static_cast<std::size_t>(sqlite3_column_count(slot_->stmt))),
          pending_row_(has_first_row),
          done_(!has_first_row) {}

    // Resets the statement (releasing its locks and read transaction) unless it was reused.
    ~sqlite_cursor() override {
        if (valid()) {
            release_statement(slot_->stmt);
            ++slot_->lease;
        }
    }

    sqlite_cursor(const sqlite_cursor&) = delete;
    sqlite_cursor& operator=(const sqlite_cursor&) = delete;

    // Moves to the next row: the pre-fetched one first, then by stepping.
    bool next() override {
        sqlite3_stmt* stmt = checked();
        on_row_ = false;
        if (done_) return false;
        if (pending_row_) {
            pending_row_ = false;
            return on_row_ = true;
        }
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) return on_row_ = true;
        done_ = true;
        if (rc == SQLITE_DONE) return false;
        sqlite3* db = sqlite3_db_handle(stmt);
        const char* sql = sqlite3_sql(stmt);
        error_info info;  // capture the message before reset
        std::string statement = sql != nullptr ? sql : "";
        std::string message = sqlite3_errmsg(db);
        release_statement(stmt);
        info.backend = "sqlite";
        info.native_code = rc;
        info.server_message = std::move(message);
        info.statement = std::move(statement);
        raise_classified(std::move(info));
    }

    // Number of result columns.
    std::size_t column_count() const override { return columns_; }

    // Column label as SQLite reports it (the AS alias if one was given).
    std::string column_name(std::size_t i) const override {
        sqlite3_stmt* stmt = checked();
        check_index(i);
        const char* name = sqlite3_column_name(stmt, static_cast<int>(i));
        return name != nullptr ? name : "";
    }

    // An INTEGER storage-class value (a negative one in a column declared UNSIGNED
    // is a uint64 above INT64_MAX: left to get()).
    std::optional<std::int64_t> get_int64(std::size_t i) override {
        sqlite3_stmt* stmt = current(i);
        const int col = static_cast<int>(i);
        if (sqlite3_column_type(stmt, col) != SQLITE_INTEGER || decimal_scale(i) >= 0) return std::nullopt;
        const std::int64_t n = sqlite3_column_int64(stmt, col);
        if (n < 0 && declared_unsigned(sqlite3_column_decltype(stmt, col))) return std::nullopt;
        return n;
    }

    // A REAL storage-class value.
    std::optional<double> get_double(std::size_t i) override {
        sqlite3_stmt* stmt = current(i);
        const int col = static_cast<int>(i);
        if (sqlite3_column_type(stmt, col) != SQLITE_FLOAT) return std::nullopt;
        return sqlite3_column_double(stmt, col);
    }

    // Column `i` of the current row, typed by SQLite's storage class.
    value get(std::size_t i) override {
        sqlite3_stmt* stmt = current(i);
        const int col = static_cast<int>(i);
        switch (sqlite3_column_type(stmt, col)) {
            case SQLITE_INTEGER: {
                const std::int64_t n = sqlite3_column_int64(stmt, col);
                // A column of orm's exact decimals read as it is (raw SQL): its exact text.
                if (const int scale = decimal_scale(i); scale >= 0) return decimal::from_scaled(n, static_cast<std::size_t>(scale)).to_string();
                // Unsigned values above INT64_MAX were stored as their two's-complement
                // int64 (see bind_value); a BIGINT UNSIGNED column gets them back.
                if (n < 0 && declared_unsigned(sqlite3_column_decltype(stmt, col)))
                    return static_cast<std::uint64_t>(n);
                return n;
            }
            case SQLITE_FLOAT: return sqlite3_column_double(stmt, col);
            case SQLITE_TEXT: {
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
                const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, col));
                return text != nullptr ? std::string(text, size) : std::string();
            }
            case SQLITE_BLOB: {
                const auto* data = static_cast<const std::byte*>(sqlite3_column_blob(stmt, col));
                const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, col));
                return data != nullptr ? blob(data, data + size) : blob();
            }
            default: return null;
        }
    }

    std::optional<std::string_view> get_text(std::size_t i) override {
        sqlite3_stmt* stmt = current(i);
        const int col = static_cast<int>(i);
        if (sqlite3_column_type(stmt, col) != SQLITE_TEXT) return std::nullopt;
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, col));
        return text != nullptr ? std::string_view(text, size) : std::string_view();
    }

private:
    // True while this cursor still owns its statement.
    bool valid() const { return slot_->stmt != nullptr && slot_->lease == lease_; }

    // The statement, or an interface_error if the connection has moved on.
    sqlite3_stmt* checked() const {
        if (!valid())
            throw interface_error("orm: cursor used after its connection ran another statement or was closed");
        return slot_->stmt;
    }

    // The statement, positioned on a row with a column `i`, or an interface_error.
    sqlite3_stmt* current(std::size_t i) const {
        sqlite3_stmt* stmt = checked();
        check_index(i);
        if (!on_row_) throw interface_error("orm: a cursor column was read without a current row (call next() first)");
        return stmt;
    }

    // The scale of column i if it is declared SCALED_DECIMAL(p, s), else -1 (the
    // declared types are read once per preparation of the statement, not per cursor).
    int decimal_scale(std::size_t i) {
        if (scales_ == nullptr) {
            statement_slot& slot = *slot_;
            const int prepared = sqlite3_stmt_status(slot.stmt, SQLITE_STMTSTATUS_REPREPARE, 0);
            if (slot.scales_prepared != prepared || slot.decimal_scales.size() != columns_) {
                slot.decimal_scales.resize(columns_);
                for (std::size_t c = 0; c < columns_; ++c)
                    slot.decimal_scales[c] = static_cast<signed char>(declared_decimal_scale(sqlite3_column_decltype(slot.stmt, static_cast<int>(c))));
                slot.scales_prepared = prepared;
            }
            scales_ = slot.decimal_scales.data();
        }
        return scales_[i];
    }

    // Throws if `i` is not a column index.
    void check_index(std::size_t i) const {
        if (i >= columns_)
            throw interface_error("orm: column index " + std::to_string(i) + " out of range (" +
                                  std::to_string(columns_) + " columns)");
    }

    std::shared_ptr<statement_slot> slot_;
    std::uint64_t lease_;
    std::size_t columns_;
    bool pending_row_;    // execute() already fetched the first row
    bool done_;           // SQLite reported SQLITE_DONE (or an error)
    bool on_row_ = false;  // get() may read
    const signed char* scales_ = nullptr;  // the slot's decimal_scales, once decimal_scale() checked them
};

// Binds `v` to the 1-based parameter `index`; returns SQLite's result code.
// `borrow`: SQLite may keep pointers into `v` instead of copying text and blobs
// (only while `v` outlives every sqlite3_step that reads the parameters).
int bind_value(sqlite3_stmt* stmt, int index, const value& v, bool borrow) {
    struct binder {
        sqlite3_stmt* stmt;
        int index;
        sqlite3_destructor_type keep;
        int operator()(null_t) const { return sqlite3_bind_null(stmt, index); }
        int operator()(std::int64_t n) const { return sqlite3_bind_int64(stmt, index, n); }
        // SQLite integers are signed 64-bit: a uint64 above INT64_MAX is stored as the
        // int64 with the same bits (two's complement, e.g. UINT64_MAX as -1). Reading a
        // column declared UNSIGNED turns negative values back into uint64 (see get()).
        int operator()(std::uint64_t n) const {
            return sqlite3_bind_int64(stmt, index, static_cast<sqlite3_int64>(n));
        }
        int operator()(double d) const { return sqlite3_bind_double(stmt, index, d); }
        int operator()(const std::string& s) const {
            return sqlite3_bind_text64(stmt, index, s.data(), s.size(), keep, SQLITE_UTF8);
        }
        int operator()(const blob& b) const {
            // An empty blob must stay an empty BLOB, not NULL (bind_blob64 of no bytes may bind NULL).
            if (b.empty()) return sqlite3_bind_zeroblob(stmt, index, 0);
            return sqlite3_bind_blob64(stmt, index, b.data(), b.size(), keep);
        }
    };
    return std::visit(binder{stmt, index, borrow ? SQLITE_STATIC : SQLITE_TRANSIENT}, v);
}

// Builds connection_error info from a failed open or probe, closing the handle.
[[noreturn]] void fail_connect(sqlite3* db, int rc) {
    error_info info;
    info.backend = "sqlite";
    info.native_code = db != nullptr ? sqlite3_extended_errcode(db) : rc;
    const char* message = db != nullptr ? sqlite3_errmsg(db) : nullptr;
    info.server_message = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    raise(error_kind::connection, std::move(info));
}

// ---- the functions of orm's exact decimals (see src/dialect/sqlite_dialect.cpp) -----------
// The SQLite dialect keeps DECIMAL(p <= 18, s) as the integer value * 10^s; these
// deterministic functions, registered on every connection, do the steps plain SQL
// would have to spell out several times over.

// orm_decimal_text(x, s): an integer x as the exact decimal text of x / 10^s with s
// fraction digits ("-0.05"); anything else (NULL, a REAL or text another tool
// stored) as it is.
void decimal_text_function(sqlite3_context* context, int, sqlite3_value** argv) {
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) return sqlite3_result_value(context, argv[0]);
    const sqlite3_int64 x = sqlite3_value_int64(argv[0]);
    const int scale = sqlite3_value_int(argv[1]);
    const std::uint64_t magnitude = x < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(x) : static_cast<std::uint64_t>(x);
    std::string digits = std::to_string(magnitude);
    if (scale > 0) {
        if (digits.size() <= static_cast<std::size_t>(scale)) digits.insert(0, static_cast<std::size_t>(scale) - digits.size() + 1, '0');
        digits.insert(digits.size() - static_cast<std::size_t>(scale), 1, '.');
    }
    if (x < 0) digits.insert(0, 1, '-');
    sqlite3_result_text(context, digits.data(), static_cast<int>(digits.size()), SQLITE_TRANSIENT);
}

// orm_checked(x): x if it is an integer (or NULL); "integer overflow" if SQLite's
// integer arithmetic overflowed into a REAL.
void checked_function(sqlite3_context* context, int, sqlite3_value** argv) {
    const int type = sqlite3_value_type(argv[0]);
    if (type == SQLITE_INTEGER || type == SQLITE_NULL) return sqlite3_result_value(context, argv[0]);
    sqlite3_result_error(context, "integer overflow", -1);
}

// orm_rounded_div(n, d): n / d rounded half away from zero, exactly; NULL if either
// is NULL or d is 0.
void rounded_div_function(sqlite3_context* context, int, sqlite3_value** argv) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(context);
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER || sqlite3_value_type(argv[1]) != SQLITE_INTEGER)
        return sqlite3_result_error(context, "integer overflow", -1);
    const sqlite3_int64 n = sqlite3_value_int64(argv[0]), d = sqlite3_value_int64(argv[1]);
    if (d == 0) return sqlite3_result_null(context);
    if (d == -1 && n == std::numeric_limits<sqlite3_int64>::min()) return sqlite3_result_error(context, "integer overflow", -1);
    sqlite3_int64 q = n / d;
    const sqlite3_int64 r = n % d;
    auto magnitude = [](sqlite3_int64 v) { return v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v); };
    if (magnitude(r) >= magnitude(d) - magnitude(r)) q += (n < 0) == (d < 0) ? 1 : -1;  // 2|r| >= |d|
    sqlite3_result_int64(context, q);
}

void register_decimal_functions(sqlite3* db) {
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    sqlite3_create_function_v2(db, "orm_decimal_text", 2, flags, nullptr, decimal_text_function, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "orm_checked", 1, flags, nullptr, checked_function, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "orm_rounded_div", 2, flags, nullptr, rounded_div_function, nullptr, nullptr, nullptr);
}

// Opens the database at `path` (":memory:": a new in-memory one) with extended
// result codes and a busy handler waiting up to `busy_timeout_ms`.
sqlite3* open_database(const std::string& path, int busy_timeout_ms) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
#ifdef SQLITE_OPEN_EXRESCODE
    flags |= SQLITE_OPEN_EXRESCODE;
#endif
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK || db == nullptr) fail_connect(db, rc);
    sqlite3_extended_result_codes(db, 1);
    // SQLite reads the file lazily; loading the schema now reports a file that is
    // not a database (or is corrupt) here rather than at first use. No SQL is run.
    // The probe runs before a busy handler is installed, so a lock held elsewhere
    // fails it at once; that is not a failure to open and is left to first use.
    // (A busy handler that gave up would also make the next lock attempt fail
    // without waiting, until sqlite3_busy_timeout is called again.)
    const int probe = sqlite3_table_column_metadata(db, "main", "sqlite_master", nullptr, nullptr,
                                                    nullptr, nullptr, nullptr, nullptr);
    const int primary = probe & 0xff;
    if (probe != SQLITE_OK && primary != SQLITE_ERROR && primary != SQLITE_BUSY && primary != SQLITE_LOCKED)
        fail_connect(db, probe);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    register_decimal_functions(db);
    return db;
}

// One open database handle with its cache of prepared statements.
class sqlite_connection final : public connection {
public:
    sqlite_connection(sqlite3* db, bool in_memory, int busy_timeout_ms)
        : db_(db), in_memory_(in_memory), busy_timeout_ms_(busy_timeout_ms) {}

    // Finalizes every cached statement (stale cursors see them as gone) and closes the handle.
    ~sqlite_connection() override {
        finalize_cached();
        sqlite3_close_v2(db_);
    }

    sqlite_connection(const sqlite_connection&) = delete;
    sqlite_connection& operator=(const sqlite_connection&) = delete;

    // Prepares (or reuses) `sql`, binds `params`, and steps once.
    std::unique_ptr<cursor> execute(const std::string& sql, std::span<const value> params, bool /*returns_rows*/) override {
        release_active();
        std::shared_ptr<statement_slot> slot = prepare(sql);
        sqlite3_stmt* stmt = slot->stmt;
        ++slot->lease;

        const int expected = sqlite3_bind_parameter_count(stmt);
        if (params.size() != static_cast<std::size_t>(expected))
            raise_misuse("statement has " + std::to_string(expected) + " parameter(s) but " +
                             std::to_string(params.size()) + " value(s) were given",
                         sql);
        // A statement that writes (INSERT/UPDATE/DELETE, with or without RETURNING)
        // reads its parameters only in the first sqlite3_step, below, while `params`
        // is alive: bind its text without copying. A query steps later: copy.
        const bool borrow = sqlite3_column_count(stmt) == 0 || !sqlite3_stmt_readonly(stmt);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int rc = bind_value(stmt, static_cast<int>(i) + 1, params[i], borrow);
            if (rc != SQLITE_OK) fail(rc, stmt, sql);
        }

        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW || (rc == SQLITE_DONE && sqlite3_column_count(stmt) > 0)) {
            affected_ = 0;
            active_ = slot;
            return std::make_unique<sqlite_cursor>(std::move(slot), rc == SQLITE_ROW);
        }
        if (rc != SQLITE_DONE) fail(rc, stmt, sql);
        affected_ = static_cast<std::uint64_t>(sqlite3_changes64(db_));
        release_statement(stmt);
        return nullptr;
    }

    // Runs `sql` with sqlite3_exec (it may hold several statements).
    void execute_simple(const std::string& sql) override {
        release_active();
        char* message = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
        if (rc == SQLITE_OK) return;
        error_info info;
        info.backend = "sqlite";
        info.native_code = sqlite3_extended_errcode(db_);
        info.server_message = message != nullptr ? message : sqlite3_errstr(rc);
        info.statement = sql;
        sqlite3_free(message);
        raise_classified(std::move(info));
    }

    // Rows changed by the last execute() that returned no cursor (0 after a query).
    std::uint64_t affected_rows() const override { return affected_; }

    // The rowid of the most recent successful INSERT on this connection.
    std::optional<std::int64_t> last_insert_id() override { return sqlite3_last_insert_rowid(db_); }

    // The handle stays open for the connection's lifetime.
    std::optional<bool> holds_write_lock() const override {
        return db_ != nullptr && sqlite3_txn_state(db_, nullptr) == SQLITE_TXN_WRITE;
    }
    bool is_usable() const override { return db_ != nullptr; }
    std::size_t max_parameters() const override {
        return db_ ? static_cast<std::size_t>(sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) : 999;
    }

    // An embedded database has no link to lose.
    bool ping() override { return db_ != nullptr; }

    // The SQLite library's version (there is no server).
    std::string server_version() override { return sqlite3_libversion(); }

    // SQLite knows exactly whether it is in autocommit mode.
    bool may_be_in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }

    // A file database has no reset: the pool closes the connection (the next one
    // starts afresh). An in-memory one cannot be closed without losing it: its
    // pages are copied into a new handle (sqlite3_backup), which replaces this
    // one, so PRAGMAs, temporary tables and attached databases are gone.
    bool reset_session() override {
        if (!in_memory_) return false;
        release_active();
        sqlite3* fresh = open_database(":memory:", busy_timeout_ms_);
        // An in-memory destination takes the backup only at the source's page size.
        const std::string page_size = "PRAGMA page_size = " + std::to_string(page_size_of(db_));
        int rc = sqlite3_exec(fresh, page_size.c_str(), nullptr, nullptr, nullptr);
        sqlite3_backup* backup = rc == SQLITE_OK ? sqlite3_backup_init(fresh, "main", db_, "main") : nullptr;
        if (backup != nullptr) {
            rc = sqlite3_backup_step(backup, -1);
            sqlite3_backup_finish(backup);
        }
        if (backup == nullptr || rc != SQLITE_DONE) {
            error_info info;
            info.backend = "sqlite";
            info.native_code = sqlite3_extended_errcode(fresh);
            info.server_message = std::string("resetting the in-memory database failed: ") + sqlite3_errmsg(fresh);
            sqlite3_close_v2(fresh);
            raise_classified(std::move(info));  // this handle stays as it was
        }
        finalize_cached();
        sqlite3_close_v2(db_);
        db_ = fresh;
        affected_ = 0;
        return true;
    }

private:
    // PRAGMA page_size of `db`'s main database.
    static int page_size_of(sqlite3* db) {
        sqlite3_stmt* stmt = nullptr;
        int size = 4096;
        if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
            size = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
        return size;
    }

    // Finalizes and forgets every cached statement; cursors still holding one see it as gone.
    void finalize_cached() {
        for (auto& entry : lru_) {
            sqlite3_finalize(entry.second->stmt);
            entry.second->stmt = nullptr;
        }
        lru_.clear();
        index_.clear();
        active_.reset();
    }

    using lru_list = std::list<std::pair<std::string, std::shared_ptr<statement_slot>>>;

    // Resets the statement behind the last returned cursor: that cursor is now invalid.
    void release_active() {
        if (!active_) return;
        if (active_->stmt != nullptr) release_statement(active_->stmt);
        ++active_->lease;
        active_.reset();
    }

    // The cached statement for `sql` (moved to the front), or a new one (evicting the oldest).
    // A cached statement is already reset: each is released when its step or its cursor
    // ends, and execute() releases the active one first.
    std::shared_ptr<statement_slot> prepare(const std::string& sql) {
        if (!lru_.empty() && lru_.front().first == sql) return lru_.front().second;  // the same as last time: no hashing
        if (auto found = index_.find(sql); found != index_.end()) {
            lru_.splice(lru_.begin(), lru_, found->second);
            return found->second->second;
        }
        if (sql.find('\0') != std::string::npos) raise_misuse("SQL text contains a NUL byte", sql);
        sqlite3_stmt* stmt = nullptr;
        const char* tail = nullptr;
        const int length = sql.size() < INT_MAX ? static_cast<int>(sql.size()) + 1 : -1;
        const int rc = sqlite3_prepare_v3(db_, sql.c_str(), length, SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(stmt);
            raise_sqlite(rc, db_, sql);
        }
        if (stmt == nullptr) raise_misuse("SQL text contains no statement", sql);
        if (tail != nullptr && has_further_statement(db_, tail)) {
            sqlite3_finalize(stmt);
            raise_misuse("execute() runs one statement, but the SQL text contains more than one", sql);
        }
        if (lru_.size() >= statement_cache_capacity) {
            auto& oldest = lru_.back();
            sqlite3_finalize(oldest.second->stmt);
            oldest.second->stmt = nullptr;
            index_.erase(oldest.first);
            lru_.pop_back();
        }
        auto slot = std::make_shared<statement_slot>();
        slot->stmt = stmt;
        lru_.emplace_front(sql, slot);
        index_.emplace(sql, lru_.begin());
        return slot;
    }

    // Raises the error SQLite reported for `stmt`, leaving the statement reset.
    [[noreturn]] void fail(int rc, sqlite3_stmt* stmt, const std::string& sql) {
        error_info info;
        info.backend = "sqlite";
        info.native_code = rc;
        info.server_message = sqlite3_errmsg(db_);  // before reset can change it
        info.statement = sql;
        release_statement(stmt);
        raise_classified(std::move(info));
    }

    sqlite3* db_;
    bool in_memory_;        // the database lives in this handle (see reset_session)
    int busy_timeout_ms_;   // for a handle opened again by reset_session
    lru_list lru_;  // most recently used first
    std::unordered_map<std::string, lru_list::iterator> index_;
    std::shared_ptr<statement_slot> active_;  // statement behind the last cursor returned
    std::uint64_t affected_ = 0;
};


// The factory of SQLite connections.
class sqlite_driver final : public driver {
public:
    std::string_view name() const override { return "sqlite"; }

    // Opens `target.database` ("" or ":memory:" for a private in-memory database).
    std::unique_ptr<connection> connect(const url& target, const connect_options& options) override {
        const bool in_memory = database_lives_in_connection(target);
        const unsigned timeout = options.busy_timeout_ms;
        const int busy_timeout = timeout > INT_MAX ? INT_MAX : static_cast<int>(timeout);
        return std::make_unique<sqlite_connection>(open_database(in_memory ? ":memory:" : target.database, busy_timeout),
                                                   in_memory, busy_timeout);
    }

    // An in-memory database exists only inside the connection that opened it.
    bool database_lives_in_connection(const url& target) const override {
        return target.database.empty() || target.database == ":memory:";
    }
};

}  // namespace

std::unique_ptr<driver> make_sqlite_driver() { return std::make_unique<sqlite_driver>(); }

}  // namespace orm::driver
