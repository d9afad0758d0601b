// Dry tests: aliases, the expression language and placeholders -> exact SQL per dialect.
#include <catch2/catch.hpp>

#include "../support/models.hpp"
#include "../support/store_models.hpp"

using namespace store;
using orm::col;
using params = std::vector<orm::value>;

namespace {
const auto mysql = orm::make_mysql_dialect();
const auto sqlite = orm::make_sqlite_dialect();

// The SQL after " WHERE " / after "SELECT " of a query, per dialect.
template <class Q>
std::string where_of(const Q& q, const orm::dialect& d) {
    const std::string text = q.to_sql(d).text;
    const auto at = text.find(" WHERE ");
    return at == std::string::npos ? text : text.substr(at + 7);
}
template <class Q>
std::string select_list(const Q& q, const orm::dialect& d) {
    const std::string text = q.to_sql(d).text;
    int depth = 0;  // the FROM outside parentheses (EXTRACT(YEAR FROM x) has one inside)
    for (std::size_t i = 7; i < text.size(); ++i) {
        depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
        if (depth == 0 && text.compare(i, 6, " FROM ") == 0) return text.substr(7, i - 7);
    }
    return text.substr(7);
}
}  // namespace

// ---- result types -----------------------------------------------------------------------

static_assert(std::is_same_v<decltype(orm::avg(col(&Track::milliseconds)))::value_type, std::optional<orm::decimal>>,
              "AVG of integers is an exact decimal (as MariaDB computes it)");
static_assert(std::is_same_v<decltype(orm::avg(col(&Track::rating)))::value_type, std::optional<double>>);
static_assert(std::is_same_v<decltype(orm::sum(col(&SaleLine::unit_price)))::value_type, std::optional<orm::decimal>>);
static_assert(std::is_same_v<decltype(col(&SaleLine::unit_price) * col(&SaleLine::quantity))::value_type, orm::decimal>);
static_assert(std::is_same_v<decltype(col(&SaleLine::unit_price) * 1.5)::value_type, double>);
static_assert(std::is_same_v<decltype(col(&Track::milliseconds) + 1)::value_type, std::int64_t>);
static_assert(std::is_same_v<decltype(col(&Employee::reports_to) + 1)::value_type, std::optional<std::int64_t>>,
              "a NULL-able operand makes the result NULL-able");
static_assert(std::is_same_v<decltype(orm::coalesce(col(&Sale::note), "none"))::value_type, std::string>);
static_assert(std::is_same_v<decltype(orm::coalesce(col(&Sale::note), col(&Sale::note)))::value_type, std::optional<std::string>>);
static_assert(std::is_same_v<decltype(orm::char_length(col(&Sale::note)))::value_type, std::optional<std::int64_t>>);
static_assert(std::is_same_v<decltype(orm::year(col(&Employee::hired)))::value_type, std::int64_t>);
static_assert(std::is_same_v<decltype(orm::case_when(col(&Track::milliseconds) > 1, "a").end())::value_type, std::optional<std::string>>);
static_assert(std::is_same_v<decltype(orm::case_when(col(&Track::milliseconds) > 1, "a").otherwise("b"))::value_type, std::string>);
static_assert(std::is_same_v<decltype(orm::nullable(col(&Address::city)))::value_type, std::optional<std::string>>);

template <class A, class B>
concept can_divide = requires(const A& a, const B& b) { a / b; };
template <class A, class B>
concept can_add = requires(const A& a, const B& b) { a + b; };
static_assert(can_add<decltype(col(&SaleLine::unit_price)), decltype(col(&SaleLine::quantity))>, "decimals are numbers");
static_assert(!can_add<decltype(col(&Address::city)), int>, "text is not a number");
static_assert(can_divide<decltype(col(&Track::rating)), int>);

// ---- aliases ------------------------------------------------------------------------------

TEST_CASE("a table joined to itself through an alias", "[sql][alias]") {
    const auto manager = orm::alias<Employee>("manager");
    auto q = orm::select<Employee>()
                 .left_join(manager, col(&Employee::reports_to) == manager(&Employee::id))
                 .columns(col(&Employee::name), orm::nullable(manager(&Employee::name)));
    CHECK(q.to_sql(*mysql).text ==
          "SELECT `employee`.`name`, `manager`.`name` FROM `employee` LEFT JOIN `employee` AS `manager` "
          "ON `employee`.`reports_to` = `manager`.`id`");
    // The foreign key gives the same condition: the joined alias is the referenced row.
    CHECK(orm::select<Employee>().join(manager).to_sql(*sqlite).text.ends_with(
        "FROM \"employee\" JOIN \"employee\" AS \"manager\" ON \"employee\".\"reports_to\" = \"manager\".\"id\""));
    // A second alias of the same type, told apart at compile time by a tag.
    const auto grand = orm::alias<Employee, struct grand_manager>("grand");
    auto two_levels = orm::select<Employee>().join(manager).join(grand, manager(&Employee::reports_to) == grand(&Employee::id)).columns(grand(&Employee::name));
    CHECK(two_levels.to_sql(*sqlite).text ==
          "SELECT \"grand\".\"name\" FROM \"employee\" JOIN \"employee\" AS \"manager\" ON \"employee\".\"reports_to\" = \"manager\".\"id\" "
          "JOIN \"employee\" AS \"grand\" ON \"manager\".\"reports_to\" = \"grand\".\"id\"");
}

TEST_CASE("one parent joined twice, and ambiguous foreign keys ask for a condition", "[sql][alias]") {
    const auto billing = orm::alias<Address, struct billing_tag>("billing");
    const auto shipping = orm::alias<Address, struct shipping_tag>("shipping");
    auto q = orm::select<Sale>()
                 .join(billing, col(&Sale::billing_address_id) == billing(&Address::id))
                 .join(shipping, col(&Sale::shipping_address_id) == shipping(&Address::id))
                 .columns(col(&Sale::id), billing(&Address::city), shipping(&Address::city))
                 .where(billing(&Address::city) != shipping(&Address::city));
    CHECK(q.to_sql(*mysql).text ==
          "SELECT `sale`.`id`, `billing`.`city`, `shipping`.`city` FROM `sale` JOIN `address` AS `billing` "
          "ON `sale`.`billing_address_id` = `billing`.`id` JOIN `address` AS `shipping` ON `sale`.`shipping_address_id` = `shipping`.`id` "
          "WHERE `billing`.`city` <> `shipping`.`city`");
    CHECK_THROWS_WITH(orm::select<Sale>().join(billing), Catch::Contains("several foreign keys"));
}

TEST_CASE("a same-table correlated subquery reads the inner table through an alias", "[sql][alias]") {
    const auto inner = orm::alias<Track>("inner");
    auto album_average = orm::select(inner)
                             .correlate<Track>()
                             .columns(orm::avg(inner(&Track::milliseconds)))
                             .where(inner(&Track::album_id) == col(&Track::album_id));
    auto longer = orm::select<Track>().columns(col(&Track::name)).where(col(&Track::milliseconds) > album_average.as_scalar());
    CHECK(longer.to_sql(*mysql).text ==
          "SELECT `track`.`name` FROM `track` WHERE `track`.`milliseconds` > (SELECT AVG(`inner`.`milliseconds`) "
          "FROM `track` AS `inner` WHERE `inner`.`album_id` = `track`.`album_id`)");
}

TEST_CASE("a column whose table or alias is not in the query is refused when compiled", "[sql][alias]") {
    const auto manager = orm::alias<Employee>("manager");
    // The subquery names `manager`, which no enclosing query has: refused, not sent.
    auto stray = orm::select<Employee>().where(
        orm::exists(orm::select<Track>().correlate(manager).where(col(&Track::album_id) == manager(&Employee::id))));
    CHECK_THROWS_WITH(stray.to_sql(*mysql), Catch::Contains("manager.id names a table or alias that is not in the query"));
    // An alias may not take the table's own name.
    CHECK_THROWS_AS(orm::alias<Employee>("employee"), orm::interface_error);
}

// ---- the expression language ------------------------------------------------------------

TEST_CASE("aggregates: COUNT(DISTINCT), SUM, AVG, MIN, MAX", "[sql][functions]") {
    auto q = orm::select<Track>().columns(orm::count_distinct(col(&Track::album_id)), orm::sum(col(&Track::milliseconds)),
                                          orm::avg(col(&Track::rating)), orm::min(col(&Track::name)), orm::max(col(&Track::id)));
    CHECK(select_list(q, *mysql) ==
          "COUNT(DISTINCT `track`.`album_id`), SUM(`track`.`milliseconds`), AVG(`track`.`rating`), MIN(`track`.`name`), MAX(`track`.`id`)");
}

TEST_CASE("NULL handling, numbers and text functions per dialect", "[sql][functions]") {
    auto q = orm::select<Sale>().columns(orm::coalesce(col(&Sale::note), "none"), orm::nullif(col(&Sale::note), ""),
                                         orm::char_length(col(&Sale::note)), orm::lower(orm::trim(col(&Sale::note))),
                                         orm::upper(orm::ltrim(orm::rtrim(col(&Sale::note)))), orm::substr(col(&Sale::note), 2, 3),
                                         orm::concat(col(&Sale::note), "!", orm::cast<std::string>(col(&Sale::id))));
    CHECK(select_list(q, *mysql) ==
          "COALESCE(`sale`.`note`, ?), NULLIF(`sale`.`note`, ?), CHAR_LENGTH(`sale`.`note`), LOWER(TRIM(`sale`.`note`)), "
          "UPPER(LTRIM(RTRIM(`sale`.`note`))), SUBSTR(`sale`.`note`, ?, ?), CONCAT(CONCAT(`sale`.`note`, ?), CAST(`sale`.`id` AS CHAR))");
    CHECK(select_list(q, *sqlite) ==
          "COALESCE(\"sale\".\"note\", ?), NULLIF(\"sale\".\"note\", ?), LENGTH(\"sale\".\"note\"), LOWER(TRIM(\"sale\".\"note\")), "
          "UPPER(LTRIM(RTRIM(\"sale\".\"note\"))), SUBSTR(\"sale\".\"note\", ?, ?), ((\"sale\".\"note\" || ?) || CAST(\"sale\".\"id\" AS TEXT))");
    CHECK(q.to_sql(*sqlite).params == params{std::string("none"), std::string(""), std::int64_t{2}, std::int64_t{3}, std::string("!")});

    auto numbers = orm::select<Track>().columns(orm::round(col(&Track::rating), 1), orm::abs(col(&Track::milliseconds) - 300),
                                                orm::int_div(col(&Track::milliseconds), 7), col(&Track::milliseconds) % 7,
                                                -col(&Track::rating), orm::cast<double>(col(&Track::milliseconds)) / 1000.0,
                                                orm::cast<std::int64_t>(col(&Track::rating)));
    CHECK(select_list(numbers, *mysql) ==
          "ROUND(`track`.`rating`, ?), ABS((`track`.`milliseconds` - ?)), (`track`.`milliseconds` DIV ?), (`track`.`milliseconds` % ?), "
          "(-`track`.`rating`), (CAST(`track`.`milliseconds` AS DOUBLE) / ?), CAST(TRUNCATE(`track`.`rating`, 0) AS SIGNED)");
    CHECK(select_list(numbers, *sqlite) ==
          "ROUND(\"track\".\"rating\", ?), ABS((\"track\".\"milliseconds\" - ?)), (\"track\".\"milliseconds\" / ?), "
          "(\"track\".\"milliseconds\" % ?), (-\"track\".\"rating\"), (CAST(\"track\".\"milliseconds\" AS REAL) / ?), "
          "CAST(\"track\".\"rating\" AS INTEGER)");
}

TEST_CASE("date and time parts, and the current date and time", "[sql][functions]") {
    auto q = orm::select<Sale>().columns(orm::year(col(&Sale::issued)), orm::month(col(&Sale::issued)), orm::day(col(&Sale::issued)),
                                         orm::hour(col(&Sale::issued)), orm::minute(col(&Sale::issued)), orm::second(col(&Sale::issued)))
                 .where(col(&Sale::issued) < orm::current_timestamp());
    CHECK(select_list(q, *mysql) ==
          "EXTRACT(YEAR FROM `sale`.`issued`), EXTRACT(MONTH FROM `sale`.`issued`), EXTRACT(DAY FROM `sale`.`issued`), "
          "EXTRACT(HOUR FROM `sale`.`issued`), EXTRACT(MINUTE FROM `sale`.`issued`), EXTRACT(SECOND FROM `sale`.`issued`)");
    CHECK(select_list(q, *sqlite) ==
          "CAST(strftime('%Y', \"sale\".\"issued\") AS INTEGER), CAST(strftime('%m', \"sale\".\"issued\") AS INTEGER), "
          "CAST(strftime('%d', \"sale\".\"issued\") AS INTEGER), CAST(strftime('%H', \"sale\".\"issued\") AS INTEGER), "
          "CAST(strftime('%M', \"sale\".\"issued\") AS INTEGER), CAST(strftime('%S', \"sale\".\"issued\") AS INTEGER)");
    CHECK(where_of(q, *mysql) == "`sale`.`issued` < CURRENT_TIMESTAMP");
    CHECK(where_of(orm::select<Employee>().where(col(&Employee::hired) <= orm::current_date()), *sqlite) ==
          "\"employee\".\"hired\" <= CURRENT_DATE");
}

TEST_CASE("CASE WHEN, with and without ELSE", "[sql][functions]") {
    auto size = orm::case_when(col(&Track::milliseconds) > 500, "long").when(col(&Track::milliseconds) > 90, "mid").otherwise("short");
    auto q = orm::select<Track>().columns(size, orm::case_when(col(&Track::rating) >= 4.0, 1).end());
    CHECK(select_list(q, *sqlite) ==
          "CASE WHEN \"track\".\"milliseconds\" > ? THEN ? WHEN \"track\".\"milliseconds\" > ? THEN ? ELSE ? END, "
          "CASE WHEN \"track\".\"rating\" >= ? THEN ? ELSE ? END");
    CHECK(q.to_sql(*sqlite).params == params{std::int64_t{500}, std::string("long"), std::int64_t{90}, std::string("mid"),
                                             std::string("short"), 4.0, std::int64_t{1}, orm::null});
}

TEST_CASE("NOT IN, NOT LIKE, NOT EXISTS and an empty NOT IN list", "[sql][functions]") {
    auto q = orm::select<Track>().where(col(&Track::id).not_in({1, 2}) && col(&Track::name).not_like("x%") &&
                                        orm::not_exists(orm::select<Album>().correlate<Track>().where(col(&Album::id) == col(&Track::album_id))) &&
                                        col(&Track::id).not_in(std::vector<int>{}));
    CHECK(where_of(q, *mysql) ==
          "(`track`.`id` NOT IN (?, ?)) AND (`track`.`name` NOT LIKE ?) AND NOT EXISTS (SELECT `album`.`id`, `album`.`title` "
          "FROM `album` WHERE `album`.`id` = `track`.`album_id`) AND (? <> ?)");
}

TEST_CASE("a function by name is checked as an identifier, and raw SQL binds its values", "[sql][functions][security]") {
    auto q = orm::select<Track>().columns(orm::func<std::int64_t>("instr", col(&Track::name), "o"),
                                          orm::raw_sql<std::int64_t>("(? + ?) * 2", col(&Track::id), 5));
    CHECK(select_list(q, *mysql) == "instr(`track`.`name`, ?), (`track`.`id` + ?) * 2");
    CHECK(q.to_sql(*mysql).params == params{std::string("o"), std::int64_t{5}});
    CHECK_THROWS_AS(orm::func<int>("abs(1); DROP TABLE track; --"), orm::interface_error);
    CHECK_THROWS_AS(orm::func<int>("1abs"), orm::interface_error);
    CHECK_THROWS_AS(orm::func<int>(""), orm::interface_error);
    // A `?` inside quotes is text, not a placeholder; a count mismatch is refused.
    CHECK(select_list(orm::select<Track>().columns(orm::raw_sql<std::string>("'?' || ?", 1)), *sqlite) == "'?' || ?");
    CHECK_THROWS_AS(orm::select<Track>().columns(orm::raw_sql<int>("? + ?", 1)).to_sql(*sqlite), orm::interface_error);
}

TEST_CASE("placeholders come from the dialect", "[sql]") {
    CHECK(mysql->placeholder(1) == "?");
    CHECK(sqlite->placeholder(7) == "?");
}

TEST_CASE("a run-time predicate of thousands of terms builds in linear time and renders shallow", "[sql][predicate]") {
    orm::predicate<Track> filter;
    for (int k = 0; k < 8000; ++k) filter = filter || col(&Track::id) == k;
    const auto compiled = orm::select<Track>().where(filter).to_sql(*sqlite);
    CHECK(compiled.params.size() == 8000);
    // Groups of at most 64 terms, in parentheses: a few levels, however long the chain.
    int depth = 0, deepest = 0;
    for (char c : compiled.text) {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        deepest = std::max(deepest, depth);
    }
    CHECK(deepest <= 4);
    std::size_t ors = 0;
    for (auto at = compiled.text.find(" OR "); at != std::string::npos; at = compiled.text.find(" OR ", at + 1)) ++ors;
    CHECK(ors == 7999);
    // A short chain renders flat.
    auto few = orm::select<Track>().where(col(&Track::id) == 1 || col(&Track::id) == 2 || col(&Track::id) == 3);
    CHECK(where_of(few, *mysql) == "(`track`.`id` = ?) OR (`track`.`id` = ?) OR (`track`.`id` = ?)");
}

// ---- exact decimals -------------------------------------------------------------------------

TEST_CASE("decimals: MariaDB binds a decimal as a DECIMAL, SQLite computes with scaled integers", "[sql][decimal]") {
    using orm::decimal;
    auto filtered = orm::select<Ledger>()
                        .columns(col(&Ledger::amount))
                        .where(col(&Ledger::amount) > decimal("9.995") && col(&Ledger::amount) < 5.5 && col(&Ledger::amount) >= 2)
                        .order_by(orm::desc(&Ledger::amount));
    CHECK(filtered.to_sql(*mysql).text ==
          "SELECT `ledger`.`amount` FROM `ledger` WHERE (`ledger`.`amount` > CAST(? AS DECIMAL(4, 3))) AND (`ledger`.`amount` < ?) "
          "AND (`ledger`.`amount` >= ?) ORDER BY `ledger`.`amount` DESC");
    // SQLite: both sides at the larger scale (9.995 -> 9995 against amount * 10), a double against
    // the decimal's value as a REAL, result columns back to exact text.
    const auto lite = filtered.to_sql(*sqlite);
    CHECK(lite.text ==
          "SELECT orm_decimal_text(\"ledger\".\"amount\", 2) FROM \"ledger\" WHERE ((\"ledger\".\"amount\" * 10) > ?) "
          "AND ((CAST(\"ledger\".\"amount\" AS REAL) / 100) < ?) AND (\"ledger\".\"amount\" >= ?) ORDER BY \"ledger\".\"amount\" DESC");
    CHECK(lite.params == params{std::int64_t{9995}, 5.5, std::int64_t{200}});

    auto sums = orm::select<Ledger>().columns(orm::sum(col(&Ledger::amount) * col(&Ledger::quantity)), orm::avg(col(&Ledger::amount)),
                                              col(&Ledger::amount) + col(&Ledger::adjust), orm::round(col(&Ledger::amount), 1),
                                              col(&Ledger::amount) / 3);
    CHECK(select_list(sums, *mysql) ==
          "SUM((`ledger`.`amount` * `ledger`.`quantity`)), AVG(`ledger`.`amount`), (`ledger`.`amount` + `ledger`.`adjust`), "
          "ROUND(`ledger`.`amount`, ?), (`ledger`.`amount` / ?)");
    // A product that could pass 18 digits is checked as it runs (orm_checked fails on overflow).
    CHECK(select_list(sums, *sqlite) ==
          "orm_decimal_text(SUM(orm_checked((\"ledger\".\"amount\" * \"ledger\".\"quantity\"))), 2), "
          "orm_decimal_text(orm_rounded_div(orm_checked((SUM(\"ledger\".\"amount\") * 10000)), COUNT(\"ledger\".\"amount\")), 6), "
          "orm_decimal_text(((\"ledger\".\"amount\" * 100) + \"ledger\".\"adjust\"), 4), "
          "orm_decimal_text(orm_rounded_div(\"ledger\".\"amount\", 10), 1), "
          "orm_decimal_text(orm_rounded_div((\"ledger\".\"amount\" * 10000), ?), 6)");  // 14 digits: no check needed
    CHECK(sums.to_sql(*sqlite).params == params{std::int64_t{3}});
}

TEST_CASE("decimals: INSERT values become scaled integers on SQLite, and a bulk SET keeps the column's scale", "[sql][decimal]") {
    const auto& ledger = orm::table_of<Ledger>();
    const orm::column_info& amount = *ledger.find_column("amount");
    CHECK(sqlite->stored_value(amount, std::string("-9.99")) == orm::value{std::int64_t{-999}});
    CHECK(sqlite->stored_value(amount, orm::null) == orm::value{orm::null});
    CHECK_THROWS_AS(sqlite->stored_value(amount, std::string("9.999")), orm::data_error);
    CHECK(mysql->stored_value(amount, std::string("9.99")) == orm::value{std::string("9.99")});
    auto u = orm::update<Ledger>().set(&Ledger::amount, col(&Ledger::amount) + orm::decimal("0.005"));
    CHECK(u.to_sql(*mysql).text ==
          "UPDATE `ledger` SET `amount` = CAST((`ledger`.`amount` + CAST(? AS DECIMAL(3, 3))) AS DECIMAL(10, 2))");
    CHECK(u.to_sql(*sqlite).text ==
          "UPDATE \"ledger\" SET \"amount\" = orm_rounded_div(((\"ledger\".\"amount\" * 10) + ?), 10)");
}

// ---- locking reads and how transactions begin --------------------------------------------------

TEST_CASE("locking reads per dialect, and how a transaction begins", "[sql][concurrency]") {
    auto q = orm::select<Track>().where(col(&Track::id) < 10).limit(5);
    CHECK(q.lock(orm::for_update).to_sql(*mysql).text.ends_with("WHERE `track`.`id` < ? LIMIT 5 FOR UPDATE"));
    CHECK(q.lock(orm::for_update.nowait()).to_sql(*mysql).text.ends_with("LIMIT 5 FOR UPDATE NOWAIT"));
    CHECK(q.lock(orm::for_update.skip_locked()).to_sql(*mysql).text.ends_with("LIMIT 5 FOR UPDATE SKIP LOCKED"));
    CHECK(q.lock(orm::for_share).to_sql(*mysql).text.ends_with("LIMIT 5 LOCK IN SHARE MODE"));
    // SQLite locks the database: the lock is the transaction's (BEGIN IMMEDIATE), not the SELECT's.
    CHECK(q.lock(orm::for_update).to_sql(*sqlite).text.ends_with("WHERE \"track\".\"id\" < ? LIMIT 5"));
    CHECK(sqlite->locking_read_needs_write_lock());
    CHECK_FALSE(mysql->locking_read_needs_write_lock());
    using strings = std::vector<std::string>;
    CHECK(mysql->begin_statements({}) == strings{"START TRANSACTION"});
    CHECK(mysql->begin_statements({.isolation = orm::isolation::read_committed}) ==
          strings{"SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "START TRANSACTION"});
    CHECK(mysql->begin_statements({.isolation = orm::isolation::serializable, .write = true}) ==
          strings{"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION"});
    CHECK(sqlite->begin_statements({}) == strings{"BEGIN"});
    CHECK(sqlite->begin_statements({.write = true}) == strings{"BEGIN IMMEDIATE"});
    CHECK(sqlite->begin_statements({.isolation = orm::isolation::read_committed}) == strings{"BEGIN"});  // always serializable
}
