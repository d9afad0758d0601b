// The MySQL / MariaDB driver over libmariadb's C prepared-statement API.
// Every execute() runs a server-side prepared statement (cached per
// connection, LRU) with orm::value parameters bound in place (MYSQL_BIND
// points into the values: no copy), and reads rows through the binary protocol.
//
// Streaming. Rows are fetched unbuffered: mysql_stmt_store_result is never
// called, so each mysql_stmt_fetch reads the next row from the socket and the
// client holds one row at a time, with or without parameters. While rows are
// unread the connection can run nothing else: the next call on it (execute,
// execute_simple, ping, ...) first reads and discards the rest (begin_call),
// and the old cursor expires. A reader that pauses longer than the server's
// net_write_timeout loses the connection. An error that ends the rows early
// (KILL QUERY, max_statement_time, a lost connection) comes back from
// mysql_stmt_fetch and is thrown by cursor::next(), never read as a short result.
#include "orm/driver/mariadb.hpp"

#include <mysql.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "../mysql_common/errors.hpp"
#include "../mysql_common/options.hpp"
#include "../mysql_common/statement_cache.hpp"
#include "orm/error.hpp"

namespace orm::driver {

namespace {

constexpr std::size_t statement_cache_capacity = 256;
/// Bytes first bound for a string or blob column (grown when a value is longer).
constexpr unsigned long initial_text_capacity = 256;
constexpr unsigned long min_text_capacity = 16;
/// ER_NEED_REPREPARE and CR_NEW_STMT_METADATA: the table changed under a cached statement.
constexpr unsigned need_reprepare = 1615;
constexpr unsigned new_statement_metadata = 2057;

/// Initialises libmariadb once per process (mysql_init does it too, but not thread-safely everywhere).
void initialise_library() {
    static std::once_flag once;
    std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

struct cached_statement;

/// What the connection and its cursors share.
struct session_state {
    MYSQL* native = nullptr;  ///< null once the connection is closed
    bool broken = false;      ///< the connection was lost or killed
    std::uint64_t generation = 0;  ///< bumped by every call on the connection
    /// The statement whose rows are still being read (the cursor of `generation`), or null.
    cached_statement* reading = nullptr;
};

/// Throws the error of `native` (a connection) as an orm error; marks the session broken when it was lost.
[[noreturn]] void raise_connection_error(session_state& state, MYSQL* native, const std::string& statement) {
    const unsigned code = mysql_errno(native);
    const std::string sqlstate = mysql_sqlstate(native);
    if (mysql_common::is_connection_lost(static_cast<int>(code), sqlstate)) state.broken = true;
    mysql_common::raise_mysql_error(
        mysql_common::make_error_info(static_cast<int>(code), sqlstate, mysql_error(native), statement));
}

/// Throws the error of `stmt` as an orm error; marks the session broken when the connection was lost.
/// An error packet read by an unbuffered mysql_stmt_fetch is recorded on the connection only.
[[noreturn]] void raise_statement_error(session_state& state, MYSQL_STMT* stmt, const std::string& statement) {
    if (mysql_stmt_errno(stmt) == 0 && mysql_errno(state.native) != 0)
        raise_connection_error(state, state.native, statement);
    const unsigned code = mysql_stmt_errno(stmt);
    const std::string sqlstate = mysql_stmt_sqlstate(stmt);
    if (mysql_common::is_connection_lost(static_cast<int>(code), sqlstate)) state.broken = true;
    mysql_common::raise_mysql_error(
        mysql_common::make_error_info(static_cast<int>(code), sqlstate, mysql_stmt_error(stmt), statement));
}

// ---------------------------------------------------------------------------
// Parameters

/// Points `bind` at `param` (no copy: the value outlives the execution).
void bind_parameter(MYSQL_BIND& bind, const value& param) {
    bind = MYSQL_BIND{};
    // libmariadb only reads input buffers; MYSQL_BIND has no const member.
    if (std::holds_alternative<null_t>(param)) {
        bind.buffer_type = MYSQL_TYPE_NULL;
    } else if (const auto* i = std::get_if<std::int64_t>(&param)) {
        bind.buffer_type = MYSQL_TYPE_LONGLONG;
        bind.buffer = const_cast<std::int64_t*>(i);
    } else if (const auto* u = std::get_if<std::uint64_t>(&param)) {
        bind.buffer_type = MYSQL_TYPE_LONGLONG;
        bind.buffer = const_cast<std::uint64_t*>(u);
        bind.is_unsigned = 1;
    } else if (const auto* d = std::get_if<double>(&param)) {
        bind.buffer_type = MYSQL_TYPE_DOUBLE;
        bind.buffer = const_cast<double*>(d);
    } else if (const auto* s = std::get_if<std::string>(&param)) {
        bind.buffer_type = MYSQL_TYPE_STRING;
        bind.buffer = const_cast<char*>(s->data());
        bind.buffer_length = static_cast<unsigned long>(s->size());
    } else {
        const blob& bytes = std::get<blob>(param);
        bind.buffer_type = MYSQL_TYPE_BLOB;
        // An empty vector's data() may be null, which libmariadb would send as NULL.
        static char no_bytes = 0;
        bind.buffer = bytes.empty() ? static_cast<void*>(&no_bytes) : const_cast<std::byte*>(bytes.data());
        bind.buffer_length = static_cast<unsigned long>(bytes.size());
    }
}

// ---------------------------------------------------------------------------
// Result columns

/// How a column's values are read and turned into orm::value (the same value
/// kinds the Connector/C++ driver returns for the same column types).
enum class column_kind {
    signed_integer,    ///< TINYINT..BIGINT, YEAR -> int64
    unsigned_integer,  ///< the same, UNSIGNED -> uint64
    bits,              ///< BIT(n): big-endian bytes -> uint64 (int64 without the UNSIGNED flag)
    single,            ///< FLOAT -> double (widened exactly)
    floating,          ///< DOUBLE -> double
    text,              ///< CHAR, VARCHAR, TEXT, DECIMAL, ENUM, SET, JSON -> string
    binary,            ///< BINARY, VARBINARY, BLOB, GEOMETRY -> blob
    date,              ///< "YYYY-MM-DD"
    time,              ///< "[-]HH:MM:SS[.ffffff]" (hours may exceed 24)
    datetime,          ///< DATETIME, TIMESTAMP: "YYYY-MM-DD HH:MM:SS[.ffffff]"
    null,              ///< the NULL type (SELECT NULL)
};

/// The column_kind of a result field.
column_kind kind_of(const MYSQL_FIELD& field) {
    const bool is_unsigned = (field.flags & UNSIGNED_FLAG) != 0;
    switch (field.type) {
        case MYSQL_TYPE_TINY: case MYSQL_TYPE_SHORT: case MYSQL_TYPE_INT24: case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_LONGLONG: case MYSQL_TYPE_YEAR:
            return is_unsigned ? column_kind::unsigned_integer : column_kind::signed_integer;
        case MYSQL_TYPE_BIT: return column_kind::bits;
        case MYSQL_TYPE_FLOAT: return column_kind::single;
        case MYSQL_TYPE_DOUBLE: return column_kind::floating;
        case MYSQL_TYPE_DATE: case MYSQL_TYPE_NEWDATE: return column_kind::date;
        case MYSQL_TYPE_TIME: return column_kind::time;
        case MYSQL_TYPE_DATETIME: case MYSQL_TYPE_TIMESTAMP: return column_kind::datetime;
        case MYSQL_TYPE_NULL: return column_kind::null;
        case MYSQL_TYPE_GEOMETRY: return column_kind::binary;
        case MYSQL_TYPE_STRING: case MYSQL_TYPE_VAR_STRING: case MYSQL_TYPE_VARCHAR:
        case MYSQL_TYPE_TINY_BLOB: case MYSQL_TYPE_MEDIUM_BLOB: case MYSQL_TYPE_LONG_BLOB: case MYSQL_TYPE_BLOB:
            return field.charsetnr == 63 /* binary */ ? column_kind::binary : column_kind::text;
        default:  // DECIMAL, NEWDECIMAL, ENUM, SET, JSON
            return column_kind::text;
    }
}

/// True for kinds read into a variable-length byte buffer.
bool is_variable_length(column_kind kind) {
    return kind == column_kind::text || kind == column_kind::binary || kind == column_kind::bits;
}

/// One result column: what it is and the buffer its values are fetched into.
struct output_column {
    std::string label;
    column_kind kind = column_kind::text;
    unsigned scale = 0;  ///< digits of fractional seconds of temporal columns (> 6: unknown)
    enum_field_types type = MYSQL_TYPE_NULL;
    unsigned flags = 0;
    unsigned charset = 0;
    union {
        std::int64_t integer;
        float single;
        double floating;
        MYSQL_TIME time;
    } fixed{};
    std::vector<char> bytes;  ///< variable-length values
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
};

/// The output binding of a statement's result: one buffer per column, reused
/// by every execution while the result's shape stays the same.
class result_binding {
public:
    /// Makes the binding match the result metadata of `stmt` (after execute) and binds it.
    /// Returns false (with the statement's error set) if binding failed.
    bool bind(MYSQL_STMT* stmt) {
        MYSQL_RES* meta = mysql_stmt_result_metadata(stmt);
        if (meta == nullptr) return false;
        const unsigned count = mysql_num_fields(meta);
        const MYSQL_FIELD* fields = mysql_fetch_fields(meta);
        if (!same_shape(fields, count)) rebuild(fields, count);
        mysql_free_result(meta);
        return mysql_stmt_bind_result(stmt, binds_.data()) == 0;
    }

    /// After mysql_stmt_fetch: reads again, into grown buffers, every string
    /// or blob the bound buffer was too short for. False on error.
    bool complete_row(MYSQL_STMT* stmt) {
        bool grown = false;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            output_column& c = columns_[i];
            if (!is_variable_length(c.kind) || c.is_null || c.length <= c.bytes.size()) continue;
            c.bytes.resize(std::max<std::size_t>(c.length, c.bytes.size() * 2));
            MYSQL_BIND& b = binds_[i];
            b.buffer = c.bytes.data();
            b.buffer_length = static_cast<unsigned long>(c.bytes.size());
            if (mysql_stmt_fetch_column(stmt, &b, static_cast<unsigned>(i), 0) != 0) return false;
            grown = true;
        }
        // Longer buffers are kept for the following rows.
        return !grown || mysql_stmt_bind_result(stmt, binds_.data()) == 0;
    }

    std::size_t size() const { return columns_.size(); }
    const output_column& column(std::size_t i) const { return columns_[i]; }

private:
    /// True when the binding was built for fields of exactly these types.
    bool same_shape(const MYSQL_FIELD* fields, unsigned count) const {
        if (count != columns_.size()) return false;
        for (unsigned i = 0; i < count; ++i) {
            const output_column& c = columns_[i];
            if (c.type != fields[i].type || c.flags != fields[i].flags || c.charset != fields[i].charsetnr ||
                c.scale != fields[i].decimals || c.label != std::string_view(fields[i].name, fields[i].name_length))
                return false;
        }
        return true;
    }

    void rebuild(const MYSQL_FIELD* fields, unsigned count) {
        columns_ = std::vector<output_column>(count);
        binds_.assign(count, MYSQL_BIND{});
        for (unsigned i = 0; i < count; ++i) {
            const MYSQL_FIELD& f = fields[i];
            output_column& c = columns_[i];
            c.label.assign(f.name, f.name_length);
            c.kind = kind_of(f);
            c.scale = f.decimals;
            c.type = f.type;
            c.flags = f.flags;
            c.charset = f.charsetnr;
            MYSQL_BIND& b = binds_[i];
            b.length = &c.length;
            b.is_null = &c.is_null;
            b.error = &c.error;
            switch (c.kind) {
                case column_kind::signed_integer:
                case column_kind::unsigned_integer:
                    b.buffer_type = MYSQL_TYPE_LONGLONG;
                    b.buffer = &c.fixed.integer;
                    b.is_unsigned = c.kind == column_kind::unsigned_integer;
                    break;
                case column_kind::single:
                    b.buffer_type = MYSQL_TYPE_FLOAT;
                    b.buffer = &c.fixed.single;
                    break;
                case column_kind::floating:
                    b.buffer_type = MYSQL_TYPE_DOUBLE;
                    b.buffer = &c.fixed.floating;
                    break;
                case column_kind::date:
                case column_kind::time:
                case column_kind::datetime:
                    b.buffer_type = f.type == MYSQL_TYPE_NEWDATE ? MYSQL_TYPE_DATE : f.type;
                    b.buffer = &c.fixed.time;
                    b.buffer_length = sizeof(MYSQL_TIME);
                    break;
                case column_kind::null:
                    b.buffer_type = MYSQL_TYPE_NULL;
                    break;
                case column_kind::text:
                case column_kind::binary:
                case column_kind::bits: {
                    const unsigned long wanted = std::clamp<unsigned long>(f.length, min_text_capacity, initial_text_capacity);
                    c.bytes.resize(wanted);
                    b.buffer_type = c.kind == column_kind::text ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
                    b.buffer = c.bytes.data();
                    b.buffer_length = wanted;
                    break;
                }
            }
        }
    }

    std::vector<output_column> columns_;
    std::vector<MYSQL_BIND> binds_;  ///< contiguous, as mysql_stmt_bind_result wants
};

/// Writes `v` as decimal digits, zero-padded to at least `width`, at `out`; returns the end.
char* put_digits(char* out, unsigned long v, int width) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n < width) digits[n++] = '0';
    while (n > 0) *out++ = digits[--n];
    return out;
}

/// "YYYY-MM-DD", "[-]HH:MM:SS" or "YYYY-MM-DD HH:MM:SS", with `scale`
/// fraction digits (as the server prints the column); for an unknown scale
/// (> 6, e.g. an expression) six digits when the fraction is not zero, none otherwise.
/// Formatted by hand: a row of DATETIMEs should not cost a printf each.
/// Writes the text into `text` (64 bytes are enough) and returns its length.
std::size_t format_temporal(char* text, const MYSQL_TIME& t, column_kind kind, unsigned scale) {
    char* p = text;
    if (kind != column_kind::time) {
        p = put_digits(p, t.year, 4);
        *p++ = '-';
        p = put_digits(p, t.month, 2);
        *p++ = '-';
        p = put_digits(p, t.day, 2);
        if (kind == column_kind::date) return static_cast<std::size_t>(p - text);
        *p++ = ' ';
        p = put_digits(p, t.hour, 2);
    } else {
        if (t.neg) *p++ = '-';
        p = put_digits(p, static_cast<unsigned long>(t.day) * 24UL + t.hour, 2);
    }
    *p++ = ':';
    p = put_digits(p, t.minute, 2);
    *p++ = ':';
    p = put_digits(p, t.second, 2);
    const unsigned digits = scale <= 6 ? scale : (t.second_part != 0 ? 6 : 0);
    if (digits > 0) {
        char fraction[8];
        put_digits(fraction, t.second_part % 1'000'000, 6);
        *p++ = '.';
        for (unsigned i = 0; i < digits; ++i) *p++ = fraction[i];
    }
    return static_cast<std::size_t>(p - text);
}

std::string format_temporal(const MYSQL_TIME& t, column_kind kind, unsigned scale) {
    char text[64];
    return std::string(text, format_temporal(text, t, kind, scale));
}

/// The value of a BIT column: its bytes, most significant first.
std::uint64_t bits_value(const output_column& c) {
    std::uint64_t out = 0;
    for (std::size_t i = 0; i < c.length && i < c.bytes.size(); ++i)
        out = (out << 8) | static_cast<unsigned char>(c.bytes[i]);
    return out;
}

// ---------------------------------------------------------------------------
// Statements

/// A prepared statement of the cache, with its reusable buffers.
struct cached_statement {
    std::unique_ptr<MYSQL_STMT, decltype(&mysql_stmt_close)> stmt{nullptr, &mysql_stmt_close};
    std::size_t parameter_count = 0;
    std::vector<MYSQL_BIND> params;  ///< reused: points into the values of each execution
    result_binding result;
};

/// Reads and discards the unread rows of `reading` (constant memory: no store_result).
/// A lost connection marks the session broken; other errors end the rows, which nobody wants.
void drain(session_state& state) {
    cached_statement* open = state.reading;
    state.reading = nullptr;
    if (open == nullptr) return;
    for (;;) {
        const int rc = mysql_stmt_fetch(open->stmt.get());
        if (rc == 0 || rc == MYSQL_DATA_TRUNCATED) continue;
        if (rc == 1) {
            const unsigned code = mysql_stmt_errno(open->stmt.get());
            if (mysql_common::is_connection_lost(static_cast<int>(code), mysql_stmt_sqlstate(open->stmt.get())))
                state.broken = true;
        }
        break;
    }
    mysql_stmt_free_result(open->stmt.get());
}

// ---------------------------------------------------------------------------
// Cursor

/// The unbuffered rows of one execution, read with mysql_stmt_fetch.
class mariadb_cursor final : public cursor {
public:
    mariadb_cursor(std::shared_ptr<session_state> state, cached_statement& statement, const std::string& sql)
        : state_(std::move(state)), generation_(state_->generation), statement_(statement), sql_(sql) {}

    bool next() override {
        check_current();
        if (finished_) return false;
        MYSQL_STMT* stmt = statement_.stmt.get();
        const int rc = mysql_stmt_fetch(stmt);
        started_ = true;
        if (rc == 0 || rc == MYSQL_DATA_TRUNCATED) {
            if (!statement_.result.complete_row(stmt)) fail();
            return true;
        }
        if (rc == MYSQL_NO_DATA) {
            finish();
            return false;
        }
        fail();  // an error packet (KILL QUERY, timeout) or a lost connection ended the rows
    }

    std::size_t column_count() const override { return statement_.result.size(); }

    std::string column_name(std::size_t i) const override { return column(i).label; }

    // The rows come over in one go (mysql_stmt_store_result) and their count is known.
    std::optional<std::size_t> buffer_rows() override {
        check_current();
        if (finished_ || started_) return std::nullopt;
        started_ = true;
        if (mysql_stmt_store_result(statement_.stmt.get()) != 0) fail();
        return static_cast<std::size_t>(mysql_stmt_num_rows(statement_.stmt.get()));
    }

    value get(std::size_t i) override {
        check_current();
        const output_column& c = column(i);
        if (c.is_null || c.kind == column_kind::null) return null;
        switch (c.kind) {
            case column_kind::signed_integer: return c.fixed.integer;
            case column_kind::unsigned_integer: return static_cast<std::uint64_t>(c.fixed.integer);
            case column_kind::bits: {
                const std::uint64_t bits = bits_value(c);
                if (c.flags & UNSIGNED_FLAG) return bits;
                return static_cast<std::int64_t>(bits);
            }
            case column_kind::single: return static_cast<double>(c.fixed.single);
            case column_kind::floating: return c.fixed.floating;
            case column_kind::text: return std::string(c.bytes.data(), c.length);
            case column_kind::binary: {
                const auto* first = reinterpret_cast<const std::byte*>(c.bytes.data());
                return blob(first, first + c.length);
            }
            case column_kind::date:
            case column_kind::time:
            case column_kind::datetime: return format_temporal(c.fixed.time, c.kind, c.scale);
            case column_kind::null: break;
        }
        return null;
    }

    // Signed integers of every width, and unsigned ones up to INT64_MAX.
    std::optional<std::int64_t> get_int64(std::size_t i) override {
        check_current();
        const output_column& c = column(i);
        if (c.is_null) return std::nullopt;
        if (c.kind == column_kind::signed_integer) return c.fixed.integer;
        if (c.kind == column_kind::unsigned_integer && c.fixed.integer >= 0) return c.fixed.integer;
        return std::nullopt;
    }

    // DOUBLE and FLOAT columns (a float widens to double exactly).
    std::optional<double> get_double(std::size_t i) override {
        check_current();
        const output_column& c = column(i);
        if (c.is_null) return std::nullopt;
        if (c.kind == column_kind::floating) return c.fixed.floating;
        if (c.kind == column_kind::single) return static_cast<double>(c.fixed.single);
        return std::nullopt;
    }

    // DATETIME and TIMESTAMP from their parts, with the fraction the text would show
    // (see format_temporal); anything parsing the text would refuse is left to it.
    std::optional<std::int64_t> get_datetime_micros(std::size_t i) override {
        check_current();
        const output_column& c = column(i);
        if (c.is_null || c.kind != column_kind::datetime) return std::nullopt;
        const MYSQL_TIME& t = c.fixed.time;
        const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(t.year)}, std::chrono::month{t.month},
                                              std::chrono::day{t.day}};
        if (t.neg || t.year > 9999 || !ymd.ok() || t.hour > 23 || t.minute > 59 || t.second > 59) return std::nullopt;
        const unsigned digits = c.scale <= 6 ? c.scale : (t.second_part != 0 ? 6 : 0);
        // The microseconds that `digits` fraction digits keep (the rest are not shown).
        constexpr std::int64_t kept_unit[] = {1'000'000, 100'000, 10'000, 1'000, 100, 10, 1};
        std::int64_t fraction = static_cast<std::int64_t>(t.second_part % 1'000'000);
        fraction -= fraction % kept_unit[digits];
        const auto seconds = std::chrono::sys_days{ymd}.time_since_epoch() + std::chrono::hours{t.hour} +
                             std::chrono::minutes{t.minute} + std::chrono::seconds{t.second};
        return std::chrono::duration_cast<std::chrono::microseconds>(seconds).count() + fraction;
    }

    // Text columns are lent from their bound buffers; dates and times are formatted
    // into one reused buffer (no allocation per value).
    std::optional<std::string_view> get_text(std::size_t i) override {
        check_current();
        const output_column& c = column(i);
        if (c.is_null) return std::nullopt;
        switch (c.kind) {
            case column_kind::text: return std::string_view(c.bytes.data(), c.length);
            case column_kind::date:
            case column_kind::time:
            case column_kind::datetime:
                return std::string_view(temporal_, format_temporal(temporal_, c.fixed.time, c.kind, c.scale));
            default: return std::nullopt;
        }
    }

private:
    /// Throws interface_error once the connection has run something else.
    void check_current() const {
        if (state_->generation != generation_ || state_->native == nullptr)
            throw interface_error("mysql: a cursor was used after its connection ran another statement");
    }

    /// The last row was read: the statement is ready to run again.
    void finish() {
        finished_ = true;
        if (state_->reading == &statement_) state_->reading = nullptr;
        mysql_stmt_free_result(statement_.stmt.get());
    }

    /// Throws the statement's error; the rows have ended.
    [[noreturn]] void fail() {
        finished_ = true;
        if (state_->reading == &statement_) state_->reading = nullptr;
        raise_statement_error(*state_, statement_.stmt.get(), sql_);
    }

    const output_column& column(std::size_t i) const {
        if (i >= statement_.result.size())
            throw interface_error("mysql: column index " + std::to_string(i) + " is out of range (" +
                                  std::to_string(statement_.result.size()) + " columns)");
        return statement_.result.column(i);
    }

    std::shared_ptr<session_state> state_;
    std::uint64_t generation_;
    cached_statement& statement_;  ///< not evicted while current: eviction happens only after begin_call
    std::string sql_;
    bool finished_ = false;
    bool started_ = false;  ///< rows were fetched or buffered
    char temporal_[64];     ///< the last date or time get_text() formatted
};

// ---------------------------------------------------------------------------
// Connection

/// One libmariadb session with its cache of prepared statements.
class mariadb_connection final : public connection {
public:
    /// `charset` and `database` are the URL's, set again after a session reset.
    mariadb_connection(MYSQL* native, std::string charset, std::string database)
        : state_(std::make_shared<session_state>()),
          cache_(statement_cache_capacity),
          charset_(std::move(charset)),
          database_(std::move(database)) {
        state_->native = native;
    }

    ~mariadb_connection() override {
        ++state_->generation;
        state_->reading = nullptr;
        // The session first: mysql_close detaches its statements, so closing them
        // afterwards neither reads unread rows nor sends one COM_STMT_CLOSE each.
        mysql_close(state_->native);
        state_->native = nullptr;
        cache_.clear();
    }

    mariadb_connection(const mariadb_connection&) = delete;
    mariadb_connection& operator=(const mariadb_connection&) = delete;

    std::unique_ptr<cursor> execute(const std::string& sql, std::span<const value> params, bool) override {
        begin_call();
        // A cached statement whose table changed is prepared again, once.
        for (int attempt = 0;; ++attempt) {
            cached_statement& entry = prepare(sql);
            mysql_common::check_parameter_count(entry.parameter_count, params.size(), sql);
            MYSQL_STMT* stmt = entry.stmt.get();
            if (!params.empty()) {
                for (std::size_t i = 0; i < params.size(); ++i) bind_parameter(entry.params[i], params[i]);
                if (mysql_stmt_bind_param(stmt, entry.params.data()) != 0) raise_statement_error(*state_, stmt, sql);
            }
            if (mysql_stmt_execute(stmt) != 0) {
                const unsigned code = mysql_stmt_errno(stmt);
                if (attempt == 0 && (code == need_reprepare || code == new_statement_metadata)) {
                    cache_.erase(sql);
                    continue;
                }
                raise_statement_error(*state_, stmt, sql);
            }
            const auto id = mysql_stmt_insert_id(stmt);
            insert_id_ = id;
            if (mysql_stmt_field_count(stmt) == 0) {
                affected_rows_ = mysql_stmt_affected_rows(stmt);
                return nullptr;
            }
            if (!entry.result.bind(stmt)) {
                mysql_stmt_free_result(stmt);
                raise_statement_error(*state_, stmt, sql);
            }
            state_->reading = &entry;
            return std::make_unique<mariadb_cursor>(state_, entry, sql);
        }
    }

    void execute_simple(const std::string& sql) override {
        begin_call();
        MYSQL* native = state_->native;
        if (mysql_real_query(native, sql.data(), static_cast<unsigned long>(sql.size())) != 0)
            raise_connection_error(*state_, native, sql);
        // Read and drop every result so the session is ready for the next command.
        for (;;) {
            if (MYSQL_RES* rows = mysql_use_result(native)) {
                while (mysql_fetch_row(rows) != nullptr) {
                }
                const bool failed = mysql_errno(native) != 0;
                mysql_free_result(rows);
                if (failed) raise_connection_error(*state_, native, sql);
            } else if (mysql_field_count(native) != 0) {
                raise_connection_error(*state_, native, sql);
            }
            const int more = mysql_next_result(native);
            if (more == -1) break;
            if (more > 0) raise_connection_error(*state_, native, sql);
        }
    }

    std::uint64_t affected_rows() const override { return affected_rows_; }

    // mysql_stmt_insert_id: the first key generated by the last INSERT; when it
    // is 0 (nothing generated) the dialect's LAST_INSERT_ID() query answers instead.
    std::optional<std::int64_t> last_insert_id() override {
        if (insert_id_ == 0) return std::nullopt;
        return static_cast<std::int64_t>(insert_id_);
    }

    bool is_usable() const override { return !state_->broken && state_->native != nullptr; }
    // The client/server protocol counts a prepared statement's parameters in 16 bits.
    std::size_t max_parameters() const override { return 65'535; }

    // The server's status flags (from its last OK/EOF packet) say whether a transaction is open.
    bool may_be_in_transaction() const override {
        if (state_->broken || state_->reading != nullptr) return true;
        unsigned int status = 0;
        if (mariadb_get_infov(state_->native, MARIADB_CONNECTION_SERVER_STATUS, &status) != 0) return true;
        return (status & SERVER_STATUS_IN_TRANS) != 0;
    }

    bool ping() override {
        begin_call();
        if (state_->broken || mysql_ping(state_->native) != 0) {
            state_->broken = true;
            return false;
        }
        return true;
    }

    std::string server_version() override { return mysql_get_server_info(state_->native); }

    // COM_RESET_CONNECTION: session and user variables, temporary tables, locks and
    // prepared statements go, the session stays; then the URL's character set and
    // database are set again (the pool runs the dialect's on-connect statements after).
    bool reset_session() override {
        begin_call();
        MYSQL* native = state_->native;
        if (mysql_reset_connection(native) != 0) raise_connection_error(*state_, native, "(mysql_reset_connection)");
        cache_.clear();  // the server closed every prepared statement; libmariadb detached them
        if (mysql_set_character_set(native, charset_.c_str()) != 0) raise_connection_error(*state_, native, "SET NAMES " + charset_);
        if (!database_.empty() && mysql_select_db(native, database_.c_str()) != 0)
            raise_connection_error(*state_, native, "(mysql_select_db)");
        return true;
    }

private:
    /// Ends the previous call: its cursor expires and its unread rows are read and discarded.
    void begin_call() {
        drain(*state_);
        ++state_->generation;
        affected_rows_ = 0;
        insert_id_ = 0;
    }

    /// The cached preparation of `sql`, preparing it (and evicting the least
    /// recently used statement when the cache is full) if needed.
    cached_statement& prepare(const std::string& sql) {
        if (auto* found = cache_.find(sql)) return **found;
        auto entry = std::make_unique<cached_statement>();
        entry->stmt.reset(mysql_stmt_init(state_->native));
        if (!entry->stmt) raise_connection_error(*state_, state_->native, sql);
        MYSQL_STMT* stmt = entry->stmt.get();
        if (mysql_stmt_prepare(stmt, sql.data(), static_cast<unsigned long>(sql.size())) != 0)
            raise_statement_error(*state_, stmt, sql);
        entry->parameter_count = mysql_stmt_param_count(stmt);
        entry->params.assign(entry->parameter_count, MYSQL_BIND{});
        return *cache_.insert(sql, std::move(entry));
    }

    std::shared_ptr<session_state> state_;
    mysql_common::statement_cache<std::unique_ptr<cached_statement>> cache_;
    std::uint64_t affected_rows_ = 0;
    std::uint64_t insert_id_ = 0;
    std::string charset_;   ///< the connection character set (URL option charset)
    std::string database_;  ///< the URL's database, "" if none
};

// ---------------------------------------------------------------------------
// Driver

/// Applies the URL's TLS settings to `native` (before connecting). libmariadb
/// 3.3 verifies the certificate chain whenever a CA is given (verify_ca needs
/// ssl_ca), MYSQL_OPT_SSL_VERIFY_SERVER_CERT adds the host name check, and
/// MYSQL_OPT_SSL_ENFORCE asks for TLS but falls back to plain text when the
/// server has none: connect() checks mysql_get_ssl_cipher afterwards.
void apply_tls(MYSQL* native, const mysql_common::tls_settings& tls) {
    if (tls.mode == mysql_common::ssl_mode::disabled) return;
    if (!tls.ca.empty()) mysql_optionsv(native, MYSQL_OPT_SSL_CA, tls.ca.c_str());
    if (!tls.cert.empty()) mysql_optionsv(native, MYSQL_OPT_SSL_CERT, tls.cert.c_str());
    if (!tls.key.empty()) mysql_optionsv(native, MYSQL_OPT_SSL_KEY, tls.key.c_str());
    my_bool use_tls = 1;
    mysql_optionsv(native, MYSQL_OPT_SSL_ENFORCE, &use_tls);
    my_bool verify_host = tls.verifies_host();
    mysql_optionsv(native, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify_host);
}

/// Opens libmariadb sessions to MySQL or MariaDB servers.
class mariadb_driver final : public driver {
public:
    std::string_view name() const override { return "mysql"; }

    std::unique_ptr<connection> connect(const url& target, const connect_options& options) override {
        initialise_library();
        const mysql_common::server_options server = mysql_common::read_server_options(target);
        std::unique_ptr<MYSQL, decltype(&mysql_close)> native(mysql_init(nullptr), &mysql_close);
        if (!native) throw std::bad_alloc();
        MYSQL* m = native.get();
        const unsigned timeout = options.connect_timeout_seconds;
        mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
        mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, server.charset.c_str());
        my_bool off = 0;
        my_bool on = 1;
        mysql_optionsv(m, MYSQL_OPT_RECONNECT, &off);
        mysql_optionsv(m, MYSQL_REPORT_DATA_TRUNCATION, &on);
        apply_tls(m, server.tls);
        const unsigned long flags = CLIENT_FOUND_ROWS /* UPDATE reports matched rows */ | CLIENT_MULTI_RESULTS;
        if (mysql_real_connect(m, server.unix_socket.empty() ? server.host.c_str() : nullptr, server.user.c_str(),
                               server.password.c_str(), server.database.empty() ? nullptr : server.database.c_str(),
                               server.port, server.unix_socket.empty() ? nullptr : server.unix_socket.c_str(),
                               flags) == nullptr) {
            const int code = static_cast<int>(mysql_errno(m));
            raise(error_kind::connection,
                  mysql_common::make_error_info(code, mysql_sqlstate(m),
                                                mysql_common::without_secret(mysql_error(m), target.password), {}));
        }
        if (server.tls.tls_required() && mysql_get_ssl_cipher(m) == nullptr)
            raise(error_kind::connection, mysql_common::tls_not_negotiated());
        return std::make_unique<mariadb_connection>(native.release(), server.charset, server.database);
    }
};

}  // namespace

std::unique_ptr<driver> make_mariadb_driver() { return std::make_unique<mariadb_driver>(); }

}  // namespace orm::driver
