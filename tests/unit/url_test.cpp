// URL parsing: SQLAlchemy-style forms, percent-decoding, and errors that never echo the password.
#include <catch2/catch.hpp>

#include <orm/url.hpp>
#include <orm/connection.hpp>
#include <orm/engine.hpp>
#include <orm/error.hpp>

TEST_CASE("mysql URL with every part, percent-decoded", "[url]") {
    auto u = orm::url::parse("mysql://app%40corp:s3cr%40t%3Apw@db.example:3307/shop?charset=utf8mb4&x=%41");
    CHECK(u.scheme == "mysql");
    CHECK(u.user == "app@corp");
    CHECK(u.password == "s3cr@t:pw");
    CHECK(u.host == "db.example");
    CHECK(u.port == 3307u);
    CHECK(u.database == "shop");
    CHECK(u.option("charset") == "utf8mb4");
    CHECK(u.option("x") == "A");
    CHECK(u.option("missing", "d") == "d");
    CHECK(u.redacted() == "mysql://app@corp:***@db.example:3307/shop?charset=utf8mb4&x=A");
}

TEST_CASE("mariadb scheme, IPv6 host, no port, no password", "[url]") {
    auto u = orm::url::parse("mariadb://root@[::1]/test");
    CHECK(u.scheme == "mariadb");
    CHECK(u.user == "root");
    CHECK(u.password.empty());
    CHECK(u.host == "::1");
    CHECK_FALSE(u.port.has_value());
    CHECK(u.database == "test");
}

TEST_CASE("sqlite URLs: relative, absolute, in memory", "[url]") {
    CHECK(orm::url::parse("sqlite:///relative.db").database == "relative.db");
    CHECK(orm::url::parse("sqlite:////abs/path.db").database == "/abs/path.db");
    CHECK(orm::url::parse("sqlite://").database.empty());
    CHECK(orm::url::parse("sqlite:///:memory:").database.empty());
    CHECK_THROWS_AS(orm::url::parse("sqlite://host/x.db"), orm::url_error);
}

TEST_CASE("malformed URLs give url_error without the password", "[url][errors]") {
    const char* bad[] = {"no-scheme-here", "://x", "mysql://u:hunter2@h:99999/db", "mysql://u:hunter2@h:abc/db",
                         "mysql://u:hunter2%ZZ@h/db", "mysql://u:hunter2@[::1/db"};
    for (const char* text : bad) {
        INFO(text);
        try {
            orm::url::parse(text);
            FAIL("expected orm::url_error");
        } catch (const orm::url_error& e) {
            CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
            CHECK(std::string(e.what()).find("malformed database URL") != std::string::npos);
        }
    }
}

TEST_CASE("text before :// that is not a scheme is not echoed (it can hold the password)", "[url][errors]") {
    // Found by tests/fuzz/fuzz_url: a URL without its scheme whose query holds
    // another URL made the whole "user:password@host..." prefix the "scheme",
    // which the error message quoted.
    const char* bad[] = {"app:hunter2@db/shop?ssl_ca=file:///etc/ca.pem", "u:hunter2@h://x", "1mysql://u:hunter2@h/db",
                         "my sql://u:hunter2@h/db"};
    for (const char* text : bad) {
        INFO(text);
        try {
            orm::url::parse(text);
            FAIL("expected orm::url_error");
        } catch (const orm::url_error& e) {
            CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
            CHECK(std::string(e.what()).find("not a scheme") != std::string::npos);
        }
    }
    CHECK(orm::url::parse("mysql+mysqlconnector://u@h/db").scheme == "mysql");
}

TEST_CASE("an unknown scheme is a url_error that names the scheme, not the password", "[url][errors]") {
    try {
        orm::create_engine("postgres://u:hunter2@h/db");
        FAIL("expected orm::url_error");
    } catch (const orm::url_error& e) {
        const std::string what = e.what();
        CHECK(what.find("unknown database URL scheme 'postgres'") != std::string::npos);
        CHECK(what.find("hunter2") == std::string::npos);
        CHECK(what.find("***") != std::string::npos);
    }
}

TEST_CASE("a driver after '+' in the scheme is kept apart from the scheme, and redacted URLs keep it", "[url]") {
    auto u = orm::url::parse("mysql+libmariadb://app:hunter2@db.example:3307/shop?ssl_mode=required");
    CHECK(u.scheme == "mysql");
    CHECK(u.driver == "libmariadb");
    CHECK(u.password == "hunter2");
    CHECK(u.redacted() == "mysql+libmariadb://app:***@db.example:3307/shop?ssl_mode=required");
    auto m = orm::url::parse("MariaDB+LibMariaDB://root@[::1]/test");
    CHECK(m.scheme == "mariadb");
    CHECK(m.driver == "libmariadb");
    CHECK(m.host == "::1");
    auto c = orm::url::parse("mysql+cppconn://u@h/db");
    CHECK(c.scheme == "mysql");
    CHECK(c.driver == "cppconn");
    auto plain = orm::url::parse("mysql://u@h/db");
    CHECK(plain.driver.empty());
    CHECK(plain.redacted() == "mysql://u@h/db");
}

TEST_CASE("an empty scheme or driver around '+' is a url_error without the password", "[url][errors]") {
    for (const char* text : {"mysql+://u:hunter2@h/db", "+libmariadb://u:hunter2@h/db", "mysql+a+b://u:hunter2@h/db"}) {
        INFO(text);
        try {
            orm::url::parse(text);
            FAIL("expected orm::url_error");
        } catch (const orm::url_error& e) {
            CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
            CHECK(std::string(e.what()).find("scheme") != std::string::npos);  // "+x" is no scheme at all
        }
    }
}

TEST_CASE("an unknown driver is a url_error that names it and the supported ones, not the password", "[url][errors]") {
    try {
        orm::create_engine("mysql+nosuch://u:hunter2@h/db");
        FAIL("expected orm::url_error");
    } catch (const orm::url_error& e) {
        const std::string what = e.what();
        CHECK(what.find("unknown driver 'nosuch'") != std::string::npos);
        CHECK(what.find("mysql+libmariadb://") != std::string::npos);
        CHECK(what.find("hunter2") == std::string::npos);
    }
    CHECK_THROWS_AS(orm::create_engine("sqlite+nosuch://"), orm::url_error);
}

TEST_CASE("a NUL byte in any part of a URL is a url_error that does not echo the value", "[url][errors]") {
    using namespace std::string_literals;
    // %00 would cut the text short where it meets a C API (a password "hunter2\0rest" sent as "hunter2").
    const std::string bad[] = {"mysql://app:hunter2%00rest@h/db",      "mysql://hunter2%00x:pw@h/db",
                               "mysql://u:pw@h/hunter2%00x",           "mysql://u:pw@h/db?ssl_ca=hunter2%00x",
                               "mysql://u:pw@h/db?hunter2%00x=1",      "sqlite:////tmp/hunter2%00x.db",
                               "mysql://u:pw@hunter2\0x/db"s,          "mysql://u:hunter2\0x@h/db"s};
    for (const std::string& text : bad) {
        INFO(text.size());
        try {
            orm::url::parse(text);
            FAIL("expected orm::url_error");
        } catch (const orm::url_error& e) {
            const std::string what = e.what();
            CHECK(what.find("hunter2") == std::string::npos);
            CHECK(what.find("NUL") != std::string::npos);
        }
    }
    CHECK(orm::url::parse("mysql://u:a%01b@h/db").password == "a\x01" "b");  // other control bytes are data
}

TEST_CASE("redacted() keeps the query options and hides the values of secret ones", "[url]") {
    auto u = orm::url::parse("mysql://app:hunter2@db:3307/shop?charset=utf8mb4&ssl_mode=required&password=pw1&"
                             "api_token=tok2&client_secret=sec3&PWD=pw4&my_pass=pw5&secret_key=key6");
    const std::string shown = u.redacted();
    CHECK(shown ==
          "mysql://app:***@db:3307/shop?PWD=***&api_token=***&charset=utf8mb4&client_secret=***&my_pass=***&password=***&"
          "secret_key=***&ssl_mode=required");
    for (const char* secret : {"hunter2", "pw1", "tok2", "sec3", "pw4", "pw5", "key6"}) CHECK(shown.find(secret) == std::string::npos);
    CHECK(orm::url::parse("sqlite:///app.db?mode=ro").redacted() == "sqlite:///app.db?mode=ro");
    // Escaped again where the text would otherwise read differently: the redacted URL parses back to the same options.
    auto odd = orm::url::parse("mysql://u@h/db?note=a%26b%3Dc%25d&empty=");
    CHECK(odd.redacted() == "mysql://u@h/db?empty=&note=a%26b%3Dc%25d");
    CHECK(orm::url::parse(odd.redacted()).query == odd.query);
}
