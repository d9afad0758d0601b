// Property: for many random values of every type, write then read gives the
// same value (seeded, so a failure reproduces), on every backend.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>

#include "../support/backend.hpp"

using namespace models;
using namespace std::chrono;

namespace {

struct generator {
    std::mt19937_64 rng{20261124};

    template <class I>
    I integer() {
        return static_cast<I>(rng());
    }
    double real() {  // any finite double, including subnormals and huge magnitudes
        for (;;) {
            const std::uint64_t bits = rng();
            double d;
            std::memcpy(&d, &bits, sizeof d);
            if (std::isfinite(d)) return d;
        }
    }
    float real32() {
        for (;;) {
            const auto bits = static_cast<std::uint32_t>(rng());
            float f;
            std::memcpy(&f, &bits, sizeof f);
            if (std::isfinite(f)) return f;
        }
    }
    std::string utf8(std::size_t max_chars) {  // random code points of 1 to 4 bytes, NUL included
        std::string out;
        const std::size_t n = rng() % (max_chars + 1);
        for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t cp = 0;
            switch (rng() % 4) {
                case 0: cp = rng() % 0x80; break;
                case 1: cp = 0x80 + rng() % (0x800 - 0x80); break;
                case 2: cp = 0x800 + rng() % (0x10000 - 0x800); if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xE000; break;
                default: cp = 0x10000 + rng() % (0x110000 - 0x10000);
            }
            if (cp < 0x80) out += static_cast<char>(cp);
            else if (cp < 0x800) out += {static_cast<char>(0xC0 | cp >> 6), static_cast<char>(0x80 | (cp & 0x3F))};
            else if (cp < 0x10000)
                out += {static_cast<char>(0xE0 | cp >> 12), static_cast<char>(0x80 | (cp >> 6 & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
            else
                out += {static_cast<char>(0xF0 | cp >> 18), static_cast<char>(0x80 | (cp >> 12 & 0x3F)),
                        static_cast<char>(0x80 | (cp >> 6 & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
        }
        return out;
    }
    template <class Byte>
    std::vector<Byte> bytes(std::size_t max) {
        std::vector<Byte> out(rng() % (max + 1));
        for (auto& b : out) b = static_cast<Byte>(rng());
        return out;
    }
    template <class D>
    sys_time<D> instant() {  // 1000-01-01 .. 9999-12-31, MySQL's DATETIME range
        const auto low = sys_days{1000y / January / 1}.time_since_epoch();
        const auto high = sys_days{9999y / December / 31}.time_since_epoch() + days{1};
        const auto span = duration_cast<D>(high - low).count();
        return sys_time<D>{duration_cast<D>(low) + D{static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span))}};
    }
};

}  // namespace

TEST_CASE("random values of every column type round-trip exactly", "[types][property]") {
    auto db = orm_test::fresh_engine<Everything, Extras, Invoice>();
    auto conn = db.connect();
    generator g;
    std::vector<Everything> rows(150);
    for (auto& e : rows) {
        e.flag = g.rng() % 2;
        e.i8 = g.integer<std::int8_t>();
        e.u8 = g.integer<std::uint8_t>();
        e.i16 = g.integer<std::int16_t>();
        e.u16 = g.integer<std::uint16_t>();
        e.i32 = g.integer<std::int32_t>();
        e.u32 = g.integer<std::uint32_t>();
        e.i64 = g.integer<std::int64_t>();
        e.u64 = g.integer<std::uint64_t>();
        e.f32 = g.real32();
        e.f64 = g.real();
        e.text = g.utf8(300);
        e.short_text = g.utf8(5);
        e.bytes = g.bytes<std::byte>(300);
        e.octets = g.bytes<std::uint8_t>(10);
        e.at = g.instant<seconds>();
        e.at_us = g.instant<microseconds>();
        e.day = year_month_day{floor<days>(g.instant<seconds>())};
        e.color = std::array{Color::red, Color::green, Color::blue}[g.rng() % 3];
        e.level = g.rng() % 2 ? Level::low : Level::high;
        if (g.rng() % 2) e.maybe_int = g.integer<std::int32_t>();
        if (g.rng() % 2) e.maybe_text = g.utf8(20);
        if (g.rng() % 2) e.maybe_at = g.instant<seconds>();
        if (g.rng() % 2) e.maybe_color = Color::green;
    }
    conn.insert_many(rows);
    auto loaded = conn.select<Everything>().order_by(orm::asc(&Everything::id)).all();
    REQUIRE(loaded.size() == rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO("row " << i);
        CHECK(boost::pfr::eq(loaded[i], rows[i]));
    }

    std::vector<Extras> extras(100);
    std::vector<Invoice> invoices(100);
    for (std::size_t i = 0; i < extras.size(); ++i) {
        auto& x = extras[i];
        const std::int64_t time_limit = (838LL * 3600 + 59 * 60 + 59) * 1'000'000 + 999'999;
        x.precise = microseconds{static_cast<std::int64_t>(g.rng() % (2 * time_limit + 1)) - time_limit};
        x.span = seconds{static_cast<std::int64_t>(g.rng() % (2 * 3'020'399 + 1)) - 3'020'399};
        x.clock = hh_mm_ss<seconds>{seconds{static_cast<std::int64_t>(g.rng() % 86'400)}};
        x.token = orm::uuid::random();
        x.at_ms = g.instant<milliseconds>();
        x.note = g.utf8(40);
        x.mood = static_cast<Mood>(g.rng() % 3);
        std::string digits = std::to_string(g.rng() % 10'000'000'000ULL) + "." + std::to_string(g.rng() % 100);
        invoices[i].total = orm::decimal((g.rng() % 2 ? "-" : "") + digits);
    }
    conn.insert_many(extras);
    conn.insert_many(invoices);
    auto extras_back = conn.select<Extras>().order_by(orm::asc(&Extras::id)).all();
    auto invoices_back = conn.select<Invoice>().order_by(orm::asc(&Invoice::id)).all();
    REQUIRE(extras_back.size() == extras.size());
    for (std::size_t i = 0; i < extras.size(); ++i) {
        INFO("extras row " << i);
        CHECK(extras_back[i].precise == extras[i].precise);
        CHECK(extras_back[i].span == extras[i].span);
        CHECK(extras_back[i].clock.to_duration() == extras[i].clock.to_duration());
        CHECK(extras_back[i].token == extras[i].token);
        CHECK(extras_back[i].at_ms == extras[i].at_ms);
        CHECK(extras_back[i].note == extras[i].note);
        CHECK(extras_back[i].mood == extras[i].mood);
        CHECK(invoices_back[i].total == invoices[i].total);
    }
}
