// URL options shared by both MySQL / MariaDB drivers.
#include "options.hpp"

#include <cctype>

#include "orm/error.hpp"

namespace orm::driver::mysql_common {

namespace {

/// Throws the url_error for a bad TLS option of `target` (the URL redacted).
[[noreturn]] void fail(const url& target, const std::string& why) {
    throw url_error("orm: " + why + " in " + target.redacted());
}

/// The ssl_mode named by `text` (case-insensitive, '-' or '_' between words).
ssl_mode parse_ssl_mode(const std::string& text, const url& target) {
    std::string name;
    for (char c : text) name += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "disabled") return ssl_mode::disabled;
    if (name == "preferred") return ssl_mode::preferred;
    if (name == "required") return ssl_mode::required;
    if (name == "verify_ca") return ssl_mode::verify_ca;
    if (name == "verify_identity") return ssl_mode::verify_identity;
    fail(target, "unknown ssl_mode '" + text + "' (expected disabled, preferred, required, verify_ca or verify_identity)");
}

}  // namespace

tls_settings read_tls_settings(const url& target) {
    for (const auto& [name, value] : target.query) {
        if (!name.starts_with("ssl_")) continue;
        if (name != "ssl_mode" && name != "ssl_ca" && name != "ssl_cert" && name != "ssl_key")
            fail(target, "unknown TLS option '" + name + "' (expected ssl_mode, ssl_ca, ssl_cert or ssl_key)");
        if (value.empty()) fail(target, "the option " + name + " is empty");
    }
    tls_settings tls;
    tls.ca = target.option("ssl_ca");
    tls.cert = target.option("ssl_cert");
    tls.key = target.option("ssl_key");
    if (tls.cert.empty() != tls.key.empty()) fail(target, "ssl_cert and ssl_key must be given together");
    const auto mode = target.query.find("ssl_mode");
    if (mode == target.query.end()) {
        tls.mode = !tls.ca.empty() ? ssl_mode::verify_ca : !tls.cert.empty() ? ssl_mode::required : ssl_mode::disabled;
        return tls;
    }
    tls.mode = parse_ssl_mode(mode->second, target);
    if (tls.mode == ssl_mode::disabled && (!tls.ca.empty() || !tls.cert.empty()))
        fail(target, "ssl_mode=disabled contradicts ssl_ca / ssl_cert / ssl_key");
    if (tls.mode == ssl_mode::verify_ca && tls.ca.empty())
        fail(target, "ssl_mode=verify_ca needs ssl_ca (the CA certificate to verify the server against)");
    return tls;
}

server_options read_server_options(const url& target) {
    server_options out;
    if (!target.host.empty()) out.host = target.host;
    if (target.port) out.port = *target.port;
    out.user = target.user;
    out.password = target.password;
    out.database = target.database;
    out.charset = target.option("charset", out.charset);
    out.unix_socket = target.option("unix_socket");
    out.tls = read_tls_settings(target);
    return out;
}

}  // namespace orm::driver::mysql_common
