// URL options shared by both MySQL / MariaDB drivers.
#include "options.hpp"

#include <cctype>

#include "orm/error.hpp"

namespace orm::driver::mysql_common {

namespace {

/// The ssl_mode named by `text` (case-insensitive, '-' or '_' between words).
ssl_mode parse_ssl_mode(const std::string& text, const url& target) {
    std::string name;
    for (char c : text) name += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "disabled") return ssl_mode::disabled;
    if (name == "preferred") return ssl_mode::preferred;
    if (name == "required") return ssl_mode::required;
    if (name == "verify_ca") return ssl_mode::verify_ca;
    if (name == "verify_identity") return ssl_mode::verify_identity;
    throw url_error("orm: unknown ssl_mode '" + text + "' in " + target.redacted() +
                    "; expected disabled, preferred, required, verify_ca or verify_identity");
}

}  // namespace

server_options read_server_options(const url& target) {
    server_options out;
    if (!target.host.empty()) out.host = target.host;
    if (target.port) out.port = *target.port;
    out.user = target.user;
    out.password = target.password;
    out.database = target.database;
    out.charset = target.option("charset", out.charset);
    out.unix_socket = target.option("unix_socket");
    if (const auto mode = target.query.find("ssl_mode"); mode != target.query.end())
        out.ssl = parse_ssl_mode(mode->second, target);
    out.ssl_ca = target.option("ssl_ca");
    out.ssl_cert = target.option("ssl_cert");
    out.ssl_key = target.option("ssl_key");
    return out;
}

}  // namespace orm::driver::mysql_common
