// The MySQL error classification shared by both MySQL / MariaDB drivers.
#include "errors.hpp"

#include <utility>

namespace orm::driver::mysql_common {

error_kind classify_error(int code, std::string_view sqlstate) {
    switch (code) {
        case 1044: case 1045: case 1040: case 1927:
        case 2002: case 2003: case 2005: case 2006: case 2013: case 2026: case 2055: case 4031:
            return error_kind::connection;
        case 1062: case 1451: case 1452: case 1216: case 1217:
        case 1048: case 1364: case 4025: case 3819:
            return error_kind::integrity;
        case 1264: case 1406: case 1366: case 1292: case 1265:
        case 1690: case 1367: case 3140:
            return error_kind::data;
        case 1064: case 1146: case 1054: case 1050: case 1051: case 1049: case 1142:
            return error_kind::programming;
        case 1205: case 1213: case 3024: case 1317: case 1969:
            return error_kind::operational;
        case 1235:
            return error_kind::not_supported;
        default:
            break;
    }
    const std::string_view sql_class = sqlstate.substr(0, 2);
    if (sql_class == "23") return error_kind::integrity;
    if (sql_class == "22") return error_kind::data;
    if (sql_class == "42") return error_kind::programming;
    if (sql_class == "08") return error_kind::connection;
    if (sql_class == "40" || sqlstate == "HYT00" || sqlstate == "70100") return error_kind::operational;
    return error_kind::other;
}

bool is_connection_lost(int code, std::string_view sqlstate) {
    switch (code) {
        case 1927: case 2006: case 2013: case 2055: case 4031: case 1053:
            return true;
        default:
            return sqlstate.substr(0, 2) == "08";
    }
}

bool is_retryable(int code) { return code == 1213 /* deadlock */ || code == 1205 /* lock wait timeout */; }

error_info make_error_info(int code, std::string sqlstate, std::string message, std::string statement) {
    return error_info{"mysql", code, std::move(sqlstate), std::move(message), std::move(statement), is_retryable(code)};
}

void raise_mysql_error(error_info info) {
    const error_kind kind = classify_error(info.native_code, info.sqlstate);
    raise(kind, std::move(info));
}

error_info tls_not_negotiated() {
    return error_info{"mysql", 0, {},
                      "the server did not negotiate TLS, which the URL's ssl_mode requires "
                      "(is the server started with a certificate, e.g. --ssl-cert/--ssl-key?)",
                      {}};
}

std::string without_secret(std::string text, const std::string& secret) {
    if (secret.size() < 4) return text;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
        text.replace(at, secret.size(), "***");
    return text;
}

void check_parameter_count(std::size_t expected, std::size_t given, const std::string& statement) {
    if (given == expected) return;
    raise(error_kind::programming, error_info{"mysql", 0, {},
                                              "the statement has " + std::to_string(expected) + " parameter(s) but " +
                                                  std::to_string(given) + " value(s) were given",
                                              statement});
}

}  // namespace orm::driver::mysql_common
