// Hostile input: injection payloads in every value position are stored and
// returned verbatim and never executed; LIKE wildcards in user input can be escaped.
#include <catch2/catch.hpp>

#include "../support/backend.hpp"

using namespace models;
using orm::col;

namespace {
const std::vector<std::string> payloads = {
    "'; DROP TABLE author; --",
    "\" OR \"1\"=\"1",
    "' OR '1'='1' /*",
    "1; DELETE FROM author",
    "\\'; DROP TABLE author; -- ",
    "\\\\",
    "back\\slash\\",
    std::string("nul\0byte'", 9),
    "%' UNION SELECT id, name, email FROM author --",
    "`; DROP TABLE author; `",
    "\xEF\xBC\x87 fullwidth apostrophe",
    "\xE5\x98\xA7' a GBK-style trail byte before a quote",
    "*/ SELECT 1 /*",
    "${jndi:ldap://x}",
    "0x27",
    "' AND SLEEP(5) --",
    "\r\n\t",
    "_%_%",
};
}  // namespace

TEST_CASE("injection payloads in every value position are stored and returned verbatim", "[security]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    std::vector<Author> rows;
    for (const auto& p : payloads) rows.push_back(Author{.name = p, .email = p});
    conn.insert_many(rows);  // inserted
    for (const auto& row : rows) {
        INFO(row.name);
        auto found = conn.select<Author>().where(col(&Author::name) == row.name).all();  // compared
        REQUIRE(found.size() == 1);
        CHECK(found[0].email == row.name);
        auto raw = conn.query<std::tuple<std::string>>("SELECT name FROM author WHERE email = ?", row.name);  // raw SQL
        REQUIRE(raw.size() == 1);
        CHECK(std::get<0>(raw[0]) == row.name);
    }
    Author& first = rows.front();
    first.name = payloads[1];
    conn.update(first);  // updated
    CHECK(conn.get<Author>(first.id)->name == payloads[1]);
    CHECK(conn.execute(orm::update<Author>().set(&Author::email, payloads[2]).where(col(&Author::id) == first.id)) == 1);
    CHECK(conn.get<Author>(first.id)->email == payloads[2]);
    orm::session s(db);
    s.get<Author>(first.id)->name = payloads[3];  // through a session flush
    s.commit();
    CHECK(conn.get<Author>(first.id)->name == payloads[3]);
    CHECK(orm_test::count_rows(conn, "author") == static_cast<std::int64_t>(payloads.size()));  // nothing was dropped or deleted
}

TEST_CASE("LIKE patterns from user input match literally once escaped", "[security][query]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    for (const char* name : {"100% sure", "100 percent", "a_b", "axb", "it's!"}) conn.execute("INSERT INTO author (name) VALUES (?)", name);
    auto count_like = [&](const std::string& user_text) {
        return conn.select<Author>().where(col(&Author::name).like("%" + orm::escape_like(user_text) + "%", '!')).count();
    };
    CHECK(count_like("0%") == 1);   // not "0 followed by anything"
    CHECK(count_like("a_b") == 1);  // not "a, any character, b"
    CHECK(count_like("s!") == 1);
    CHECK(count_like("'") == 1);
    CHECK(conn.select<Author>().where(col(&Author::name).like("a_b")).count() == 2);  // unescaped: _ is a wildcard
    CHECK(orm::escape_like("50%_off!") == "50!%!_off!!");
}
