// The MySQL / MariaDB driver over MySQL Connector/C++'s legacy JDBC-style API.
// It runs the SQL text it is given; every statement is prepared (and cached per
// connection) so rows come back typed through the binary protocol.
//
// Streaming. Connector/C++ 1.1 always buffers the whole result of a prepared
// statement in client memory (mysql_stmt_store_result): its
// PreparedStatement::setResultSetType throws MethodNotImplementedException and
// the connection option defaultPreparedStatementResultType throws "parameter
// still not implemented" (both are compiled out behind WE_SUPPORT_USE_RESULT_WITH_PS).
// Only the text protocol can stream: an sql::Statement with TYPE_FORWARD_ONLY
// reads rows with mysql_use_result, one at a time. So a SELECT without
// parameters whose columns all read back exactly as text (everything but
// FLOAT, printed with 6 digits, and BIT), one of them from a table, runs as an
// unbuffered text-protocol query (still prepared once, for its metadata);
// every other statement runs prepared and buffered. While such rows are unread
// the session can run nothing else: the next call on the connection first
// reads and discards the rest (begin_call), and a reader that pauses longer
// than the server's net_write_timeout loses the connection. At the end of the
// rows one more round trip runs the dialect's last_errors_sql (connect_options) to ask
// the server whether an error cut them short; without that query, nothing streams.
#include "orm/driver/mysql.hpp"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/metadata.h>
#include <cppconn/parameter_metadata.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>

#include <charconv>
#include <cstdint>
#include <istream>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <streambuf>
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

constexpr std::size_t statement_cache_capacity = 128;
/// Characters of a DECIMAL that Connector/C++ 1.1 reads from a prepared statement's row.
constexpr std::size_t prepared_decimal_capacity = 64;

// ---------------------------------------------------------------------------
// Errors (classified by the code both MySQL drivers share: mysql_common/errors.hpp)

/// The error_info for a Connector/C++ exception.
error_info info_from(const sql::SQLException& e, std::string statement) {
    return mysql_common::make_error_info(e.getErrorCode(), e.getSQLState(), e.what(), std::move(statement));
}

/// What the connection and its cursors share: whether the session is broken,
/// and the rows of the one cursor that may still be read.
struct session_state {
    bool broken = false;
    std::uint64_t generation = 0;               ///< bumped by every call on the connection
    std::unique_ptr<sql::ResultSet> open_rows;  ///< rows of the cursor of `generation`
    sql::Connection* native = nullptr;          ///< the session (null once it is closed)
    std::string last_errors_sql;                ///< from the dialect; empty: never stream
};

/// Rethrows the exception being handled as an orm error (call inside `catch (...)`);
/// marks the session broken when the connection was lost.
[[noreturn]] void rethrow_as_orm_error(session_state& state, const std::string& statement) {
    try {
        throw;
    } catch (const orm::error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const sql::MethodNotImplementedException& e) {
        raise(error_kind::not_supported, info_from(e, statement));
    } catch (const sql::InvalidInstanceException& e) {  // "connection has been closed"
        state.broken = true;
        raise(error_kind::connection, info_from(e, statement));
    } catch (const sql::SQLException& e) {
        if (mysql_common::is_connection_lost(e.getErrorCode(), e.getSQLState())) state.broken = true;
        mysql_common::raise_mysql_error(info_from(e, statement));
    } catch (const std::exception& e) {
        raise(error_kind::other, error_info{"mysql", 0, {}, e.what(), statement});
    }
}

// ---------------------------------------------------------------------------
// Connector/C++ set-up

/// The process-wide Connector/C++ driver (get_driver_instance is not thread-safe).
sql::Driver& connector_driver() {
    static sql::Driver* const instance = get_driver_instance();
    return *instance;
}

/// Calls threadInit() once on each thread that uses the client library and
/// threadEnd() when the thread exits (no-ops with libmariadb, needed with libmysqlclient).
class thread_registration {
public:
    explicit thread_registration(sql::Driver& driver) : driver_(driver) { driver_.threadInit(); }
    ~thread_registration() { driver_.threadEnd(); }
    thread_registration(const thread_registration&) = delete;
    thread_registration& operator=(const thread_registration&) = delete;

private:
    sql::Driver& driver_;
};

/// Makes sure the calling thread is registered with the client library.
void register_thread() {
    thread_local thread_registration registration(connector_driver());
}

/// Moves the text out of a Connector/C++ string without copying it (binary-safe).
std::string take_string(sql::SQLString&& text) {
    std::string out;
    text->swap(out);
    return out;
}

/// A read-only stream over the bytes of a blob, for PreparedStatement::setBlob.
class blob_reader {
public:
    explicit blob_reader(const blob& bytes) : buffer_(bytes), stream_(&buffer_) {}

    std::istream* stream() { return &stream_; }

private:
    /// A get area over the blob's bytes (never written through).
    class byte_buffer : public std::streambuf {
    public:
        explicit byte_buffer(const blob& bytes) {
            char* begin = const_cast<char*>(reinterpret_cast<const char*>(bytes.data()));
            setg(begin, begin, begin + bytes.size());
        }
    };

    byte_buffer buffer_;
    std::istream stream_;
};

/// Binds `params` to `statement` by 1-based index; blob streams are kept in
/// `blobs`, which must outlive the execution.
void bind_parameters(sql::PreparedStatement& statement, std::span<const value> params,
                     std::vector<std::unique_ptr<blob_reader>>& blobs) {
    statement.clearParameters();
    unsigned index = 0;
    for (const value& param : params) {
        ++index;
        if (std::holds_alternative<null_t>(param)) {
            statement.setNull(index, sql::DataType::SQLNULL);
        } else if (const auto* i = std::get_if<std::int64_t>(&param)) {
            statement.setInt64(index, *i);
        } else if (const auto* u = std::get_if<std::uint64_t>(&param)) {
            statement.setUInt64(index, *u);
        } else if (const auto* d = std::get_if<double>(&param)) {
            statement.setDouble(index, *d);
        } else if (const auto* s = std::get_if<std::string>(&param)) {
            statement.setString(index, sql::SQLString(*s));
        } else {
            blobs.push_back(std::make_unique<blob_reader>(std::get<blob>(param)));
            statement.setBlob(index, blobs.back()->stream());
        }
    }
}

/// Rewrites the fractional seconds of a temporal value to the column's scale,
/// as the server prints them (Connector/C++ prints six digits, or none when zero).
std::string with_server_fraction(std::string text, unsigned scale) {
    if (scale > 6) return text;
    const std::size_t dot = text.find('.');
    std::string fraction;
    if (dot != std::string::npos) {
        fraction = text.substr(dot + 1);
        text.erase(dot);
    }
    if (scale == 0) return text;
    fraction.resize(scale, '0');
    return text + '.' + fraction;
}

// ---------------------------------------------------------------------------
// Cursor

/// How a column's values are turned into orm::value.
enum class column_kind { signed_integer, unsigned_integer, floating, text, binary, temporal, null };

/// The column_kind for a Connector/C++ column type.
column_kind kind_of(int type, bool is_signed) {
    switch (type) {
        case sql::DataType::BIT:
        case sql::DataType::TINYINT:
        case sql::DataType::SMALLINT:
        case sql::DataType::MEDIUMINT:
        case sql::DataType::INTEGER:
        case sql::DataType::BIGINT:
        case sql::DataType::YEAR:
            return is_signed ? column_kind::signed_integer : column_kind::unsigned_integer;
        case sql::DataType::REAL:
        case sql::DataType::DOUBLE:
            return column_kind::floating;
        case sql::DataType::BINARY:
        case sql::DataType::VARBINARY:
        case sql::DataType::LONGVARBINARY:
        case sql::DataType::GEOMETRY:
            return column_kind::binary;
        case sql::DataType::DATE:
        case sql::DataType::TIME:
        case sql::DataType::TIMESTAMP:
            return column_kind::temporal;
        case sql::DataType::SQLNULL:
            return column_kind::null;
        default:  // DECIMAL, NUMERIC, CHAR, VARCHAR, LONGVARCHAR, ENUM, SET, JSON, UNKNOWN
            return column_kind::text;
    }
}

/// True when every value of a column of this Connector/C++ type reads back
/// exactly through the text protocol: FLOAT is printed with 6 significant
/// digits (3.4028235e38 comes back as 3.40282e38), and Connector/C++ decodes BIT
/// text by its column flags, which is fragile. DOUBLE is printed shortest
/// round-trip and read back with from_chars.
bool reads_exactly_as_text(int type) {
    return type != sql::DataType::REAL && type != sql::DataType::BIT;
}

/// A double from the text protocol's decimal text, correctly rounded
/// (Connector/C++'s getDouble goes through long double).
double parse_double(const std::string& text) {
    double out = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (error != std::errc() || end != text.data() + text.size())
        throw interface_error("mysql: the server sent \"" + text + "\" for a DOUBLE column");
    return out;
}

/// Throws the error that ended an unbuffered result early. Connector/C++'s
/// forward-only ResultSet::next() reports only a lost connection (2000, 2013);
/// any other error packet in place of the next row (KILL QUERY 1317,
/// max_statement_time 1969, ...) reads as the end of the rows. The server
/// keeps it in the diagnostics area, which every statement that uses a table
/// clears first (streaming is only chosen for those).
void raise_stream_error(session_state& state) {
    if (state.native == nullptr) return;
    std::unique_ptr<sql::Statement> statement(state.native->createStatement());
    std::unique_ptr<sql::ResultSet> errors(statement->executeQuery(state.last_errors_sql));
    if (!errors->next()) return;
    const int code = static_cast<int>(errors->getInt64(2));
    throw sql::SQLException(std::string(errors->getString(3)), "HY000", code);
}

/// The rows of one execution, typed by the column metadata: buffered rows of a
/// prepared statement, or (`streaming`) unbuffered rows of a text-protocol query.
class mysql_cursor final : public cursor {
public:
    mysql_cursor(std::shared_ptr<session_state> state, const std::string& statement, bool streaming)
        : state_(std::move(state)), generation_(state_->generation), statement_(statement), streaming_(streaming) {
        sql::ResultSetMetaData* meta = rows().getMetaData();  // owned by the result set
        const unsigned count = meta->getColumnCount();
        columns_.reserve(count);
        for (unsigned i = 1; i <= count; ++i) {
            const int type = meta->getColumnType(i);
            const bool decimal = type == sql::DataType::DECIMAL || type == sql::DataType::NUMERIC;
            columns_.push_back({take_string(meta->getColumnLabel(i)), kind_of(type, meta->isSigned(i)),
                                meta->getScale(i), decimal});
        }
    }

    ~mysql_cursor() override {
        if (is_current()) state_->open_rows.reset();
    }

    bool next() override {
        try {
            sql::ResultSet& rs = rows();
            if (finished_) return false;
            if (rs.next()) return true;
            finished_ = true;
            if (streaming_) raise_stream_error(*state_);
            return false;
        } catch (...) {
            rethrow_as_orm_error(*state_, statement_);
        }
    }

    std::size_t column_count() const override { return columns_.size(); }

    std::string column_name(std::size_t i) const override { return column(i).label; }

    value get(std::size_t i) override {
        const column_info& info = column(i);
        try {
            sql::ResultSet& rs = rows();
            const auto index = static_cast<std::uint32_t>(i + 1);
            if (info.kind == column_kind::null || rs.isNull(index)) return null;
            switch (info.kind) {
                case column_kind::signed_integer: return rs.getInt64(index);
                case column_kind::unsigned_integer: return rs.getUInt64(index);
                case column_kind::floating:
                    if (streaming_) return parse_double(take_string(rs.getString(index)));
                    return static_cast<double>(rs.getDouble(index));
                case column_kind::temporal:
                    return with_server_fraction(take_string(rs.getString(index)), info.scale);
                case column_kind::binary: {
                    const std::string bytes = take_string(rs.getString(index));
                    const auto* first = reinterpret_cast<const std::byte*>(bytes.data());
                    return blob(first, first + bytes.size());
                }
                case column_kind::text:
                case column_kind::null: break;
            }
            std::string text = take_string(rs.getString(index));
            // Connector/C++ 1.1 binds a 64-byte buffer for a DECIMAL result of a
            // prepared statement (allocate_buffer_for_field) and ignores the
            // truncation: the text of a longer value (DECIMAL(63+, s)) ends in
            // bytes that are not the server's. Refuse it rather than return it.
            if (info.decimal && !streaming_ && text.size() > prepared_decimal_capacity) {
                raise(error_kind::data,
                      error_info{"mysql", 0, {},
                                 "column '" + info.label + "': a DECIMAL value of " + std::to_string(text.size()) +
                                     " characters cannot be read through Connector/C++ 1.1's prepared statements "
                                     "(they keep " + std::to_string(prepared_decimal_capacity) + ")",
                                 statement_});
            }
            return text;
        } catch (...) {
            rethrow_as_orm_error(*state_, statement_);
        }
    }

private:
    /// What is known about one column.
    struct column_info {
        std::string label;
        column_kind kind;
        unsigned scale;  ///< digits of fractional seconds for temporal columns
        bool decimal;    ///< DECIMAL / NUMERIC
    };

    /// True while the connection has run nothing since this cursor was made.
    bool is_current() const { return state_->generation == generation_ && state_->open_rows; }

    /// The result set, or an interface_error when the cursor has expired.
    sql::ResultSet& rows() const {
        if (!is_current())
            throw interface_error("mysql: a cursor was used after its connection ran another statement");
        return *state_->open_rows;
    }

    /// Column `i` (0-based), or an interface_error when out of range.
    const column_info& column(std::size_t i) const {
        if (i >= columns_.size())
            throw interface_error("mysql: column index " + std::to_string(i) + " is out of range (" +
                                  std::to_string(columns_.size()) + " columns)");
        return columns_[i];
    }

    std::shared_ptr<session_state> state_;
    std::uint64_t generation_;
    std::string statement_;
    bool streaming_;          ///< unbuffered text-protocol rows
    bool finished_ = false;   ///< next() has returned false
    std::vector<column_info> columns_;
};

// ---------------------------------------------------------------------------
// Connection

/// One Connector/C++ session with its cache of prepared statements.
class mysql_connection final : public connection {
public:
    mysql_connection(std::unique_ptr<sql::Connection> native, std::string last_errors_sql)
        : native_(std::move(native)), state_(std::make_shared<session_state>()) {
        state_->native = native_.get();
        state_->last_errors_sql = std::move(last_errors_sql);
    }

    ~mysql_connection() override {
        // Result sets before their statements, statements before the session.
        state_->open_rows.reset();
        state_->native = nullptr;
        ++state_->generation;
        try {
            stream_statement_.reset();
            cache_.clear();
            native_->close();
        } catch (...) {  // closing a broken session may throw; nothing to report
        }
    }

    mysql_connection(const mysql_connection&) = delete;
    mysql_connection& operator=(const mysql_connection&) = delete;

    std::unique_ptr<cursor> execute(const std::string& sql, std::span<const value> params, bool returns_rows) override {
        begin_call();
        affected_rows_ = 0;
        std::vector<std::unique_ptr<blob_reader>> blobs;  // read while the statement executes
        try {
            cached_statement& entry = prepare(sql);
            mysql_common::check_parameter_count(entry.parameter_count, params.size(), sql);
            if (entry.streamable && params.empty() && !state_->last_errors_sql.empty()) {
                state_->open_rows.reset(stream_statement().executeQuery(sql));
                return std::make_unique<mysql_cursor>(state_, sql, true);
            }
            bind_parameters(*entry.statement, params, blobs);
            // Prepared INSERT ... RETURNING reports no result columns before it runs.
            if (entry.returns_rows || returns_rows) {
                state_->open_rows.reset(entry.statement->executeQuery());
                return std::make_unique<mysql_cursor>(state_, sql, false);
            }
            // executeUpdate reports the count as int; it is never negative.
            affected_rows_ = static_cast<std::uint32_t>(entry.statement->executeUpdate());
            return nullptr;
        } catch (...) {
            rethrow_as_orm_error(*state_, sql);
        }
    }

    void execute_simple(const std::string& sql) override {
        begin_call();
        try {
            std::unique_ptr<sql::Statement> statement(native_->createStatement());
            bool has_rows = statement->execute(sql);
            // Fetch and drop every result so the session is ready for the next command.
            while (has_rows) {
                std::unique_ptr<sql::ResultSet> discarded(statement->getResultSet());
                has_rows = statement->getMoreResults();
            }
        } catch (...) {
            rethrow_as_orm_error(*state_, sql);
        }
    }

    std::uint64_t affected_rows() const override { return affected_rows_; }

    // Connector/C++'s legacy API does not expose mysql_insert_id(): the dialect
    // asks the server with a query instead.
    // Connector/C++ does not expose the OK packet's insert id.
    std::optional<std::int64_t> last_insert_id() override { return std::nullopt; }
    bool reports_last_insert_id() const override { return false; }

    // The client/server protocol counts a prepared statement's parameters in 16 bits.
    std::size_t max_parameters() const override { return 65'535; }
    bool is_usable() const override {
        try {
            return !state_->broken && !native_->isClosed();  // isClosed() only reads a flag
        } catch (...) {
            return false;
        }
    }

    // The client library does not expose the server's in-transaction status flag.
    bool may_be_in_transaction() const override { return true; }

    // Connector/C++'s isValid() pings the server (mysql_ping).
    bool ping() override {
        begin_call();
        try {
            if (state_->broken || !native_->isValid()) {
                state_->broken = true;
                return false;
            }
            return true;
        } catch (...) {
            state_->broken = true;
            return false;
        }
    }

    std::string server_version() override {
        begin_call();
        try {
            return std::string(native_->getMetaData()->getDatabaseProductVersion());
        } catch (...) {
            rethrow_as_orm_error(*state_, "");
        }
    }

private:
    /// A prepared statement with what is known about it before execution.
    struct cached_statement {
        std::unique_ptr<sql::PreparedStatement> statement;
        std::size_t parameter_count = 0;
        bool returns_rows = false;
        /// Without parameters it may stream: it returns rows, every column reads
        /// exactly as text, and one column comes from a table (so the statement
        /// clears the diagnostics area that raise_stream_error reads).
        bool streamable = false;
    };

    /// True when the rows described by `meta` can be streamed (see cached_statement::streamable).
    static bool is_streamable(sql::ResultSetMetaData& meta) {
        const unsigned count = meta.getColumnCount();
        bool from_table = false;
        for (unsigned i = 1; i <= count; ++i) {
            if (!reads_exactly_as_text(meta.getColumnType(i))) return false;
            if (!meta.getTableName(i)->empty()) from_table = true;
        }
        return from_table;
    }

    /// The text-protocol statement that runs streaming queries (forward-only:
    /// mysql_use_result), made on first use.
    sql::Statement& stream_statement() {
        if (!stream_statement_) {
            stream_statement_.reset(native_->createStatement());
            stream_statement_->setResultSetType(sql::ResultSet::TYPE_FORWARD_ONLY);
        }
        return *stream_statement_;
    }

    /// Ends the previous call: its cursor expires and its rows are released.
    void begin_call() {
        register_thread();
        state_->open_rows.reset();
        ++state_->generation;
    }

    /// The cached preparation of `sql`, preparing it (and evicting the least
    /// recently used statement when the cache is full) if needed.
    cached_statement& prepare(const std::string& sql) {
        if (cached_statement* found = cache_.find(sql)) return *found;
        cached_statement entry;
        entry.statement.reset(native_->prepareStatement(sql));
        entry.parameter_count = static_cast<std::size_t>(entry.statement->getParameterMetaData()->getParameterCount());
        sql::ResultSetMetaData* meta = entry.statement->getMetaData();
        entry.returns_rows = meta != nullptr && meta->getColumnCount() > 0;
        entry.streamable = entry.parameter_count == 0 && entry.returns_rows && is_streamable(*meta);
        return cache_.insert(sql, std::move(entry));
    }

    std::unique_ptr<sql::Connection> native_;
    std::shared_ptr<session_state> state_;
    std::unique_ptr<sql::Statement> stream_statement_;  ///< see stream_statement()
    mysql_common::statement_cache<cached_statement> cache_{statement_cache_capacity};
    std::uint64_t affected_rows_ = 0;
};

// ---------------------------------------------------------------------------
// Driver

/// The host name as Connector/C++ parses it (IPv6 literals need brackets).
std::string connector_host(const std::string& host) {
    if (host.find(':') != std::string::npos && host.front() != '[') return "[" + host + "]";
    return host;
}

/// Maps the URL's TLS settings to Connector/C++ 1.1 connection properties.
/// Over libmariadb 3.3 (Debian's build) they behave so: sslCA, sslCert, sslKey
/// go to mysql_ssl_set, and a CA makes the library verify the server's
/// certificate chain; sslVerify (MYSQL_OPT_SSL_VERIFY_SERVER_CERT) adds the host
/// name check and refuses a server without TLS; sslEnforce asks for TLS but
/// falls back to plain text when the server has none (hence confirm_tls).
/// OPT_SSL_MODE is accepted and silently ignored by this build: never used.
void add_tls_settings(const mysql_common::tls_settings& tls, sql::ConnectOptionsMap& settings) {
    if (tls.mode == mysql_common::ssl_mode::disabled) return;
    if (!tls.ca.empty()) settings["sslCA"] = sql::SQLString(tls.ca);
    if (!tls.cert.empty()) settings["sslCert"] = sql::SQLString(tls.cert);
    if (!tls.key.empty()) settings["sslKey"] = sql::SQLString(tls.key);
    if (tls.verifies_host()) settings["sslVerify"] = true;
    else settings["sslEnforce"] = true;
}

/// Throws orm::connection_error unless `native` runs over TLS, asking the
/// server with the dialect's `tls_status_sql` (for ssl_mode=required and
/// verify_ca, where the client library may have fallen back to plain text).
void confirm_tls(sql::Connection& native, const std::string& tls_status_sql) {
    if (tls_status_sql.empty())
        raise(error_kind::connection,
              error_info{"mysql", 0, {}, "cannot confirm that the connection uses TLS (no tls_status_sql): refusing it", {}});
    std::unique_ptr<sql::Statement> statement(native.createStatement());
    std::unique_ptr<sql::ResultSet> status(statement->executeQuery(tls_status_sql));
    if (!status->next() || status->getString(2)->empty()) raise(error_kind::connection, mysql_common::tls_not_negotiated());
}

/// Opens Connector/C++ sessions to MySQL or MariaDB servers.
class mysql_driver final : public driver {
public:
    std::string_view name() const override { return "mysql"; }

    std::unique_ptr<connection> connect(const url& target, const connect_options& options) override {
        // orm::url_error before any I/O (create_engine has checked the URL already).
        const mysql_common::server_options server = mysql_common::read_server_options(target);
        try {
            register_thread();
            sql::ConnectOptionsMap settings;
            settings["hostName"] = sql::SQLString(connector_host(server.host));
            settings["port"] = static_cast<int>(server.port);
            settings["userName"] = sql::SQLString(server.user);
            settings["password"] = sql::SQLString(server.password);
            if (!server.database.empty()) settings["schema"] = sql::SQLString(server.database);
            settings["OPT_CHARSET_NAME"] = sql::SQLString(server.charset);
            if (!server.unix_socket.empty()) settings["socket"] = sql::SQLString(server.unix_socket);
            settings["OPT_CONNECT_TIMEOUT"] = static_cast<int>(options.connect_timeout_seconds);
            settings["OPT_RECONNECT"] = false;
            settings["CLIENT_FOUND_ROWS"] = true;  // UPDATE reports matched rows
            add_tls_settings(server.tls, settings);
            std::unique_ptr<sql::Connection> native(connector_driver().connect(settings));
            if (server.tls.tls_required() && !server.tls.verifies_host()) confirm_tls(*native, options.tls_status_sql);
            return std::make_unique<mysql_connection>(std::move(native), options.last_errors_sql);
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const orm::error&) {
            throw;
        } catch (const sql::SQLException& e) {
            error_info info = info_from(e, {});
            info.server_message = mysql_common::without_secret(info.server_message, target.password);
            raise(error_kind::connection, std::move(info));
        } catch (const std::exception& e) {
            raise(error_kind::connection,
                  error_info{"mysql", 0, {}, mysql_common::without_secret(e.what(), target.password), {}});
        }
    }
};

}  // namespace

std::unique_ptr<driver> make_mysql_driver() { return std::make_unique<mysql_driver>(); }

}  // namespace orm::driver
