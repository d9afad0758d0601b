// Bad input gets a clear, typed error, and nothing is half-written.
#include <catch2/catch.hpp>

#include "../support/backend.hpp"
#include "../support/models.hpp"

using namespace models;

// Structs read by raw queries need external linkage (reflection takes their fields' addresses).
namespace errors_test {
struct name_only {
    std::string name;
};
}  // namespace errors_test
using errors_test::name_only;


TEST_CASE("duplicate key is an integrity_error with the native code, the first row stays", "[errors]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    auto conn = db.connect();
    Author ada{.name = "Ada"};
    conn.insert(ada);
    Author twin{.id = ada.id, .name = "Twin"};
    try {
        conn.insert(twin);
        FAIL("expected orm::integrity_error");
    } catch (const orm::integrity_error& e) {
        if (orm_test::is_mysql()) {
            CHECK(e.native_code() == 1062);
            CHECK(e.sqlstate() == "23000");
        } else {
            CHECK(e.native_code() == 1555);  // SQLITE_CONSTRAINT_PRIMARYKEY
        }
        CHECK(e.statement().find("INSERT INTO") == 0);
    }
    CHECK(orm_test::count_rows(conn, "author") == 1);
    CHECK(conn.get<Author>(ada.id)->name == "Ada");
}

TEST_CASE("unique and foreign key violations are integrity errors", "[errors]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    auto conn = db.connect();
    Author ada{.name = "Ada"};
    conn.insert(ada);
    Book a{.author_id = ada.id, .title = "A", .isbn = "123"};
    Book b{.author_id = ada.id, .title = "B", .isbn = "123"};
    conn.insert(a);
    CHECK_THROWS_AS(conn.insert(b), orm::integrity_error);
    Book orphan{.author_id = ada.id + 1000, .title = "Orphan"};
    try {
        conn.insert(orphan);
        FAIL("expected orm::integrity_error");
    } catch (const orm::integrity_error& e) {
        CHECK(e.native_code() == (orm_test::is_mysql() ? 1452 : 787));  // 787: SQLITE_CONSTRAINT_FOREIGNKEY
    }
    CHECK(orm_test::count_rows(conn, "books") == 1);
}

TEST_CASE("NULL into a NOT NULL column is an integrity error", "[errors]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    CHECK_THROWS_AS(conn.execute("INSERT INTO author (name) VALUES (?)", orm::null), orm::integrity_error);
    CHECK(orm_test::count_rows(conn, "author") == 0);
}

TEST_CASE("an over-long string is a data_error on every backend and is not written", "[errors]") {
    auto db = orm_test::fresh_engine<Everything>();
    auto conn = db.connect();
    Everything e;
    e.short_text = "\xF0\x9F\x98\x80" "abcde";  // 6 characters into VARCHAR(5)
    CHECK_THROWS_AS(conn.insert(e), orm::data_error);
    CHECK(orm_test::count_rows(conn, "everything") == 0);
    e.short_text = "abcde";
    conn.insert(e);
    e.short_text = "abcdef";
    CHECK_THROWS_AS(conn.update(e), orm::data_error);
    CHECK(conn.get<Everything>(e.id)->short_text == "abcde");
}

TEST_CASE("MySQL runs in strict mode: out-of-range and over-long raw writes fail", "[errors]") {
    auto db = orm_test::fresh_engine<Everything>();
    auto conn = db.connect();
    if (!orm_test::is_mysql()) {
        // SQLite stores what it is given; orm refuses it when reading instead.
        conn.execute("INSERT INTO everything (flag, i8, u8, i16, u16, i32, u32, i64, u64, f32, f64, text, short_text, bytes, "
                     "octets, at, at_us, day, color, level) VALUES (0, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, '', '', x'', x'', "
                     "'2000-01-01 00:00:00', '2000-01-01 00:00:00.000000', '2000-01-01', 1, -1)");
        CHECK_THROWS_WITH(conn.all<Everything>(), Catch::Contains("everything.i8") && Catch::Contains("out of range"));
        return;
    }
    try {
        conn.execute("INSERT INTO everything (flag, i8, u8, i16, u16, i32, u32, i64, u64, f32, f64, text, short_text, bytes, "
                     "octets, at, at_us, day, color, level) VALUES (0, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, '', '', '', '', "
                     "'2000-01-01', '2000-01-01', '2000-01-01', 1, -1)",
                     300);
        FAIL("expected orm::data_error");
    } catch (const orm::data_error& e) {
        CHECK(e.native_code() == 1264);  // out of range value
    }
    CHECK(orm_test::count_rows(conn, "everything") == 0);
    Everything row;
    row.short_text = "abc";
    conn.insert(row);
    try {
        conn.execute("UPDATE everything SET short_text = ? WHERE id = ?", "abcdefgh", row.id);
        FAIL("expected orm::data_error");
    } catch (const orm::data_error& e) {
        CHECK(e.native_code() == 1406);  // data too long
    }
    CHECK(conn.get<Everything>(row.id)->short_text == "abc");
}

TEST_CASE("NULL read into a non-optional field is a data_error naming the column", "[errors]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    CHECK_THROWS_WITH(conn.query<name_only>("SELECT NULL AS name"), Catch::Contains("name") && Catch::Contains("non-optional"));
    CHECK_THROWS_AS(conn.query<name_only>("SELECT 1 AS other"), orm::interface_error);
}

TEST_CASE("bad SQL and unknown tables are programming errors", "[errors]") {
    auto db = orm_test::make_engine();
    auto conn = db.connect();
    CHECK_THROWS_AS(conn.execute("SELEKT 1"), orm::programming_error);
    try {
        conn.execute("SELECT * FROM no_such_table_here");
        FAIL("expected orm::programming_error");
    } catch (const orm::programming_error& e) {
        CHECK(e.statement() == "SELECT * FROM no_such_table_here");
        CHECK(std::string(e.what()).find("no_such_table_here") != std::string::npos);
    }
    CHECK(conn.execute("SELECT 1").scalar<int>() == 1);  // the connection still works
}

TEST_CASE("a database that cannot be reached is a connection_error without the password", "[errors]") {
    if (orm_test::is_mysql()) {
        orm::url good = orm::url::parse(orm_test::database_url());
        std::string wrong_password = orm_test::url_scheme() + "://" + good.user + ":not-the-password-xyz@127.0.0.1:" +
                                     std::to_string(good.port.value_or(3306)) + "/" + good.database;
        try {
            orm::create_engine(wrong_password).connect();
            FAIL("expected orm::connection_error");
        } catch (const orm::connection_error& e) {
            CHECK(e.native_code() == 1045);
            CHECK(std::string(e.what()).find("not-the-password-xyz") == std::string::npos);
        }
        // A port where nothing listens: a dead server.
        CHECK_THROWS_AS(orm::create_engine(orm_test::url_scheme() + "://u:pw@127.0.0.1:1/db").connect(),
                        orm::connection_error);
    } else {
        CHECK_THROWS_AS(orm::create_engine("sqlite:////nonexistent-dir/sub/x.db").connect(), orm::connection_error);
    }
}

TEST_CASE("a statement given the wrong number of values is a programming_error naming both counts", "[errors]") {
    auto db = orm_test::make_engine();
    auto conn = db.connect();
    try {
        conn.execute("SELECT ? + ?", std::int64_t{1});
        FAIL("no error");
    } catch (const orm::programming_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("2 parameter(s)") && Catch::Contains("1 value(s)"));
    }
}
