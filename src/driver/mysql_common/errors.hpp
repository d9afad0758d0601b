#pragma once
// What both MySQL / MariaDB drivers (Connector/C++ and libmariadb) share about
// errors: the classification of MySQL error codes into orm's error kinds, which
// codes mean the connection is gone, and scrubbing a password out of a message.
// Internal: not installed, includes no client library.
#include <string>
#include <string_view>

#include "orm/error.hpp"

namespace orm::driver::mysql_common {

/// Maps a server or client-library error (code, SQLSTATE) to orm's error category.
error_kind classify_error(int code, std::string_view sqlstate);

/// True for errors after which the connection cannot be used again
/// (server gone 2006, lost 2013, 2055, killed 1927 / 4031, shutdown 1053, SQLSTATE 08xxx).
bool is_connection_lost(int code, std::string_view sqlstate);

/// True for errors a new attempt of the same transaction may not hit
/// (deadlock 1213, lock wait timeout 1205).
bool is_retryable(int code);

/// The error_info of a MySQL error: backend "mysql", the code, SQLSTATE, the
/// server's message and the statement; `retryable` from is_retryable.
error_info make_error_info(int code, std::string sqlstate, std::string message, std::string statement);

/// Classifies `info` and throws the matching orm error.
[[noreturn]] void raise_mysql_error(error_info info);

/// Throws orm::programming_error unless a statement with `expected` `?`
/// placeholders got as many values (`given`).
void check_parameter_count(std::size_t expected, std::size_t given, const std::string& statement);

/// The error_info of a connection that did not negotiate TLS although its
/// URL's ssl_mode requires it (either driver refuses such a connection).
error_info tls_not_negotiated();

/// Removes every occurrence of `secret` (a password) from `text`; secrets
/// shorter than 4 characters are left alone (too short to tell from ordinary words).
std::string without_secret(std::string text, const std::string& secret);

}  // namespace orm::driver::mysql_common
