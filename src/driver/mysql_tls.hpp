#pragma once
// The TLS settings of a MySQL / MariaDB URL, read once for every MySQL driver
// (no client-library header here: each driver maps them to its own options).
//
//   mysql://app:pw@db.example:3306/shop?ssl_mode=verify_ca&ssl_ca=/etc/db/ca.pem
//
// Options: ssl_mode = disabled | preferred | required | verify_ca |
// verify_identity (MySQL's --ssl-mode, any case); ssl_ca, ssl_cert, ssl_key =
// PEM file paths. Without ssl_mode: ssl_ca means verify_ca, ssl_cert/ssl_key
// mean required, nothing means disabled (no TLS attempted).
#include <algorithm>
#include <cctype>
#include <string>

#include "orm/error.hpp"
#include "orm/url.hpp"

namespace orm::driver {

/// How a connection uses TLS, weakest first (MySQL's --ssl-mode).
enum class ssl_mode { disabled, preferred, required, verify_ca, verify_identity };

/// The parsed TLS options of one URL.
struct mysql_tls_settings {
    ssl_mode mode = ssl_mode::disabled;
    std::string ca;    ///< CA certificate(s) that must have signed the server's certificate (PEM file)
    std::string cert;  ///< client certificate (PEM file), with `key`
    std::string key;   ///< the client certificate's private key (PEM file)

    /// True when the connection must fail rather than run without TLS.
    bool tls_required() const { return mode >= ssl_mode::required; }
    /// True when the server's certificate must chain to `ca` (or the system's CAs).
    bool verifies_certificate() const { return mode >= ssl_mode::verify_ca; }
    /// True when the server's certificate must also name the host connected to.
    bool verifies_host() const { return mode == ssl_mode::verify_identity; }
};

/// Reads ssl_mode, ssl_ca, ssl_cert and ssl_key from `target`'s query options.
/// Throws orm::url_error for an unknown mode, an unknown ssl_* option, an empty
/// path, a certificate without its key (or the reverse), files with
/// ssl_mode=disabled, and verify_ca without ssl_ca (nothing to verify against).
inline mysql_tls_settings read_mysql_tls(const url& target) {
    const auto fail = [&](const std::string& why) -> void {
        throw url_error("malformed database URL (" + target.scheme + "://...): " + why);
    };
    for (const auto& [name, value] : target.query) {
        if (!name.starts_with("ssl_")) continue;
        if (name != "ssl_mode" && name != "ssl_ca" && name != "ssl_cert" && name != "ssl_key")
            fail("unknown TLS option '" + name + "' (expected ssl_mode, ssl_ca, ssl_cert or ssl_key)");
        if (value.empty()) fail("the option " + name + " is empty");
    }
    mysql_tls_settings tls;
    tls.ca = target.option("ssl_ca");
    tls.cert = target.option("ssl_cert");
    tls.key = target.option("ssl_key");
    if (tls.cert.empty() != tls.key.empty()) fail("ssl_cert and ssl_key must be given together");

    std::string mode = target.option("ssl_mode");
    std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (mode.empty()) {
        tls.mode = !tls.ca.empty() ? ssl_mode::verify_ca : !tls.cert.empty() ? ssl_mode::required : ssl_mode::disabled;
    } else if (mode == "disabled") {
        tls.mode = ssl_mode::disabled;
        if (!tls.ca.empty() || !tls.cert.empty()) fail("ssl_mode=disabled contradicts ssl_ca / ssl_cert / ssl_key");
    } else if (mode == "preferred") {
        tls.mode = ssl_mode::preferred;
    } else if (mode == "required") {
        tls.mode = ssl_mode::required;
    } else if (mode == "verify_ca") {
        tls.mode = ssl_mode::verify_ca;
        if (tls.ca.empty()) fail("ssl_mode=verify_ca needs ssl_ca (the CA certificate to verify the server against)");
    } else if (mode == "verify_identity") {
        tls.mode = ssl_mode::verify_identity;
    } else {
        fail("unknown ssl_mode '" + target.option("ssl_mode") +
             "' (expected disabled, preferred, required, verify_ca or verify_identity)");
    }
    return tls;
}

}  // namespace orm::driver
