// Dry tests: statement AST -> exact SQL text and parameters, per dialect.
#include <catch2/catch.hpp>

#include <orm/orm.hpp>

using orm::sql::expression;
using params = std::vector<orm::value>;

namespace {
const auto mysql = orm::make_mysql_dialect();
const auto sqlite = orm::make_sqlite_dialect();

expression equals(const char* column, orm::value v) {
    return expression::binary(orm::sql::op::eq, expression::column(column), expression::parameter(std::move(v)));
}
}  // namespace

TEST_CASE("INSERT binds every value as a parameter, one row or several", "[sql]") {
    orm::sql::insert_statement one{"author", {"name", "email"}, {{std::string("Ada"), orm::null}}};
    auto m = mysql->compile(one);
    CHECK(m.text == "INSERT INTO `author` (`name`, `email`) VALUES (?, ?)");
    CHECK(m.params == params{std::string("Ada"), orm::null});
    CHECK(sqlite->compile(one).text == "INSERT INTO \"author\" (\"name\", \"email\") VALUES (?, ?)");

    orm::sql::insert_statement two{"t", {"a"}, {{std::int64_t{1}}, {std::int64_t{2}}}};
    auto s = sqlite->compile(two);
    CHECK(s.text == "INSERT INTO \"t\" (\"a\") VALUES (?), (?)");
    CHECK(s.params == params{std::int64_t{1}, std::int64_t{2}});
}

TEST_CASE("INSERT of a row that takes every default", "[sql]") {
    CHECK(mysql->compile(orm::sql::insert_statement{"t", {}, {{}}}).text == "INSERT INTO `t` () VALUES ()");
    CHECK(sqlite->compile(orm::sql::insert_statement{"t", {}, {{}}}).text == "INSERT INTO \"t\" DEFAULT VALUES");
}

TEST_CASE("SELECT with WHERE, ORDER BY, LIMIT and OFFSET", "[sql]") {
    orm::sql::select_statement s{"books", {expression::column("id"), expression::column("title")},
                                 orm::sql::all_of({equals("author_id", std::int64_t{7}), equals("title", std::string("x"))}),
                                 {{expression::column("price"), true}, {expression::column("id"), false}}, 10, 20, false};
    auto m = mysql->compile(s);
    CHECK(m.text == "SELECT `id`, `title` FROM `books` WHERE (`author_id` = ?) AND (`title` = ?) ORDER BY `price` DESC, `id` LIMIT 10 OFFSET 20");
    CHECK(m.params == params{std::int64_t{7}, std::string("x")});
    CHECK(sqlite->compile(s).text == "SELECT \"id\", \"title\" FROM \"books\" WHERE (\"author_id\" = ?) AND (\"title\" = ?) ORDER BY \"price\" DESC, \"id\" LIMIT 10 OFFSET 20");
}

TEST_CASE("OFFSET without LIMIT gets each dialect's 'no limit'", "[sql]") {
    orm::sql::select_statement s{"t", {}, {}, {}, std::nullopt, 5, true};
    CHECK(mysql->compile(s).text == "SELECT DISTINCT * FROM `t` LIMIT 18446744073709551615 OFFSET 5");
    CHECK(sqlite->compile(s).text == "SELECT DISTINCT * FROM \"t\" LIMIT -1 OFFSET 5");
}

TEST_CASE("UPDATE and DELETE by key", "[sql]") {
    orm::sql::update_statement u{"author", {{"name", expression::parameter(std::string("Bo"))}, {"email", expression::parameter(orm::null)}},
                                 equals("id", std::int64_t{3})};
    auto m = mysql->compile(u);
    CHECK(m.text == "UPDATE `author` SET `name` = ?, `email` = ? WHERE `id` = ?");
    CHECK(m.params == params{std::string("Bo"), orm::null, std::int64_t{3}});
    CHECK(sqlite->compile(orm::sql::delete_statement{"author", equals("id", std::int64_t{3})}).text ==
          "DELETE FROM \"author\" WHERE \"id\" = ?");
    CHECK(mysql->compile(orm::sql::delete_statement{"author", std::nullopt}).text == "DELETE FROM `author`");
}

TEST_CASE("prefix and postfix operators", "[sql]") {
    orm::sql::select_statement s{"author", {expression::column("id")}, expression::unary(orm::sql::op::not_, expression::unary(orm::sql::op::is_null, expression::column("email"))), {}, {}, {}, false};
    CHECK(sqlite->compile(s).text == "SELECT \"id\" FROM \"author\" WHERE NOT (\"email\" IS NULL)");
}

TEST_CASE("identifier quoting cannot be escaped out of", "[sql][security]") {
    CHECK(mysql->quote_identifier("we`ird") == "`we``ird`");
    CHECK(sqlite->quote_identifier("we\"ird") == "\"we\"\"ird\"");
    CHECK(mysql->quote_identifier("x`; DROP TABLE t; --") == "`x``; DROP TABLE t; --`");
    CHECK_THROWS_AS(mysql->quote_identifier(std::string("a\0b", 3)), orm::interface_error);
    CHECK_THROWS_AS(sqlite->quote_identifier(""), orm::interface_error);
    orm::sql::delete_statement d{"t\"x", equals("c\"", std::string("'; DROP TABLE t; --"))};
    auto compiled = sqlite->compile(d);
    CHECK(compiled.text == "DELETE FROM \"t\"\"x\" WHERE \"c\"\"\" = ?");
    CHECK(compiled.params == params{std::string("'; DROP TABLE t; --")});
}

TEST_CASE("transaction and savepoint statements", "[sql]") {
    CHECK(mysql->begin_sql() == "START TRANSACTION");
    CHECK(sqlite->begin_sql() == "BEGIN");
    CHECK(mysql->savepoint_sql("sp1") == "SAVEPOINT `sp1`");
    CHECK(sqlite->rollback_to_savepoint_sql("sp1") == "ROLLBACK TO SAVEPOINT \"sp1\"");
    CHECK(mysql->release_savepoint_sql("sp1") == "RELEASE SAVEPOINT `sp1`");
    CHECK(mysql->last_insert_id_sql() == "SELECT LAST_INSERT_ID()");
    CHECK(sqlite->on_connect_sql() == std::vector<std::string>{"PRAGMA foreign_keys = ON"});
    CHECK(mysql->on_connect_sql().at(0).find("STRICT_ALL_TABLES") != std::string::npos);
}

TEST_CASE("INSERT ... RETURNING where the server has it: SQLite >= 3.35, MariaDB >= 10.5, never MySQL", "[sql]") {
    auto maria = orm::make_mysql_dialect();
    auto lite = orm::make_sqlite_dialect();
    orm::sql::insert_statement insert{"author", {"name"}, {{std::string("a")}, {std::string("b")}}, {"id"}};
    CHECK_THROWS_AS(maria->compile(insert), orm::interface_error);  // not configured: MySQL rules
    maria->configure("8.0.36");
    CHECK_FALSE(maria->supports_returning());
    maria->configure("10.4.30-MariaDB");
    CHECK_FALSE(maria->supports_returning());
    maria->configure("5.5.5-10.11.6-MariaDB-0+deb12u1");
    REQUIRE(maria->supports_returning());
    auto m = maria->compile(insert);
    CHECK(m.text == "INSERT INTO `author` (`name`) VALUES (?), (?) RETURNING `id`");
    CHECK(m.returns_rows);
    lite->configure("3.34.1");
    CHECK_FALSE(lite->supports_returning());
    lite->configure("3.40.1");
    CHECK(lite->compile(insert).text == "INSERT INTO \"author\" (\"name\") VALUES (?), (?) RETURNING \"id\"");
    CHECK_FALSE(lite->compile(orm::sql::delete_statement{"author", std::nullopt}).returns_rows);
}

TEST_CASE("MySQL keys of a multi-row INSERT are inferred only in InnoDB lock modes 0 and 1", "[sql]") {
    auto d = orm::make_mysql_dialect();
    CHECK_FALSE(d->consecutive_key_step().has_value());  // nothing known yet
    d->configure(orm::server_info{"8.0.36", {{"autoinc_lock_mode", "2"}, {"autoinc_increment", "1"}}, true});
    CHECK_FALSE(d->consecutive_key_step().has_value());  // interleaved: not safe
    d->configure(orm::server_info{"8.0.36", {{"autoinc_lock_mode", "1"}, {"autoinc_increment", "1"}}, true});
    CHECK(d->consecutive_key_step() == 1u);
    d->configure(orm::server_info{"8.0.36", {{"autoinc_lock_mode", "0"}, {"autoinc_increment", "5"}}, true});
    CHECK(d->consecutive_key_step() == 5u);
    d->configure(orm::server_info{"10.11.6-MariaDB", {}, false});
    CHECK_FALSE(d->supports_returning());  // engine_options::use_returning = false
    CHECK(d->server_settings_sql() ==
          "SELECT @@innodb_autoinc_lock_mode AS autoinc_lock_mode, @@auto_increment_increment AS autoinc_increment");
}

TEST_CASE("UPDATE with a CASE per column changes several rows in one statement", "[sql]") {
    orm::sql::update_statement u{"author", {}, {}};
    u.assignments.emplace_back(
        "email", expression::case_when({{equals("id", std::int64_t{1}), expression::parameter(std::string("a@x"))},
                                        {equals("id", std::int64_t{3}), expression::parameter(orm::null)}},
                                       expression::column("email")));
    u.where = expression::binary(orm::sql::op::in, expression::column("id"),
                                 expression::list({expression::parameter(std::int64_t{1}), expression::parameter(std::int64_t{3})}));
    auto m = mysql->compile(u);
    CHECK(m.text == "UPDATE `author` SET `email` = CASE WHEN `id` = ? THEN ? WHEN `id` = ? THEN ? ELSE `email` END "
                    "WHERE `id` IN (?, ?)");
    CHECK(m.params == params{std::int64_t{1}, std::string("a@x"), std::int64_t{3}, orm::null, std::int64_t{1}, std::int64_t{3}});
    CHECK(sqlite->compile(u).text == "UPDATE \"author\" SET \"email\" = CASE WHEN \"id\" = ? THEN ? WHEN \"id\" = ? THEN ? "
                                     "ELSE \"email\" END WHERE \"id\" IN (?, ?)");
    CHECK_THROWS_AS(expression::case_when({}, expression::column("email")), orm::interface_error);
    CHECK(mysql->update_batch_rows() == 200);
    CHECK(sqlite->update_batch_rows() == 1);
}
