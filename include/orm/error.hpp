#pragma once
// The error hierarchy, modelled on the DB-API / SQLAlchemy taxonomy.
//
//   orm::error
//   ├── interface_error            misuse of the library (bad URL, mapping mistakes, API misuse)
//   │   ├── url_error
//   │   └── mapping_error
//   └── database_error             anything the database (or its client library) reported
//       ├── operational_error      server gone, timeout, deadlock, cannot open the database
//       │   ├── connection_error   cannot connect / authenticate, connection lost
//       │   └── timeout_error      pool checkout timed out
//       ├── integrity_error        duplicate key, foreign key, NOT NULL, CHECK
//       ├── data_error             value out of range, string too long, NULL into a non-optional field
//       ├── programming_error      bad SQL, unknown table or column
//       └── not_supported_error
//   stale_data_error               a versioned row changed or vanished under a flush (optimistic concurrency)
//
// Every error carries the backend's native code and SQLSTATE where there is
// one, the statement that failed, and the server's own message separately
// (it may echo user input).
#include <stdexcept>
#include <string>

namespace orm {

/// What is known about the cause of an error (docs/errors.md shows it between the markers).
// [error-info]
struct error_info {
    std::string backend;         ///< "mysql", "sqlite", or "" when orm raised it itself
    int native_code = 0;         ///< MySQL error number (1062), SQLite extended result code (2067); 0 if none
    std::string sqlstate;        ///< MySQL's SQLSTATE, e.g. "23000"; empty for SQLite
    std::string server_message;  ///< the backend's own text, verbatim
    std::string statement;       ///< the SQL that failed, with ? placeholders; empty if none
    bool retryable = false;      ///< a new attempt of the transaction may succeed (deadlock, lock wait timeout, busy)
};
// [/error-info]

/// Base of every error thrown by orm. `what()` is a complete sentence for a person.
class error : public std::runtime_error {
public:
    error(const std::string& message, error_info info = {});
    const error_info& info() const noexcept { return info_; }
    int native_code() const noexcept { return info_.native_code; }
    const std::string& sqlstate() const noexcept { return info_.sqlstate; }
    const std::string& statement() const noexcept { return info_.statement; }
    /// True for errors a new attempt of the same transaction may not hit
    /// (MySQL deadlock 1213, lock wait timeout 1205; SQLite busy/locked).
    bool is_retryable() const noexcept { return info_.retryable; }

private:
    error_info info_;
};

#define ORM_DECLARE_ERROR(name, base)                 \
    class name : public base {                         \
    public:                                            \
        using base::base;                              \
    }

/// The library was used wrongly (not a database problem).
ORM_DECLARE_ERROR(interface_error, error);
/// A malformed database URL or an unknown scheme; never echoes the password.
ORM_DECLARE_ERROR(url_error, interface_error);
/// A model declaration that cannot be mapped (found at start-up).
ORM_DECLARE_ERROR(mapping_error, interface_error);
/// Base of every error reported by a database or its client library.
ORM_DECLARE_ERROR(database_error, error);
/// The database could not do its work: server gone, lock timeout, deadlock, disk full.
ORM_DECLARE_ERROR(operational_error, database_error);
/// Could not connect or authenticate, or the connection was lost.
ORM_DECLARE_ERROR(connection_error, operational_error);
/// No pooled connection became free within the checkout timeout.
ORM_DECLARE_ERROR(timeout_error, operational_error);
/// A constraint was violated: duplicate key, foreign key, NOT NULL, CHECK.
ORM_DECLARE_ERROR(integrity_error, database_error);
/// A value does not fit: out of range, too long, NULL into a non-optional field.
ORM_DECLARE_ERROR(data_error, database_error);
/// The SQL is wrong: syntax error, unknown table or column.
ORM_DECLARE_ERROR(programming_error, database_error);
/// The backend does not support what was asked.
ORM_DECLARE_ERROR(not_supported_error, database_error);
/// A flush expected to change a row that a concurrent transaction changed or
/// deleted first (version mismatch), or the row is gone; nothing was written.
ORM_DECLARE_ERROR(stale_data_error, error);

#undef ORM_DECLARE_ERROR

/// The category a native error falls into; drivers classify, `raise` throws.
enum class error_kind { operational, connection, integrity, data, programming, not_supported, other };

/// Throws the error class for `kind`, with a message built from `info`.
[[noreturn]] void raise(error_kind kind, error_info info);

}  // namespace orm
