#pragma once
// Test support: a MariaDB server of a test binary's own (its ctest fixture runs
// `mariadb_server.sh start DIR --own|--tls`), which tests may stop and restart
// without disturbing the shared server. The fixture passes DIR in the
// environment variable ORM_TEST_SERVER_DIR.
//
// The MySQL driver is the test binary's own, as for the shared-server suites:
// support/main_mysql.cpp, compiled into each binary (ORM_TEST_MYSQL_DRIVER="cppconn"
// for the Connector/C++ one), names it in orm_test::driver_name(), and every URL
// read here carries it in its scheme (mysql+cppconn://). A compile definition,
// not an environment variable: ctest cannot lose it.
#include <string>

#include <orm/engine.hpp>

namespace orm_test::private_server {

/// The server's directory (ORM_TEST_SERVER_DIR); throws std::runtime_error when unset.
std::string dir();

/// The URL written by the fixture to dir()/`file` ("url", "tls_url", "x509_url"),
/// with orm_test::driver_name() in its scheme and `options` ("k=v&k2=v2")
/// appended as its query string.
std::string url(const std::string& file = "url", const std::string& options = "");

/// orm::create_engine(url, options), after REQUIRE-ing that `url` names the
/// driver this test binary was built for (orm_test::driver_name(): "" for the
/// default driver, libmariadb; "cppconn"), so that a lost setting cannot run one
/// driver's tests through another.
orm::engine create_engine(const std::string& url, orm::engine_options options = {});

/// The path of a file in dir(), e.g. path("tls/ca.pem").
std::string path(const std::string& relative);

/// Runs `mariadb_server.sh <command> dir()` ("stop-keep", "start-again",
/// "restart"); returns its exit status (0: done).
int control(const std::string& command);

}  // namespace orm_test::private_server
