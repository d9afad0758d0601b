// TLS against a private MariaDB started with a throwaway CA (mariadb_server.sh
// start DIR --tls): users that must use TLS (REQUIRE SSL) and a client
// certificate (REQUIRE X509). Both MySQL drivers run these tests, one binary
// each: see support/private_server.hpp.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include <orm/orm.hpp>

#include "../support/private_server.hpp"

namespace {

namespace server = orm_test::private_server;

constexpr const char* password = "s3cr@t:pw";  // the fixture's password, as the server knows it
constexpr const char* password_in_url = "s3cr%40t%3Apw";

/// The TLS cipher of a new session opened with `url` ("" without TLS).
std::string session_cipher(const std::string& url) {
    auto db = server::create_engine(url, {.pool_size = 1});
    auto conn = db.connect();
    const auto rows = conn.query<std::tuple<std::string, std::string>>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    REQUIRE(rows.size() == 1);
    return std::get<1>(rows[0]);
}

/// Connects with `url` and returns the orm::connection_error it must fail with.
orm::connection_error refused(const std::string& url) {
    try {
        auto db = server::create_engine(url, {.pool_size = 1});
        auto conn = db.connect();
        conn.execute("SELECT 1");
    } catch (const orm::connection_error& e) {
        return e;
    }
    FAIL("the connection was expected to be refused: " + orm::url::parse(url).redacted());
    return orm::connection_error("unreachable: FAIL throws");
}

/// True when `text` shows the password in any form.
bool shows_password(const std::string& text) {
    return text.find(password) != std::string::npos || text.find(password_in_url) != std::string::npos;
}

}  // namespace

TEST_CASE("ssl_mode=required connects a REQUIRE SSL user and the session really is encrypted", "[tls]") {
    CHECK_FALSE(session_cipher(server::url("tls_url", "ssl_mode=required")).empty());
    CHECK_FALSE(session_cipher(server::url("tls_url", "ssl_mode=preferred")).empty());  // offered, so taken
}

TEST_CASE("ssl_mode=verify_ca with the CA that signed the server's certificate connects over TLS", "[tls]") {
    CHECK_FALSE(session_cipher(server::url("tls_url", "ssl_mode=verify_ca&ssl_ca=" + server::path("tls/ca.pem"))).empty());
}

TEST_CASE("ssl_mode=verify_identity with the right CA connects (the certificate names 127.0.0.1)", "[tls]") {
    CHECK_FALSE(
        session_cipher(server::url("tls_url", "ssl_mode=verify_identity&ssl_ca=" + server::path("tls/ca.pem"))).empty());
}

TEST_CASE("ssl_mode=verify_ca against an unrelated CA fails with connection_error, never showing the password", "[tls]") {
    for (const char* mode : {"verify_ca", "verify_identity"}) {
        INFO(mode);
        const auto e = refused(server::url("tls_url", std::string("ssl_mode=") + mode + "&ssl_ca=" + server::path("tls/wrong-ca.pem")));
        CHECK(e.native_code() == 2026);  // CR_SSL_CONNECTION_ERROR
        CHECK_THAT(e.what(), Catch::Contains("certificate") || Catch::Contains("TLS") || Catch::Contains("SSL"));
        CHECK_FALSE(shows_password(e.what()));
        CHECK_FALSE(shows_password(e.info().server_message));
    }
}

TEST_CASE("ssl_mode=disabled is refused for a user that must use TLS", "[tls]") {
    const auto e = refused(server::url("tls_url", "ssl_mode=disabled"));
    CHECK(e.native_code() == 1045);  // access denied: the server requires TLS of this user
    CHECK_FALSE(shows_password(e.what()));
}

TEST_CASE("ssl_cert and ssl_key present a client certificate to a REQUIRE X509 user", "[tls]") {
    const std::string client = "ssl_cert=" + server::path("tls/client.pem") + "&ssl_key=" + server::path("tls/client-key.pem");
    CHECK_FALSE(session_cipher(server::url("x509_url", client)).empty());  // required, by default with a certificate
    CHECK_FALSE(session_cipher(server::url("x509_url", "ssl_mode=verify_ca&ssl_ca=" + server::path("tls/ca.pem") + "&" + client)).empty());
    CHECK(refused(server::url("x509_url", "ssl_mode=required")).native_code() == 1045);  // TLS, but no certificate
}

TEST_CASE("a TLS file that does not exist fails with connection_error", "[tls]") {
    const auto e = refused(server::url("tls_url", "ssl_mode=verify_ca&ssl_ca=" + server::path("tls/no-such-ca.pem")));
    CHECK(e.native_code() == 2026);
    CHECK_FALSE(shows_password(e.what()));
}

TEST_CASE("the pool's connections all use TLS: every session of the engine is encrypted", "[tls][pool]") {
    auto db = server::create_engine(server::url("tls_url", "ssl_mode=verify_ca&ssl_ca=" + server::path("tls/ca.pem")),
                                    {.pool_size = 3});
    std::vector<orm::connection> held;
    for (int i = 0; i < 3; ++i) held.push_back(db.connect());
    for (auto& c : held) {
        const auto rows = c.query<std::tuple<std::string, std::string>>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
        REQUIRE(rows.size() == 1);
        CHECK_FALSE(std::get<1>(rows[0]).empty());
    }
    CHECK(db.status().opened == 3);
}
