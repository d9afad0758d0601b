// The TLS options of MySQL URLs (ssl_mode, ssl_ca, ssl_cert, ssl_key), read
// without a server; the behaviour against a TLS server is in mysql_tls_test.cpp.
#include <catch2/catch.hpp>

#include <orm/orm.hpp>

#include "../../src/driver/mysql_common/options.hpp"

using orm::driver::mysql_common::ssl_mode;

namespace {
orm::driver::mysql_common::tls_settings tls_of(const std::string& query) {
    return orm::driver::mysql_common::read_tls_settings(orm::url::parse("mysql://app:s3cret@db.example/shop?" + query));
}
}  // namespace

TEST_CASE("ssl_mode takes MySQL's five modes in any case, with '_' or '-'", "[url][tls]") {
    CHECK(tls_of("").mode == ssl_mode::disabled);
    CHECK(tls_of("ssl_mode=disabled").mode == ssl_mode::disabled);
    CHECK(tls_of("ssl_mode=preferred").mode == ssl_mode::preferred);
    CHECK(tls_of("ssl_mode=REQUIRED").mode == ssl_mode::required);
    CHECK(tls_of("ssl_mode=verify_ca&ssl_ca=/ca.pem").mode == ssl_mode::verify_ca);
    CHECK(tls_of("ssl_mode=Verify_Identity").mode == ssl_mode::verify_identity);
    CHECK(tls_of("ssl_mode=verify-identity").mode == ssl_mode::verify_identity);
    const auto full = tls_of("ssl_mode=verify_identity&ssl_ca=/etc/ca.pem&ssl_cert=/c.pem&ssl_key=/k%20ey.pem");
    CHECK(full.ca == "/etc/ca.pem");
    CHECK(full.cert == "/c.pem");
    CHECK(full.key == "/k ey.pem");
    CHECK(full.tls_required());
    CHECK(full.verifies_certificate());
    CHECK(full.verifies_host());
    CHECK_FALSE(tls_of("ssl_mode=preferred").tls_required());
    CHECK_FALSE(tls_of("ssl_mode=required").verifies_certificate());
}

TEST_CASE("without ssl_mode, a CA means verify_ca and a client certificate means required", "[url][tls]") {
    CHECK(tls_of("ssl_ca=/ca.pem").mode == ssl_mode::verify_ca);
    CHECK(tls_of("ssl_cert=/c.pem&ssl_key=/k.pem").mode == ssl_mode::required);
    CHECK(tls_of("charset=utf8mb4").mode == ssl_mode::disabled);
}

TEST_CASE("bad TLS options are url_errors that never show the password", "[url][tls]") {
    for (const char* query : {"ssl_mode=on", "ssl_mode=", "ssl_mode=verify_ca", "ssl_cert=/c.pem", "ssl_key=/k.pem",
                              "ssl_mode=disabled&ssl_ca=/ca.pem", "ssl_ca=", "ssl_capath=/etc/ssl", "ssl_cipher=AES"}) {
        INFO(query);
        try {
            tls_of(query);
            FAIL("expected orm::url_error");
        } catch (const orm::url_error& e) {
            CHECK(std::string(e.what()).find("s3cret") == std::string::npos);
            CHECK(std::string(e.what()).find("ssl_") != std::string::npos);
        }
    }
    CHECK_THROWS_WITH(tls_of("ssl_mode=strict"), Catch::Contains("unknown ssl_mode 'strict'"));
}

TEST_CASE("create_engine refuses bad TLS options at once, before connecting, for either MySQL driver", "[url][tls]") {
    for (const char* scheme : {"mysql", "mysql+libmariadb", "mysql+cppconn", "mariadb+cppconn"}) {
        INFO(scheme);
        const std::string base = std::string(scheme) + "://app:s3cret@127.0.0.1:1/shop?";
        CHECK_THROWS_AS(orm::create_engine(base + "ssl_mode=maybe"), orm::url_error);
        CHECK_THROWS_AS(orm::create_engine(base + "ssl_cert=/c.pem"), orm::url_error);
        CHECK_NOTHROW(orm::create_engine(base + "ssl_mode=required"));  // no I/O yet
    }
}
