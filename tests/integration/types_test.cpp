// More column types round-trip exactly; values a column cannot hold are refused before anything is written.
#include <catch2/catch.hpp>

#include <limits>

#include "../support/backend.hpp"

using namespace models;
using namespace std::chrono;


TEST_CASE("TIME durations at MySQL's limits, times of day, UUIDs, BINARY(n) and milliseconds round-trip", "[types][round-trip]") {
    auto db = orm_test::fresh_engine<Extras>();
    auto conn = db.connect();
    Extras e;
    e.span = hours{838} + minutes{59} + seconds{59};
    e.precise = -(hours{838} + minutes{59} + seconds{59} + microseconds{999999});
    e.clock = hh_mm_ss<seconds>{hours{23} + minutes{59} + seconds{59}};
    e.token = orm::uuid::parse("123E4567-E89B-12D3-A456-426614174000");
    e.tag = {std::byte{0}, std::byte{1}, std::byte{0}, std::byte{255}};
    e.at_ms = sys_time<milliseconds>{milliseconds{1}};
    e.note = "\xF0\x9F\x98\x80";
    conn.insert(e);
    auto back = conn.get<Extras>(e.id);
    REQUIRE(back);
    CHECK(back->span == e.span);
    CHECK(back->precise == e.precise);
    CHECK(back->clock.to_duration() == e.clock.to_duration());
    CHECK(back->token == e.token);
    CHECK(back->token.to_string() == "123e4567-e89b-12d3-a456-426614174000");
    CHECK(back->tag == e.tag);
    CHECK_FALSE(back->maybe_token.has_value());
    CHECK(back->at_ms == e.at_ms);
    CHECK(back->note == e.note);
    CHECK(back->mood == Mood::happy);
    CHECK_FALSE(back->maybe_mood.has_value());

    Extras zero;
    zero.token = orm::uuid::random();
    zero.maybe_token = zero.token;
    conn.insert(zero);
    auto z = conn.get<Extras>(zero.id);
    CHECK(z->span == seconds{0});
    CHECK(z->maybe_token == zero.token);
    CHECK(conn.select<Extras>().where(orm::col(&Extras::token) == zero.token).count() == 1);  // a UUID in a WHERE
}

TEST_CASE("values a column cannot hold are refused with data_error and nothing is written", "[types][errors]") {
    auto db = orm_test::fresh_engine<Extras>();
    auto conn = db.connect();
    Extras too_long;
    too_long.span = hours{839};
    CHECK_THROWS_AS(conn.insert(too_long), orm::data_error);
    Extras bad_clock;
    bad_clock.clock = hh_mm_ss<seconds>{hours{24}};
    CHECK_THROWS_AS(conn.insert(bad_clock), orm::data_error);
    Extras bad_text;
    bad_text.note = "\xC3\x28";  // an invalid UTF-8 sequence
    CHECK_THROWS_WITH(conn.insert(bad_text), Catch::Contains("UTF-8"));
    bad_text.note = "\xED\xA0\x80";  // a UTF-16 surrogate encoded in UTF-8
    CHECK_THROWS_AS(conn.insert(bad_text), orm::data_error);
    CHECK_THROWS_AS(conn.execute("INSERT INTO extras (note) VALUES (?)", std::string("\xFF")), orm::data_error);
    CHECK(orm_test::count_rows(db, "extras") == 0);
}

TEST_CASE("enums stored by name: every value round-trips, the text is the name, an unknown name is a data_error", "[types]") {
    auto db = orm_test::fresh_engine<Extras>();
    auto conn = db.connect();
    for (Mood m : {Mood::happy, Mood::sad, Mood::in_between}) {
        Extras e;
        e.mood = m;
        e.maybe_mood = m;
        conn.insert(e);
        auto back = conn.get<Extras>(e.id);
        CHECK(back->mood == m);
        CHECK(back->maybe_mood == m);
    }
    CHECK(conn.execute("SELECT mood FROM extras ORDER BY id").at(2).get<std::string>(0) == "in_between");
    CHECK(conn.select<Extras>().where(orm::col(&Extras::mood) == Mood::sad).count() == 1);
    conn.execute("UPDATE extras SET mood = ? WHERE id = ?", "furious", 1);
    CHECK_THROWS_WITH(conn.get<Extras>(std::int64_t{1}), Catch::Contains("extras.mood") && Catch::Contains("not a name"));
    CHECK_THROWS_AS(orm::to_value(static_cast<Mood>(42)), orm::data_error);
}

TEST_CASE("custom types (Money as cents, IPv4 as an unsigned integer) round-trip and filter", "[types]") {
    auto db = orm_test::fresh_engine<Wallet>();
    auto conn = db.connect();
    Wallet rich{.balance = {123456789}, .last_ip = {{192, 168, 1, 254}}, .limit = Money{500}};
    Wallet poor{.balance = {-5}, .last_ip = {{255, 255, 255, 255}}};
    conn.insert(rich);
    conn.insert(poor);
    auto back = conn.get<Wallet>(rich.id);
    CHECK(back->balance == rich.balance);
    CHECK(back->last_ip == rich.last_ip);
    CHECK(back->limit == Money{500});
    CHECK(conn.get<Wallet>(poor.id)->last_ip == poor.last_ip);
    auto positive = conn.select<Wallet>().where(orm::col(&Wallet::balance) > Money{0}).all();
    REQUIRE(positive.size() == 1);
    CHECK(positive[0].id == rich.id);
    CHECK(conn.execute("SELECT last_ip FROM wallet WHERE id = ?", poor.id).scalar<std::uint32_t>() == 4294967295u);
}

TEST_CASE("decimals keep every digit, and never round: too many digits is a data_error", "[types]") {
    auto db = orm_test::fresh_engine<Invoice>();
    auto conn = db.connect();
    const char* totals[] = {"9999999999.99", "-9999999999.99", "-0.01", "0", "12.3", "0.5"};
    for (const char* t : totals) {
        Invoice i{.total = orm::decimal(t), .discount = orm::decimal("1234567890123456789012345678.1234567891")};
        conn.insert(i);
        auto back = conn.get<Invoice>(i.id);
        CHECK(back->total == orm::decimal(t));
        CHECK(back->discount->to_string() == "1234567890123456789012345678.1234567891");
    }
    Invoice too_precise{.total = orm::decimal("12.345")};
    CHECK_THROWS_WITH(conn.insert(too_precise), Catch::Contains("DECIMAL(12, 2)") && Catch::Contains("without rounding"));
    Invoice too_big{.total = orm::decimal("10000000000")};
    CHECK_THROWS_AS(conn.insert(too_big), orm::data_error);
    CHECK(conn.select<Invoice>().count() == 6);
    CHECK(conn.select<Invoice>().where(orm::col(&Invoice::total) == orm::decimal("12.30")).count() == 1);
}

TEST_CASE("JSON documents round-trip, invalid JSON is a data_error, TIMESTAMP keeps to its range", "[types]") {
    auto db = orm_test::fresh_engine<Event>();
    auto conn = db.connect();
    Event e;
    e.payload = nlohmann::json{{"name", "Ada"}, {"tags", {1, 2, 3}}, {"nested", {{"ok", true}}}, {"emoji", "\xF0\x9F\x98\x80"}};
    e.raw = orm::json_text{R"([1, "two", null])"};
    e.seen = sys_days{2038y / January / 19} + hours{3} + minutes{14} + seconds{7};
    conn.insert(e);
    auto back = conn.get<Event>(e.id);
    CHECK(back->payload == e.payload);
    CHECK(nlohmann::json::parse(back->raw->text) == nlohmann::json::parse(e.raw->text));
    CHECK(back->seen == e.seen);

    Event bad;
    bad.raw = orm::json_text{"{not json"};
    CHECK_THROWS_AS(conn.insert(bad), orm::data_error);
    Event too_late;
    too_late.seen = e.seen + seconds{1};
    CHECK_THROWS_WITH(conn.insert(too_late), Catch::Contains("TIMESTAMP range"));
    CHECK(conn.select<Event>().count() == 1);
    // The database itself refuses invalid JSON too (MariaDB's JSON CHECK, SQLite's json_valid CHECK).
    CHECK_THROWS_AS(conn.execute("UPDATE event SET payload = ? WHERE id = ?", "{oops", e.id), orm::integrity_error);
}

TEST_CASE("NaN, infinities and impossible dates are refused before the INSERT, and nothing is written", "[types][errors]") {
    auto db = orm_test::fresh_engine<Everything>();
    auto conn = db.connect();
    Everything nan;
    nan.f64 = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(conn.insert(nan), orm::data_error);
    Everything inf;
    inf.f32 = -std::numeric_limits<float>::infinity();
    CHECK_THROWS_AS(conn.insert(inf), orm::data_error);
    Everything feb30;
    feb30.day = 2023y / February / 30;
    CHECK_THROWS_AS(conn.insert(feb30), orm::data_error);
    CHECK(conn.select<Everything>().count() == 0);
}

namespace {
/// Dates and times read straight from the text a driver lends.
struct when_row {
    std::optional<sys_seconds> at;
    std::optional<year_month_day> day;
    std::optional<std::chrono::milliseconds> span;
    std::string label;
};
}  // namespace

TEST_CASE("dates, times and text read from lent text: exact values, NULLs, and a data_error naming the column", "[types][errors]") {
    auto db = orm_test::make_engine();
    auto conn = db.connect();
    const std::string cast_dt = orm_test::is_mysql() ? "CAST('2024-02-29 23:59:58' AS DATETIME)" : "'2024-02-29 23:59:58'";
    const std::string cast_d = orm_test::is_mysql() ? "CAST('1999-12-31' AS DATE)" : "'1999-12-31'";
    const std::string cast_t = orm_test::is_mysql() ? "CAST('-01:02:03.250' AS TIME(3))" : "'-01:02:03.250'";
    auto rows = conn.query<when_row>("SELECT " + cast_dt + " AS at, " + cast_d + " AS day, " + cast_t + " AS span, 'x' AS label");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at == sys_days{2024y / 2 / 29} + hours{23} + minutes{59} + seconds{58});
    CHECK(rows[0].day == year_month_day{1999y / 12 / 31});
    CHECK(rows[0].span == -(hours{1} + minutes{2} + seconds{3} + milliseconds{250}));
    CHECK(rows[0].label == "x");

    auto nulls = conn.query<when_row>("SELECT NULL AS at, NULL AS day, NULL AS span, '' AS label");
    REQUIRE(nulls.size() == 1);
    CHECK_FALSE(nulls[0].at.has_value());
    CHECK_FALSE(nulls[0].day.has_value());
    CHECK_FALSE(nulls[0].span.has_value());
    CHECK(nulls[0].label.empty());

    try {
        conn.query<when_row>("SELECT 'not a date' AS at, NULL AS day, NULL AS span, 'x' AS label");
        FAIL("no data_error for text that is not a date-time");
    } catch (const orm::data_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("at") && Catch::Contains("not a date"));
    }
    // A fraction finer than the field's resolution cannot be read without loss.
    CHECK_THROWS_AS(conn.query<when_row>("SELECT NULL AS at, NULL AS day, '00:00:01.0005' AS span, 'x' AS label"), orm::data_error);
}

TEST_CASE("a date or date-time outside the years 0000-9999 is refused when written, and the table stays readable", "[types][errors]") {
    auto db = orm_test::fresh_engine<Everything>();
    auto conn = db.connect();
    Everything good;
    good.at = sys_seconds{sys_days{2024y / May / 6} + 7h};
    good.day = 2024y / May / 6;
    conn.insert(good);
    for (const int y : {10000, -1}) {
        INFO(y);
        const year_month_day day{year{y}, January, std::chrono::day{1}};
        Everything bad_day;
        bad_day.day = day;
        CHECK_THROWS_AS(conn.insert(bad_day), orm::data_error);
        Everything bad_at;
        bad_at.at = sys_seconds{sys_days{day}};
        CHECK_THROWS_AS(conn.insert(bad_at), orm::data_error);
        Everything changed = good;
        changed.maybe_at = sys_seconds{sys_days{day}};
        CHECK_THROWS_AS(conn.update(changed), orm::data_error);
        CHECK_THROWS_AS(conn.execute("UPDATE everything SET day = ? WHERE id = ?", day, good.id), orm::data_error);
        orm::session s(db);
        (void)s.add(Everything(bad_day));
        CHECK_THROWS_AS(s.commit(), orm::data_error);
    }
    const auto rows = conn.all<Everything>();  // readable: nothing out of range was stored
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].day == good.day);
    CHECK(rows[0].at == good.at);
    CHECK_FALSE(rows[0].maybe_at.has_value());
}
