// What both MySQL drivers share (src/driver/mysql_common): error classification
// and URL options, checked without a server.
#include <catch2/catch.hpp>

#include <orm/url.hpp>

#include "../../src/driver/mysql_common/errors.hpp"
#include "../../src/driver/mysql_common/options.hpp"
#include "../../src/driver/mysql_common/statement_cache.hpp"

namespace common = orm::driver::mysql_common;

TEST_CASE("MySQL error codes map to orm's error kinds, by code first and SQLSTATE class second", "[errors]") {
    CHECK(common::classify_error(1062, "23000") == orm::error_kind::integrity);     // duplicate key
    CHECK(common::classify_error(1406, "22001") == orm::error_kind::data);          // data too long
    CHECK(common::classify_error(1146, "42S02") == orm::error_kind::programming);   // no such table
    CHECK(common::classify_error(1213, "40001") == orm::error_kind::operational);   // deadlock
    CHECK(common::classify_error(2013, "HY000") == orm::error_kind::connection);    // lost during query
    CHECK(common::classify_error(1235, "42000") == orm::error_kind::not_supported);
    CHECK(common::classify_error(9999, "23505") == orm::error_kind::integrity);     // unknown code: SQLSTATE class
    CHECK(common::classify_error(9999, "HY000") == orm::error_kind::other);
}

TEST_CASE("disconnect codes make a connection unusable, deadlocks and lock waits are retryable", "[errors]") {
    for (int code : {2006, 2013, 2055, 4031, 1927, 1053}) {
        INFO(code);
        CHECK(common::is_connection_lost(code, "HY000"));
    }
    CHECK(common::is_connection_lost(0, "08S01"));
    CHECK_FALSE(common::is_connection_lost(1062, "23000"));
    CHECK(common::is_retryable(1213));
    CHECK(common::is_retryable(1205));
    CHECK_FALSE(common::is_retryable(1062));
    const orm::error_info info = common::make_error_info(1213, "40001", "Deadlock found", "UPDATE t SET x = 1");
    CHECK(info.backend == "mysql");
    CHECK(info.retryable);
    CHECK_THROWS_AS(common::raise_mysql_error(info), orm::operational_error);
    CHECK(common::without_secret("Access denied for 'hunter2' (hunter2)", "hunter2") == "Access denied for '***' (***)");
}

TEST_CASE("MySQL URL options: defaults, charset, socket, and the TLS settings read alongside", "[url]") {
    const auto plain = common::read_server_options(orm::url::parse("mysql+libmariadb://u:pw@db.example/shop"));
    CHECK(plain.host == "db.example");
    CHECK(plain.port == 3306u);
    CHECK(plain.charset == "utf8mb4");
    CHECK(plain.tls.mode == common::ssl_mode::disabled);
    CHECK(plain.unix_socket.empty());
    const auto full = common::read_server_options(orm::url::parse(
        "mysql://u@h:3307/db?charset=latin1&unix_socket=/run/m.sock&ssl_mode=VERIFY_IDENTITY"
        "&ssl_ca=/etc/ca.pem&ssl_cert=/etc/c.pem&ssl_key=/etc/k.pem"));
    CHECK(full.port == 3307u);
    CHECK(full.charset == "latin1");
    CHECK(full.unix_socket == "/run/m.sock");
    CHECK(full.tls.mode == common::ssl_mode::verify_identity);  // every TLS rule: mysql_tls_test.cpp
    CHECK(full.tls.ca == "/etc/ca.pem");
    CHECK_THROWS_AS(common::read_server_options(orm::url::parse("mysql://u:hunter2@h/db?ssl_mode=on")), orm::url_error);
}

TEST_CASE("the statement cache evicts the least recently used entry when full", "[driver]") {
    common::statement_cache<int> cache(2);
    cache.insert("a", 1);
    cache.insert("b", 2);
    REQUIRE(cache.find("a") != nullptr);  // "a" is now the most recently used
    cache.insert("c", 3);                 // evicts "b"
    CHECK(cache.find("b") == nullptr);
    CHECK(*cache.find("a") == 1);
    CHECK(*cache.find("c") == 3);
    cache.erase("a");
    CHECK(cache.find("a") == nullptr);
    CHECK(cache.size() == 1);
}
