// Dry tests of bench_common.hpp: the row formulas, checksums, URL parsing and
// DATETIME conversions every C++ benchmark program relies on (bench/WORKLOADS.md).
#include "bench_common.hpp"

#include <catch2/catch.hpp>

#include <set>

TEST_CASE("h weights each byte by its 1-based position", "[bench]") {
    CHECK(bench::h("") == 0);
    CHECK(bench::h("a") == 97);
    CHECK(bench::h("ab") == 97 + 2 * 98);
}

TEST_CASE("make_person follows the contract's row formulas", "[bench]") {
    const bench::person p7 = bench::make_person(7);
    CHECK(p7.id == 7);
    CHECK(p7.name == "name-7");
    REQUIRE(p7.email.has_value());
    CHECK(*p7.email == "user7@example.com");
    CHECK(p7.age == 25);
    CHECK(p7.score == 1.75);
    CHECK(p7.created == 7);
    CHECK_FALSE(bench::make_person(20).email.has_value());  // every tenth email is NULL
}

TEST_CASE("row_sum matches a hand computation, NULL email counting 1", "[bench]") {
    const bench::person p = bench::make_person(10);  // email NULL, age 28, score 2.5
    const std::int64_t expected = 10 + 3 * 28 + 5 * bench::h("name-10") + 7 * 1 + 11 * 10 + 13 * 10;
    CHECK(bench::row_sum(p) == expected);
    const bench::person q = bench::make_person(1);
    CHECK(bench::row_sum(q) ==
          1 + 3 * 19 + 5 * bench::h("name-1") + 7 * bench::h("user1@example.com") + 11 * 1 + 13 * 1);
}

TEST_CASE("created text and broken-down time round-trip from the 2026-01-01 base", "[bench]") {
    CHECK(bench::created_text(0) == "2026-01-01 00:00:00");
    CHECK(bench::created_text(1000000) == "2026-01-12 13:46:40");
    CHECK(bench::parse_created("2026-01-12 13:46:40") == 1000000);
    CHECK(bench::parse_created("2026-01-01 00:00:05.000000") == 5);
    const bench::civil_time t = bench::to_civil(86400 * 31 + 61);
    CHECK(t.month == 2);
    CHECK(t.day == 1);
    CHECK(t.minute == 1);
    CHECK(bench::from_civil(t) == 86400 * 31 + 61);
    CHECK_THROWS(bench::parse_created("2026-01-xx 00:00:00"));
}

TEST_CASE("parse_url splits MySQL URLs with percent-encoded credentials and SQLite paths", "[bench]") {
    const bench::url_parts m = bench::parse_url("mysql://orm_test:s3cr%40t%3Apw@127.0.0.1:37517/orm_test");
    CHECK(m.scheme == "mysql");
    CHECK(m.user == "orm_test");
    CHECK(m.password == "s3cr@t:pw");
    CHECK(m.host == "127.0.0.1");
    CHECK(m.port == 37517);
    CHECK(m.database == "orm_test");
    const bench::url_parts s = bench::parse_url("sqlite:////tmp/x/bench.db");
    CHECK(s.scheme == "sqlite");
    CHECK(s.path == "/tmp/x/bench.db");
    CHECK_THROWS_AS(bench::parse_url("postgres://h/db"), std::invalid_argument);
}

TEST_CASE("the W3 ids are 10,000 distinct ids in 1..N for N = 20,000", "[bench]") {
    const std::vector<std::int64_t> ids = bench::lookup_ids(20000);
    REQUIRE(ids.size() == 10000);
    CHECK(ids.front() == 1);
    CHECK(ids[1] == 7920);
    const std::set<std::int64_t> distinct(ids.begin(), ids.end());
    CHECK(distinct.size() == ids.size());
    CHECK(*distinct.rbegin() <= 20000);
}

TEST_CASE("the W5 checksum term uses llround(avg * 100)", "[bench]") {
    CHECK(bench::report_row_sum(1, 100, "author-1", 1.0) == 1 + 300 + 5 * bench::h("author-1") + 700);
    CHECK(bench::report_checksum({{2, "b", 3, 0.5}}) == 2 + 9 + 5 * 98 + 7 * 50);
}
