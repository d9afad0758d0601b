#pragma once
// The connection settings both MySQL / MariaDB drivers read from a URL:
//   mysql://user:pw@host:3306/db?charset=utf8mb4&unix_socket=/run/mysqld/mysqld.sock
//        &ssl_mode=verify_identity&ssl_ca=/etc/ca.pem&ssl_cert=/etc/c.pem&ssl_key=/etc/k.pem
// Internal: not installed, includes no client library.
#include <string>

#include "orm/url.hpp"

namespace orm::driver::mysql_common {

/// The `ssl_mode` URL option, as in MySQL's --ssl-mode.
enum class ssl_mode {
    unset,            ///< not given: the client library's default
    disabled,         ///< never TLS
    preferred,        ///< TLS if the server offers it, without verifying the certificate
    required,         ///< TLS or fail; the certificate is not verified
    verify_ca,        ///< TLS, the certificate signed by a trusted CA (ssl_ca)
    verify_identity,  ///< as verify_ca, and the certificate names the host
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
    ssl_mode ssl = ssl_mode::unset;   ///< ?ssl_mode=
    std::string ssl_ca;               ///< ?ssl_ca=PATH: the CA certificate(s) to trust
    std::string ssl_cert;             ///< ?ssl_cert=PATH: the client certificate
    std::string ssl_key;              ///< ?ssl_key=PATH: the client certificate's key
};

/// Reads the settings of `target`; throws orm::url_error for an unknown
/// ssl_mode value (naming the value, never the password).
server_options read_server_options(const url& target);

}  // namespace orm::driver::mysql_common
