// Value conversions: ranges, NULL handling, date/time text.
#include <catch2/catch.hpp>

#include <orm/mapping/types.hpp>
#include <orm/decimal.hpp>
#include <orm/uuid.hpp>

using namespace std::chrono;

TEST_CASE("integers convert with range checks in both directions", "[types]") {
    CHECK(orm::from_value<std::int8_t>(orm::value{std::int64_t{-128}}) == -128);
    CHECK_THROWS_AS(orm::from_value<std::int8_t>(orm::value{std::int64_t{128}}), orm::data_error);
    CHECK_THROWS_AS(orm::from_value<std::uint32_t>(orm::value{std::int64_t{-1}}), orm::data_error);
    CHECK(orm::from_value<std::uint64_t>(orm::value{std::uint64_t{18446744073709551615ull}}) == 18446744073709551615ull);
    CHECK_THROWS_AS(orm::from_value<std::int64_t>(orm::value{std::uint64_t{9223372036854775808ull}}), orm::data_error);
    // Exact decimal text converts (MySQL returns SUM() of integers as DECIMAL text); anything else does not.
    CHECK(orm::from_value<std::int32_t>(orm::value{std::string("12")}) == 12);
    CHECK(orm::from_value<std::int64_t>(orm::value{std::string("-7.000")}) == -7);
    CHECK(orm::from_value<double>(orm::value{std::string("2.5")}) == 2.5);
    CHECK_THROWS_AS(orm::from_value<std::int32_t>(orm::value{std::string("12.5")}), orm::data_error);
    CHECK_THROWS_AS(orm::from_value<std::int32_t>(orm::value{std::string("twelve")}), orm::data_error);
    CHECK_THROWS_AS(orm::from_value<std::int8_t>(orm::value{std::string("300")}), orm::data_error);
    CHECK_THROWS_AS(orm::from_value<double>(orm::value{std::string("")}), orm::data_error);
    CHECK(orm::to_value(std::uint16_t{65535}) == orm::value{std::uint64_t{65535}});
}

TEST_CASE("NULL reads into optional, and is a data_error for anything else", "[types]") {
    CHECK(orm::from_value<std::optional<int>>(orm::value{orm::null}) == std::nullopt);
    CHECK_THROWS_WITH(orm::from_value<int>(orm::value{orm::null}), Catch::Contains("non-optional"));
    CHECK(orm::to_value(std::optional<int>{}) == orm::value{orm::null});
}

TEST_CASE("bool accepts only 0 and 1", "[types]") {
    CHECK(orm::from_value<bool>(orm::value{std::int64_t{1}}));
    CHECK_THROWS_AS(orm::from_value<bool>(orm::value{std::int64_t{2}}), orm::data_error);
}

TEST_CASE("NaN and infinities are refused before they reach the database", "[types]") {
    CHECK_THROWS_AS(orm::to_value(std::numeric_limits<double>::quiet_NaN()), orm::data_error);
    CHECK_THROWS_AS(orm::to_value(-std::numeric_limits<float>::infinity()), orm::data_error);
}

TEST_CASE("date-times format and parse as UTC text, before and after 1970", "[types]") {
    const auto leap_end = sys_days{2024y / February / 29} + 23h + 59min + 59s + 999999us;
    CHECK(orm::to_value(leap_end) == orm::value{std::string("2024-02-29 23:59:59.999999")});
    CHECK(orm::from_value<sys_time<microseconds>>(orm::value{std::string("2024-02-29 23:59:59.999999")}) == leap_end);
    const sys_seconds before_epoch = sys_days{1969y / December / 31} + 23h + 59min + 59s;
    CHECK(orm::to_value(before_epoch) == orm::value{std::string("1969-12-31 23:59:59")});
    CHECK(orm::from_value<sys_seconds>(orm::value{std::string("1969-12-31 23:59:59")}) == before_epoch);
    CHECK(orm::from_value<sys_seconds>(orm::value{std::string("2038-01-19T03:14:08")}) == sys_seconds{seconds{2147483648}});
    // MySQL may render a DATETIME(0) value with a zero fraction.
    CHECK(orm::from_value<sys_seconds>(orm::value{std::string("2000-01-01 00:00:00.000000")}) == sys_seconds{sys_days{2000y / 1 / 1}});
    CHECK_THROWS_AS(orm::from_value<sys_seconds>(orm::value{std::string("2000-01-01 00:00:00.5")}), orm::data_error);
    CHECK_THROWS_AS(orm::from_value<sys_seconds>(orm::value{std::string("2023-02-29 00:00:00")}), orm::data_error);
    CHECK_THROWS_AS(orm::from_value<sys_seconds>(orm::value{std::string("yesterday")}), orm::data_error);
}

TEST_CASE("dates", "[types]") {
    CHECK(orm::to_value(2024y / February / 29) == orm::value{std::string("2024-02-29")});
    CHECK(orm::from_value<year_month_day>(orm::value{std::string("1900-03-01")}) == 1900y / March / 1);
    CHECK_THROWS_AS(orm::to_value(2023y / February / 29), orm::data_error);
}

TEST_CASE("UUIDs parse, print and generate version 4", "[types]") {
    const auto u = orm::uuid::parse("00112233-4455-6677-8899-AABBCCDDEEFF");
    CHECK(u.to_string() == "00112233-4455-6677-8899-aabbccddeeff");
    CHECK(std::to_integer<int>(u.bytes[15]) == 0xFF);
    CHECK_THROWS_AS(orm::uuid::parse("00112233-4455-6677-8899-AABBCCDDEEF"), orm::data_error);
    CHECK_THROWS_AS(orm::uuid::parse("00112233x4455-6677-8899-AABBCCDDEEFF"), orm::data_error);
    const auto r = orm::uuid::random();
    CHECK(r.to_string()[14] == '4');
    CHECK(r != orm::uuid::random());
}

TEST_CASE("TIME text: sign, hours past 24, fractions", "[types]") {
    CHECK(orm::to_value(-std::chrono::seconds{1}) == orm::value{std::string("-00:00:01")});
    CHECK(orm::to_value(std::chrono::microseconds{-1}) == orm::value{std::string("-00:00:00.000001")});
    CHECK(orm::to_value(std::chrono::seconds{std::chrono::hours{100}}) == orm::value{std::string("100:00:00")});
    CHECK(orm::from_value<std::chrono::milliseconds>(orm::value{std::string("-838:59:59.999")}) ==
          -(std::chrono::hours{838} + std::chrono::minutes{59} + std::chrono::seconds{59} + std::chrono::milliseconds{999}));
    CHECK_THROWS_AS(orm::from_value<std::chrono::seconds>(orm::value{std::string("00:00:00.5")}), orm::data_error);
    CHECK_THROWS_AS(orm::from_value<std::chrono::seconds>(orm::value{std::string("1:60:00")}), orm::data_error);
    CHECK_THROWS_AS(orm::to_value(std::chrono::seconds{std::chrono::hours{839}}), orm::data_error);
}

TEST_CASE("TIME text with overlong digit runs is a data_error, not an integer overflow", "[types][regression]") {
    // Runs of digits longer than int64 holds used to overflow (UB) while parsing.
    const char* bad[] = {"99999999999999999999999:00:00", "1:00:99999999999999999999999", "1:99999999999999999999999:00",
                         "00:00:00.99999999999999999999999", "-9999999999:00:00"};
    for (const char* text : bad) {
        INFO(text);
        CHECK_THROWS_AS(orm::from_value<std::chrono::microseconds>(orm::value{std::string(text)}), orm::data_error);
    }
    // Nine hour digits are the most accepted; they still read exactly.
    CHECK(orm::from_value<std::chrono::seconds>(orm::value{std::string("999999999:00:00")}) == std::chrono::hours{999999999});
}

TEST_CASE("a double beyond float's range reads into a float field as a data_error", "[types][regression]") {
    // Converting it was undefined behaviour and read as an infinity that could not be written back.
    CHECK_THROWS_AS(orm::from_value<float>(orm::value{1e300}), orm::data_error);
    CHECK_THROWS_AS(orm::from_value<float>(orm::value{-1e39}), orm::data_error);
    CHECK_THROWS_AS(orm::from_value<float>(orm::value{std::string("1e200")}), orm::data_error);
    CHECK(orm::from_value<float>(orm::value{3.0e38}) == 3.0e38f);
    CHECK(orm::from_value<double>(orm::value{1e300}) == 1e300);
}

TEST_CASE("decimal parsing, comparison and text", "[types]") {
    CHECK(orm::decimal("-007.500").to_string() == "-7.5");
    CHECK(orm::decimal("0.50") == orm::decimal(".5"));
    CHECK(orm::decimal("-0.0").to_string() == "0");
    CHECK(orm::decimal("10") > orm::decimal("9.999"));
    CHECK(orm::decimal("-10") < orm::decimal("-9.999"));
    CHECK(orm::decimal("0.5").integer_digits() == 0);
    CHECK(orm::decimal("123.45").scale() == 2);
    CHECK_THROWS_AS(orm::decimal("1e5"), orm::data_error);
    CHECK_THROWS_AS(orm::decimal("."), orm::data_error);
    // A floating-point value (a NUMERIC column another tool wrote) reads as the shortest decimal that is that double.
    CHECK(orm::from_value<orm::decimal>(orm::value{0.98999999999999999}) == orm::decimal("0.99"));
    CHECK(orm::from_value<orm::decimal>(orm::value{0.1}).to_string() == "0.1");
    CHECK(orm::from_value<orm::decimal>(orm::value{-1234.5}).to_string() == "-1234.5");
    CHECK(orm::from_value<orm::decimal>(orm::value{1e20}).to_string() == "100000000000000000000");
}

TEST_CASE("decimals as scaled integers (SQLite's storage)", "[types]") {
    CHECK(orm::decimal("9.99").scaled(2) == 999);
    CHECK(orm::decimal("-0.01").scaled(2) == -1);
    CHECK(orm::decimal("10").scaled(2) == 1000);
    CHECK(orm::decimal("99999999.99").scaled(2) == 9999999999);
    CHECK(orm::decimal("9.995").scaled(2) == std::nullopt);  // not exact at scale 2: never rounded
    CHECK(orm::decimal("9223372036854775807").scaled(0) == INT64_MAX);
    CHECK(orm::decimal("-9223372036854775808").scaled(0) == INT64_MIN);
    CHECK(orm::decimal("9223372036854775808").scaled(0) == std::nullopt);
    CHECK(orm::decimal::from_scaled(-999, 2).to_string() == "-9.99");
    CHECK(orm::decimal::from_scaled(5, 3).to_string() == "0.005");
    CHECK(orm::decimal::from_scaled(-5, 3).to_string() == "-0.005");
    CHECK(orm::decimal::from_scaled(INT64_MIN, 0).to_string() == "-9223372036854775808");
    CHECK(orm::decimal::from_scaled(1000, 2) == orm::decimal("10"));
}

TEST_CASE("date-time text has zero-padded fields and the requested fraction digits", "[types]") {
    using orm::detail::format_datetime;
    const std::int64_t micros = (sys_days{2026y / March / 4} + 5h + 6min + 7s).time_since_epoch().count() * 1'000'000 + 89'012;
    CHECK(format_datetime(micros, 0) == "2026-03-04 05:06:07");
    CHECK(format_datetime(micros, 3) == "2026-03-04 05:06:07.089");
    CHECK(format_datetime(micros, 6) == "2026-03-04 05:06:07.089012");
    const std::int64_t year_one = duration_cast<microseconds>((sys_days{1y / January / 1} + 23h + 59min + 59s).time_since_epoch()).count();
    CHECK(format_datetime(year_one, 0) == "0001-01-01 23:59:59");
    CHECK(format_datetime(-1, 6) == "1969-12-31 23:59:59.999999");
    const std::int64_t last = duration_cast<microseconds>((sys_days{9999y / December / 31} + 23h + 59min + 59s).time_since_epoch()).count();
    CHECK(format_datetime(last + 999'999, 6) == "9999-12-31 23:59:59.999999");
    const std::int64_t past_9999 = duration_cast<microseconds>(sys_days{10000y / January / 2}.time_since_epoch()).count();
    CHECK_THROWS_AS(format_datetime(past_9999, 0), orm::data_error);  // no SQL DATETIME holds it
}

TEST_CASE("dates and date-times outside the years 0000-9999 are a data_error when converted for writing", "[types]") {
    for (const int y : {10000, -1, 32767}) {
        INFO(y);
        const year_month_day day{year{y}, January, std::chrono::day{1}};
        CHECK_THROWS_AS(orm::to_value(day), orm::data_error);
        CHECK_THROWS_WITH(orm::to_value(day), Catch::Contains("0000") && Catch::Contains("9999"));
        CHECK_THROWS_AS(orm::to_value(sys_seconds{sys_days{day}}), orm::data_error);
        CHECK_THROWS_AS(orm::to_value(sys_time<microseconds>{sys_days{day}}), orm::data_error);
    }
    CHECK(orm::to_value(year_month_day{0y / January / 1}) == orm::value{std::string("0000-01-01")});
    CHECK(orm::to_value(year_month_day{9999y / December / 31}) == orm::value{std::string("9999-12-31")});
    CHECK(orm::to_value(sys_seconds{sys_days{0y / January / 1}}) == orm::value{std::string("0000-01-01 00:00:00")});
}

TEST_CASE("displayed text doubles its quotes, as SQL does, so a logged value is unambiguous", "[types][logging]") {
    CHECK(orm::to_display_string(orm::value{std::string("it's")}) == "'it''s'");
    CHECK(orm::to_display_string(orm::value{std::string("'")}) == "''''");
    CHECK(orm::to_display_string(orm::value{std::string("a', 'b")}) == "'a'', ''b'");
    CHECK(orm::to_display_string(orm::value{std::string()}) == "''");
    // A long text is cut first, then quoted: a pair of quotes is never split.
    const std::string long_text = std::string(63, 'x') + "'" + std::string(36, 'y');
    CHECK(orm::to_display_string(orm::value{long_text}) == "'" + std::string(63, 'x') + "''...' (100 bytes)");
}
