// Dry tests: typed queries -> exact SQL per dialect; type errors caught at compile time.
#include <catch2/catch.hpp>

#include "../support/models.hpp"

using namespace models;
using orm::col;
using params = std::vector<orm::value>;

namespace {
const auto mysql = orm::make_mysql_dialect();
const auto sqlite = orm::make_sqlite_dialect();

template <class Q>
std::string mysql_sql(const Q& q) {
    return q.to_sql(*mysql).text;
}
template <class Q>
std::string sqlite_sql(const Q& q) {
    return q.to_sql(*sqlite).text;
}
}  // namespace

// ---- compile-time checks: what must not compile -------------------------------------

template <class A, class B>
concept can_compare = requires(const A& a, const B& b) { a == b; };
template <class Q, class E>
concept can_filter = requires(const Q& q, const E& e) { q.where(e); };

using price_expr = decltype(col(&Book::price));
using title_expr = decltype(col(&Book::title));
using published_expr = decltype(col(&Everything::at));
static_assert(can_compare<price_expr, double> && can_compare<price_expr, int>);
static_assert(!can_compare<price_expr, std::string>, "a number column is not compared with text");
static_assert(!can_compare<title_expr, int>, "a text column is not compared with a number");
static_assert(can_compare<title_expr, const char*> && can_compare<title_expr, std::string>);
static_assert(!can_compare<published_expr, std::chrono::sys_time<std::chrono::microseconds>>, "time points of another resolution");
static_assert(can_compare<decltype(col(&Everything::color)), Color>);
static_assert(!can_compare<decltype(col(&Everything::color)), int>, "a scoped enum column compares only with its enum");
template <class E>
concept has_like = requires(const E& e) { e.like("x"); };
static_assert(has_like<title_expr> && !has_like<price_expr>, "LIKE is for strings");
template <class Q, class M, class V>
concept can_set = requires(const Q& q, M m, const V& v) { q.set(m, v); };
static_assert(can_set<orm::update_query<Book>, double Book::*, double>);
static_assert(!can_set<orm::update_query<Book>, double Book::*, const char*>, "set() takes the member's type");
static_assert(std::is_same_v<decltype(col(&Book::price) * 2), orm::expr<double, orm::tables<Book>>>);
static_assert(std::is_same_v<decltype(col(&Book::price) > 1 && col(&Author::name) == "x"),
                             orm::expr<bool, orm::tables<Book, Author>>>);
// where() on a type the query does not read fails a static_assert; detect the
// return type of the expression instead of instantiating it:
static_assert(!orm::detail::subset_v<orm::tables<Author>, orm::tables<Book>>);
static_assert(orm::detail::subset_v<orm::tables<Author, Book>, orm::tables<Book, Author>>);

// ---- SQL text ----------------------------------------------------------------------------

TEST_CASE("where, order_by, limit and offset", "[query][sql]") {
    auto q = orm::select<Book>()
                 .where(col(&Book::price) > 5.0 && col(&Book::title).like("N%"))
                 .order_by(orm::desc(&Book::price), orm::asc(&Book::id))
                 .limit(10)
                 .offset(5);
    CHECK(sqlite_sql(q) ==
          "SELECT \"books\".\"id\", \"books\".\"author_id\", \"books\".\"title\", \"books\".\"price\", \"books\".\"isbn\" "
          "FROM \"books\" WHERE (\"books\".\"price\" > ?) AND (\"books\".\"title\" LIKE ?) "
          "ORDER BY \"books\".\"price\" DESC, \"books\".\"id\" LIMIT 10 OFFSET 5");
    CHECK(mysql_sql(q) ==
          "SELECT `books`.`id`, `books`.`author_id`, `books`.`title`, `books`.`price`, `books`.`isbn` "
          "FROM `books` WHERE (`books`.`price` > ?) AND (`books`.`title` LIKE ?) "
          "ORDER BY `books`.`price` DESC, `books`.`id` LIMIT 10 OFFSET 5");
    CHECK(q.to_sql(*mysql).params == params{5.0, std::string("N%")});
}

TEST_CASE("every comparison, IN, BETWEEN, NULL tests and negation", "[query][sql]") {
    auto q = orm::select<Author>().where(!(col(&Author::id) != 1) || col(&Author::id) <= 2 || col(&Author::id) >= 3 ||
                                         col(&Author::id) < 4 || col(&Author::id).in({5, 6}) || col(&Author::id).between(7, 8) ||
                                         col(&Author::email).is_null() || col(&Author::email) != std::nullopt);
    auto compiled = q.to_sql(*sqlite);
    CHECK(compiled.text.substr(compiled.text.find(" WHERE ")) ==
          " WHERE NOT ((\"author\".\"id\" <> ?)) OR (\"author\".\"id\" <= ?) OR (\"author\".\"id\" >= ?) "
          "OR (\"author\".\"id\" < ?) OR (\"author\".\"id\" IN (?, ?)) OR (\"author\".\"id\" BETWEEN ? AND ?) "
          "OR \"author\".\"email\" IS NULL OR \"author\".\"email\" IS NOT NULL");
    CHECK(compiled.params == params{std::int64_t{1}, std::int64_t{2}, std::int64_t{3}, std::int64_t{4}, std::int64_t{5},
                                    std::int64_t{6}, std::int64_t{7}, std::int64_t{8}});
    auto empty_in = orm::select<Author>().where(col(&Author::id).in(std::vector<int>{}));
    CHECK(sqlite_sql(empty_in).ends_with(" WHERE ? = ?"));  // 1 = 0: matches nothing
}

TEST_CASE("arithmetic and a run-time built predicate", "[query][sql]") {
    orm::predicate<Book> filter;
    CHECK(filter.empty());
    filter = filter && col(&Book::price) * 2 > 10;
    filter = filter && col(&Book::title) == "x";
    auto q = orm::select<Book>().where(filter);
    CHECK(sqlite_sql(q).ends_with("WHERE ((\"books\".\"price\" * ?) > ?) AND (\"books\".\"title\" = ?)"));
    CHECK(sqlite_sql(orm::select<Book>().where(orm::predicate<Book>{})).find("WHERE") == std::string::npos);
}

TEST_CASE("projections, aggregates, GROUP BY and HAVING", "[query][sql]") {
    auto q = orm::select<Book>()
                 .columns(col(&Book::author_id), orm::count(), orm::sum(col(&Book::price)), orm::avg(col(&Book::price)),
                          orm::min(col(&Book::price)), orm::max(col(&Book::title)))
                 .group_by(col(&Book::author_id))
                 .having(orm::count() > 1)
                 .order_by(orm::desc(orm::count()));
    CHECK(mysql_sql(q) ==
          "SELECT `books`.`author_id`, COUNT(*), SUM(`books`.`price`), AVG(`books`.`price`), MIN(`books`.`price`), "
          "MAX(`books`.`title`) FROM `books` GROUP BY `books`.`author_id` HAVING COUNT(*) > ? ORDER BY COUNT(*) DESC");
    using row = decltype(q)::result_type;
    static_assert(std::is_same_v<row, std::tuple<std::int64_t, std::int64_t, std::optional<double>, std::optional<double>,
                                                 std::optional<double>, std::optional<std::string>>>);
}

TEST_CASE("joins on a declared foreign key and on an explicit condition", "[query][sql]") {
    // A join only filters: the result and its columns stay the query's own.
    auto filtered = orm::select<Book>().join<Author>().where(col(&Author::name) == "Ada");
    CHECK(sqlite_sql(filtered) ==
          "SELECT \"books\".\"id\", \"books\".\"author_id\", \"books\".\"title\", \"books\".\"price\", \"books\".\"isbn\" "
          "FROM \"books\" JOIN \"author\" ON \"books\".\"author_id\" = \"author\".\"id\" WHERE \"author\".\"name\" = ?");
    static_assert(std::is_same_v<decltype(filtered)::result_type, Book>);
    // add_entity() adds the joined table's objects to each row.
    auto inner = orm::select<Book>().join<Author>().add_entity<Author>().where(col(&Author::name) == "Ada");
    CHECK(sqlite_sql(inner) ==
          "SELECT \"books\".\"id\", \"books\".\"author_id\", \"books\".\"title\", \"books\".\"price\", \"books\".\"isbn\", "
          "\"author\".\"id\", \"author\".\"name\", \"author\".\"email\" FROM \"books\" JOIN \"author\" "
          "ON \"books\".\"author_id\" = \"author\".\"id\" WHERE \"author\".\"name\" = ?");
    static_assert(std::is_same_v<decltype(inner)::result_type, std::tuple<Book, Author>>);
    auto left = orm::select<Author>()
                    .left_join<Book>(col(&Book::author_id) == col(&Author::id) && col(&Book::price) > 1.0)
                    .add_entity<std::optional<Book>>();
    CHECK(mysql_sql(left).find("FROM `author` LEFT JOIN `books` ON (`books`.`author_id` = `author`.`id`) AND (`books`.`price` > ?)") !=
          std::string::npos);
    static_assert(std::is_same_v<decltype(left)::result_type, std::tuple<Author, std::optional<Book>>>);
    CHECK_THROWS_AS(orm::select<Author>().join<OrderLine>(), orm::interface_error);  // no foreign key: say how
}

TEST_CASE("subqueries: IN, EXISTS (correlated) and a scalar subquery", "[query][sql]") {
    auto rich = orm::select<Book>().columns(col(&Book::author_id)).where(col(&Book::price) > 100.0);
    auto in = orm::select<Author>().where(col(&Author::id).in(rich));
    CHECK(sqlite_sql(in).ends_with("WHERE \"author\".\"id\" IN (SELECT \"books\".\"author_id\" FROM \"books\" WHERE \"books\".\"price\" > ?)"));
    auto has_books = orm::select<Author>().where(
        orm::exists(orm::select<Book>().correlate<Author>().where(col(&Book::author_id) == col(&Author::id))));
    CHECK(sqlite_sql(has_books).ends_with("WHERE EXISTS (SELECT \"books\".\"id\", \"books\".\"author_id\", \"books\".\"title\", "
                                          "\"books\".\"price\", \"books\".\"isbn\" FROM \"books\" WHERE \"books\".\"author_id\" = \"author\".\"id\")"));
    auto above_average = orm::select<Book>().where(col(&Book::price) > orm::select<Book>().columns(orm::avg(col(&Book::price))).as_scalar());
    auto compiled = above_average.to_sql(*mysql);
    CHECK(compiled.text.ends_with("WHERE `books`.`price` > (SELECT AVG(`books`.`price`) FROM `books`)"));
}

TEST_CASE("count() wraps queries with LIMIT, DISTINCT or GROUP BY in a derived table", "[query][sql]") {
    const auto simple = orm::detail::count_statement(orm::select<Book>().where(col(&Book::price) > 1.0).order_by(orm::asc(&Book::id)).statement());
    CHECK(sqlite->compile(simple).text == "SELECT COUNT(*) FROM \"books\" WHERE \"books\".\"price\" > ?");
    const auto limited = orm::detail::count_statement(orm::select<Book>().columns(col(&Book::author_id)).distinct().statement());
    CHECK(mysql->compile(limited).text == "SELECT COUNT(*) FROM (SELECT DISTINCT `books`.`author_id` FROM `books`) AS `orm_counted`");
}

TEST_CASE("bulk UPDATE and DELETE", "[query][sql]") {
    auto u = orm::update<Book>().set(&Book::price, col(&Book::price) * 1.5).set(&Book::title, "x").where(col(&Book::id) < 3);
    auto compiled = u.to_sql(*mysql);
    CHECK(compiled.text == "UPDATE `books` SET `price` = (`books`.`price` * ?), `title` = ? WHERE `books`.`id` < ?");
    CHECK(compiled.params == params{1.5, std::string("x"), std::int64_t{3}});
    CHECK(orm::remove<Book>().where(col(&Book::price) == 0.0).to_sql(*sqlite).text == "DELETE FROM \"books\" WHERE \"books\".\"price\" = ?");
}

TEST_CASE("upsert per dialect", "[query][sql]") {
    orm::sql::insert_statement insert{"books", {"id", "price"}, {{std::int64_t{1}, 2.0}}, {}, orm::sql::upsert_clause{{"id"}, {"price"}}};
    CHECK(mysql->compile(insert).text == "INSERT INTO `books` (`id`, `price`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `price` = VALUES(`price`)");
    CHECK(sqlite->compile(insert).text ==
          "INSERT INTO \"books\" (\"id\", \"price\") VALUES (?, ?) ON CONFLICT (\"id\") DO UPDATE SET \"price\" = excluded.\"price\"");
    insert.on_conflict->update_columns.clear();
    CHECK(mysql->compile(insert).text == "INSERT INTO `books` (`id`, `price`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `id` = `id`");
    CHECK(sqlite->compile(insert).text == "INSERT INTO \"books\" (\"id\", \"price\") VALUES (?, ?) ON CONFLICT (\"id\") DO NOTHING");
}

TEST_CASE("an unbound query says how to run it", "[query]") {
    CHECK_THROWS_WITH(orm::select<Book>().all(), Catch::Contains("not bound"));
}

TEST_CASE("comparing with an empty std::optional means IS NULL / IS NOT NULL", "[query][sql]") {
    std::optional<std::string> none, some = "x";
    CHECK(sqlite_sql(orm::select<Author>().where(col(&Author::email) == none)).ends_with("WHERE \"author\".\"email\" IS NULL"));
    CHECK(sqlite_sql(orm::select<Author>().where(col(&Author::email) != none)).ends_with("WHERE \"author\".\"email\" IS NOT NULL"));
    CHECK(sqlite_sql(orm::select<Author>().where(col(&Author::email) == some)).ends_with("WHERE \"author\".\"email\" = ?"));
}

TEST_CASE("count() of a limited join selects a constant in the derived table", "[query][sql]") {
    const auto counted = orm::detail::count_statement(orm::select<Book>().join<Author>().add_entity<Author>().limit(3).statement());
    CHECK(mysql->compile(counted).text ==
          "SELECT COUNT(*) FROM (SELECT ? FROM `books` JOIN `author` ON `books`.`author_id` = `author`.`id` LIMIT 3) AS `orm_counted`");
}

TEST_CASE("LIKE with an ESCAPE character", "[query][sql]") {
    auto q = orm::select<Author>().where(col(&Author::name).like("%" + orm::escape_like("50%") + "%", '!'));
    auto compiled = q.to_sql(*mysql);
    CHECK(compiled.text.ends_with("WHERE `author`.`name` LIKE ? ESCAPE ?"));
    CHECK(compiled.params == params{std::string("%50!%%"), std::string("!")});
}
