#pragma once
// Test support: a MariaDB server of a test binary's own (its ctest fixture runs
// `mariadb_server.sh start DIR --own|--tls`), which tests may stop and restart
// without disturbing the shared server. The fixture passes DIR in the
// environment variable ORM_TEST_SERVER_DIR.
//
// Another MySQL driver can run the same tests: set ORM_TEST_MYSQL_SCHEME (e.g.
// "mariadb+other") and every URL read here gets that scheme instead of "mysql".
#include <string>

namespace orm_test::private_server {

/// The server's directory (ORM_TEST_SERVER_DIR); throws std::runtime_error when unset.
std::string dir();

/// The URL written by the fixture to dir()/`file` ("url", "tls_url", "x509_url"),
/// with `options` ("k=v&k2=v2") appended as its query string.
std::string url(const std::string& file = "url", const std::string& options = "");

/// The path of a file in dir(), e.g. path("tls/ca.pem").
std::string path(const std::string& relative);

/// Runs `mariadb_server.sh <command> dir()` ("stop-keep", "start-again",
/// "restart"); returns its exit status (0: done).
int control(const std::string& command);

}  // namespace orm_test::private_server
