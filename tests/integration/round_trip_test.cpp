// Every supported type round-trips exactly, edge values included.
#include <catch2/catch.hpp>

#include <limits>

#include "../support/backend.hpp"
#include "../support/models.hpp"

using namespace models;
using namespace std::chrono;

namespace {

Everything extremes() {
    Everything e;
    e.flag = true;
    e.i8 = std::numeric_limits<std::int8_t>::min();
    e.u8 = std::numeric_limits<std::uint8_t>::max();
    e.i16 = std::numeric_limits<std::int16_t>::min();
    e.u16 = std::numeric_limits<std::uint16_t>::max();
    e.i32 = std::numeric_limits<std::int32_t>::min();
    e.u32 = std::numeric_limits<std::uint32_t>::max();
    e.i64 = std::numeric_limits<std::int64_t>::min();
    e.u64 = std::numeric_limits<std::uint64_t>::max();
    e.f32 = 0.1f;
    e.f64 = -1.7976931348623157e308;
    static constexpr char with_nul[] = "nul\0byte and \xF0\x9F\x98\x80 emoji";
    e.text = std::string(with_nul, sizeof with_nul - 1);
    e.short_text = "\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80";  // 5 characters
    e.bytes = {std::byte{0}, std::byte{255}, std::byte{0}};
    e.octets = {};
    e.at = sys_seconds{seconds{2147483647}};  // the 2038 boundary
    e.at_us = sys_days{2024y / February / 29} + 23h + 59min + 59s + 999999us;
    e.day = 2024y / February / 29;
    e.color = Color::blue;
    e.level = Level::high;
    e.maybe_int = -7;
    e.maybe_text = "";
    e.maybe_at = sys_seconds{sys_days{1970y / January / 1}};
    e.maybe_color = Color::green;
    return e;
}

void check_equal(const Everything& a, const Everything& b) {
    CHECK(a.id == b.id);
    CHECK(a.flag == b.flag);
    CHECK(a.i8 == b.i8);
    CHECK(a.u8 == b.u8);
    CHECK(a.i16 == b.i16);
    CHECK(a.u16 == b.u16);
    CHECK(a.i32 == b.i32);
    CHECK(a.u32 == b.u32);
    CHECK(a.i64 == b.i64);
    CHECK(a.u64 == b.u64);
    CHECK(a.f32 == b.f32);
    CHECK(a.f64 == b.f64);
    CHECK(a.text == b.text);
    CHECK(a.short_text == b.short_text);
    CHECK(a.bytes == b.bytes);
    CHECK(a.octets == b.octets);
    CHECK(a.at == b.at);
    CHECK(a.at_us == b.at_us);
    CHECK(a.day == b.day);
    CHECK(a.color == b.color);
    CHECK(a.level == b.level);
    CHECK(a.maybe_int == b.maybe_int);
    CHECK(a.maybe_text == b.maybe_text);
    CHECK(a.maybe_at == b.maybe_at);
    CHECK(a.maybe_color == b.maybe_color);
}

}  // namespace

TEST_CASE("extreme values of every type round-trip exactly", "[types][round-trip]") {
    auto db = orm_test::fresh_engine<Everything>();
    auto conn = db.connect();
    Everything original = extremes();
    conn.insert(original);
    REQUIRE(original.id > 0);
    auto loaded = conn.get<Everything>(original.id);
    REQUIRE(loaded);
    check_equal(*loaded, original);
}

TEST_CASE("zero, empty and NULL values round-trip exactly", "[types][round-trip]") {
    auto db = orm_test::fresh_engine<Everything>();
    auto conn = db.connect();
    Everything zero;  // every field at its default: 0, "", empty blobs, the epoch, NULLs
    zero.at = sys_seconds{};
    zero.at_us = sys_time<microseconds>{};
    zero.day = 1970y / January / 1;
    conn.insert(zero);
    auto loaded = conn.get<Everything>(zero.id);
    REQUIRE(loaded);
    check_equal(*loaded, zero);
    CHECK_FALSE(loaded->maybe_text.has_value());
    CHECK(conn.execute("SELECT bytes FROM everything WHERE id = ?", zero.id).front()[0] != orm::value{orm::null});
}

TEST_CASE("the other extreme of each integer width, and negatives", "[types][round-trip]") {
    auto db = orm_test::fresh_engine<Everything>();
    auto conn = db.connect();
    Everything e = extremes();
    e.flag = false;
    e.i8 = std::numeric_limits<std::int8_t>::max();
    e.i16 = std::numeric_limits<std::int16_t>::max();
    e.i32 = std::numeric_limits<std::int32_t>::max();
    e.i64 = std::numeric_limits<std::int64_t>::max();
    e.u64 = 9223372036854775808ull;  // INT64_MAX + 1
    e.f32 = -3.4028235e38f;
    e.f64 = 4.9406564584124654e-324;  // the smallest denormal
    e.level = Level::low;
    e.at = sys_days{1000y / January / 1};
    e.maybe_int = std::numeric_limits<std::int32_t>::min();
    conn.insert(e);
    auto loaded = conn.get<Everything>(e.id);
    REQUIRE(loaded);
    check_equal(*loaded, e);
}
