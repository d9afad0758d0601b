// Exact decimals on every backend: the same matrix of values gives the same exact
// answers for ordering, comparison, MIN, MAX, SUM, AVG, GROUP BY and arithmetic
// (MariaDB computes with DECIMAL; SQLite with scaled integers, see docs/mapping.md).
#include <catch2/catch.hpp>

#include "../support/backend.hpp"

using namespace store;
using orm::col;
using orm::decimal;

namespace {

const std::vector<std::string> matrix{"-0.01", "0.00", "2.50", "9.99", "10.00", "18.84", "99999999.99"};

orm::engine ledger() {
    auto db = orm_test::fresh_engine<Ledger>();
    auto conn = db.connect();
    std::vector<Ledger> rows;
    for (std::size_t i = 0; i < matrix.size(); ++i)
        rows.push_back(Ledger{0, i < 3 ? "a" : "b", decimal(matrix[i]),
                              i % 2 ? std::optional<decimal>(decimal("0.0005")) : std::nullopt, static_cast<std::int32_t>(i + 1)});
    rows.push_back(Ledger{0, "c", decimal("2.50"), std::nullopt, 3});  // a second 2.50, for GROUP BY
    conn.insert_many(rows);
    return db;
}

std::vector<std::string> texts(const std::vector<decimal>& values) {
    std::vector<std::string> out;
    for (const decimal& d : values) out.push_back(d.to_string());
    return out;
}

}  // namespace

TEST_CASE("the decimal matrix: ordering both ways, MIN, MAX, SUM and AVG are exact", "[decimal]") {
    auto db = ledger();
    auto conn = db.connect();
    auto amounts = conn.select<Ledger>().columns(col(&Ledger::amount)).where(col(&Ledger::kind) != "c");
    CHECK(texts(amounts.order_by(orm::asc(&Ledger::amount)).all()) ==
          std::vector<std::string>{"-0.01", "0", "2.5", "9.99", "10", "18.84", "99999999.99"});
    CHECK(texts(amounts.order_by(orm::desc(&Ledger::amount)).all()) ==
          std::vector<std::string>{"99999999.99", "18.84", "10", "9.99", "2.5", "0", "-0.01"});
    auto stats = amounts.columns(orm::min(col(&Ledger::amount)), orm::max(col(&Ledger::amount)), orm::sum(col(&Ledger::amount)),
                                 orm::avg(col(&Ledger::amount)))
                     .one();
    CHECK(std::get<0>(stats) == decimal("-0.01"));
    CHECK(std::get<1>(stats) == decimal("99999999.99"));
    CHECK(std::get<2>(stats) == decimal("100000041.31"));
    CHECK(std::get<3>(stats) == decimal("14285720.187143"));  // 100000041.31 / 7 at scale 2 + 4, rounded half away from zero
    // Whole objects read the exact values back too.
    auto rows = conn.select<Ledger>().order_by(orm::asc(&Ledger::id)).all();
    REQUIRE(rows.size() == 8);
    CHECK(rows[6].amount.to_string() == "99999999.99");
    CHECK(rows[1].adjust == decimal("0.0005"));
    CHECK_FALSE(rows[0].adjust.has_value());
}

TEST_CASE("the decimal matrix: comparisons, BETWEEN, IN and GROUP BY are numeric", "[decimal]") {
    auto db = ledger();
    auto conn = db.connect();
    auto count = [&](const orm::expr<bool, orm::tables<Ledger>>& where) { return conn.select<Ledger>().where(where).count(); };
    CHECK(count(col(&Ledger::amount) < decimal("10")) == 5);  // -0.01, 0, 2.5, 9.99, 2.5
    CHECK(count(col(&Ledger::amount) > 5) == 4);
    CHECK(count(col(&Ledger::amount) >= decimal("10.00")) == 3);
    CHECK(count(col(&Ledger::amount) > decimal("9.995")) == 3);  // more digits than the column: still exact
    CHECK(count(col(&Ledger::amount) > 9.995) == 3);              // against a double: as doubles
    CHECK(count(col(&Ledger::amount) == 10) == 1);
    CHECK(count(col(&Ledger::amount) == decimal("2.5")) == 2);
    CHECK(count(col(&Ledger::amount).between(decimal("2.50"), decimal("10"))) == 4);
    CHECK(count(col(&Ledger::amount).in({decimal("-0.01"), decimal("18.840")})) == 2);
    CHECK(count(col(&Ledger::adjust) < decimal("0.001")) == 3);
    auto per_amount = conn.select<Ledger>()
                          .columns(col(&Ledger::amount), orm::count())
                          .group_by(col(&Ledger::amount))
                          .having(orm::count() > 1)
                          .all();
    REQUIRE(per_amount.size() == 1);
    CHECK(std::get<0>(per_amount[0]) == decimal("2.5"));
    CHECK(std::get<1>(per_amount[0]) == 2);
    auto per_kind = conn.select<Ledger>()
                        .columns(col(&Ledger::kind), orm::sum(col(&Ledger::amount)), orm::max(col(&Ledger::amount)))
                        .group_by(col(&Ledger::kind))
                        .order_by(orm::asc(&Ledger::kind))
                        .all();
    using row = std::tuple<std::string, std::optional<decimal>, std::optional<decimal>>;
    CHECK(per_kind == std::vector<row>{{"a", decimal("2.49"), decimal("2.5")}, {"b", decimal("100000038.82"), decimal("99999999.99")},
                                       {"c", decimal("2.5"), decimal("2.5")}});
}

TEST_CASE("decimal arithmetic with SQL's result types", "[decimal]") {
    auto db = ledger();
    auto conn = db.connect();
    auto q = conn.select<Ledger>().where(col(&Ledger::id) == 4);  // 9.99, quantity 4, adjust 0.0005
    CHECK(q.columns(col(&Ledger::amount) * col(&Ledger::quantity)).one() == decimal("39.96"));
    CHECK(q.columns(col(&Ledger::amount) + decimal("0.005")).one().to_string() == "9.995");
    CHECK(q.columns(col(&Ledger::amount) - col(&Ledger::adjust)).one() == decimal("9.9895"));
    CHECK(q.columns(col(&Ledger::amount) * col(&Ledger::amount)).one() == decimal("99.8001"));
    CHECK(q.columns(col(&Ledger::amount) / 3).one() == decimal("3.330000"));
    CHECK(q.columns(col(&Ledger::amount) / 7).one() == decimal("1.427143"));  // 1.4271428... rounded
    CHECK(q.columns(-col(&Ledger::amount)).one() == decimal("-9.99"));
    CHECK(q.columns(col(&Ledger::amount) * 1.5).one() == Approx(14.985));  // with a double: a double
    CHECK(q.columns(orm::round(col(&Ledger::amount), 1)).one() == decimal("10.0"));
    CHECK(q.columns(orm::round(col(&Ledger::amount), 0)).one() == decimal("10"));
    CHECK(q.columns(orm::coalesce(col(&Ledger::adjust), decimal("1"))).one() == decimal("0.0005"));
    CHECK(q.columns(orm::cast<orm::decimal>(col(&Ledger::quantity), orm::precision(10, 2))).one() == decimal("4"));
    CHECK(q.columns(orm::cast<double>(col(&Ledger::amount))).one() == Approx(9.99));
    CHECK(q.columns(orm::cast<std::int64_t>(col(&Ledger::amount))).one() == 9);  // truncated on every backend
    CHECK(q.columns(orm::cast<std::string>(col(&Ledger::amount))).one() == "9.99");
    // Rounding is half away from zero for exact values, on every backend.
    auto ties = conn.select<Ledger>().columns(orm::round(col(&Ledger::amount), 0)).where(col(&Ledger::kind) == "a").order_by(orm::asc(&Ledger::id)).all();
    CHECK(texts(ties) == std::vector<std::string>{"0", "0", "3"});  // -0.01, 0.00, 2.50
    auto negative = conn.select<Ledger>().columns(orm::abs(col(&Ledger::amount)), orm::round(col(&Ledger::amount), 1)).where(col(&Ledger::id) == 1).one();
    CHECK(std::get<0>(negative) == decimal("0.01"));
    CHECK(std::get<1>(negative) == decimal("0"));
    // Line totals summed.
    const auto total = conn.select<Ledger>().columns(orm::sum(col(&Ledger::amount) * col(&Ledger::quantity))).where(col(&Ledger::kind) == "b").one();
    CHECK(total == decimal("700000202.93"));  // 9.99 * 4 + 10.00 * 5 + 18.84 * 6 + 99999999.99 * 7
}

TEST_CASE("a bulk UPDATE sets decimals exactly", "[decimal]") {
    auto db = ledger();
    auto conn = db.connect();
    CHECK(conn.execute(orm::update<Ledger>().set(&Ledger::amount, col(&Ledger::amount) * 2).where(col(&Ledger::amount) < 1)) == 2);
    CHECK(conn.execute(orm::update<Ledger>().set(&Ledger::adjust, decimal("1.25")).where(col(&Ledger::id) == 3)) == 1);
    auto rows = conn.select<Ledger>().order_by(orm::asc(&Ledger::id)).all();
    CHECK(rows[0].amount == decimal("-0.02"));
    CHECK(rows[1].amount == decimal("0"));
    CHECK(rows[2].adjust == decimal("1.25"));
}
