#pragma once
// The connection settings both MySQL / MariaDB drivers read from a URL:
//   mysql://user:pw@host:3306/db?charset=utf8mb4&unix_socket=/run/mysqld/mysqld.sock
//        &ssl_mode=verify_identity&ssl_ca=/etc/ca.pem&ssl_cert=/etc/c.pem&ssl_key=/etc/k.pem
// TLS options: ssl_mode = disabled | preferred | required | verify_ca |
// verify_identity (MySQL's --ssl-mode, any case, '-' or '_'); ssl_ca, ssl_cert,
// ssl_key = PEM file paths. Without ssl_mode: ssl_ca means verify_ca,
// ssl_cert/ssl_key mean required, nothing means disabled (no TLS attempted).
// Internal: not installed, includes no client library (each driver maps the
// settings to its own options).
#include <string>

#include "orm/url.hpp"

namespace orm::driver::mysql_common {

/// How a connection uses TLS, weakest first (MySQL's --ssl-mode).
enum class ssl_mode {
    disabled,         ///< never TLS
    preferred,        ///< TLS if the server offers it, without verifying the certificate
    required,         ///< TLS or fail; the certificate is not verified
    verify_ca,        ///< TLS, the certificate signed by the CA in ssl_ca
    verify_identity,  ///< as verify_ca, and the certificate names the host
};

/// The TLS settings of one URL.
struct tls_settings {
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

/// Everything a MySQL driver needs to open a session, read from a URL.
struct server_options {
    std::string host = "127.0.0.1";  ///< the URL's host, or 127.0.0.1
    unsigned port = 3306;
    std::string user;
    std::string password;
    std::string database;             ///< empty: no default database
    std::string charset = "utf8mb4";  ///< ?charset=
    std::string unix_socket;          ///< ?unix_socket= (empty: TCP)
    tls_settings tls;                 ///< ?ssl_mode=, ?ssl_ca=, ?ssl_cert=, ?ssl_key=
};

/// Reads ssl_mode, ssl_ca, ssl_cert and ssl_key from `target`'s query options.
/// Throws orm::url_error (naming the option, never the password) for an unknown
/// mode, an unknown ssl_* option, an empty value, a certificate without its key
/// (or the reverse), files with ssl_mode=disabled, and verify_ca without ssl_ca.
/// create_engine calls it up front, so a bad option fails before any I/O.
tls_settings read_tls_settings(const url& target);

/// Reads the settings of `target`; throws orm::url_error as read_tls_settings.
server_options read_server_options(const url& target);

}  // namespace orm::driver::mysql_common
