#pragma once
// Models shared by the dry and behavioural tests.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <orm/json.hpp>
#include <orm/orm.hpp>

namespace models {

struct Author {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
};

struct Book {
    std::int64_t id = 0;
    std::int64_t author_id = 0;
    std::string title;
    double price = 0;
    std::optional<std::string> isbn;
};

enum class Color : std::uint8_t { red = 1, green = 2, blue = 255 };
enum class Level : std::int64_t { low = -1, high = 9'000'000'000 };

/// One field of every supported column type.
struct Everything {
    std::int64_t id = 0;
    bool flag = false;
    std::int8_t i8 = 0;
    std::uint8_t u8 = 0;
    std::int16_t i16 = 0;
    std::uint16_t u16 = 0;
    std::int32_t i32 = 0;
    std::uint32_t u32 = 0;
    std::int64_t i64 = 0;
    std::uint64_t u64 = 0;
    float f32 = 0;
    double f64 = 0;
    std::string text;
    std::string short_text;
    std::vector<std::byte> bytes;
    std::vector<std::uint8_t> octets;
    std::chrono::sys_seconds at{};
    std::chrono::sys_time<std::chrono::microseconds> at_us{};
    std::chrono::year_month_day day{std::chrono::year{1970}, std::chrono::January, std::chrono::day{1}};
    Color color = Color::red;
    Level level = Level::low;
    std::optional<std::int32_t> maybe_int;
    std::optional<std::string> maybe_text;
    std::optional<std::chrono::sys_seconds> maybe_at;
    std::optional<Color> maybe_color;
};

/// A composite primary key and renamed columns.
struct OrderLine {
    std::int64_t order_id = 0;
    std::int32_t number = 0;
    std::string sku;
    std::int32_t quantity = 0;
};

/// A self-referencing table with a declared key that is not called `id`.
struct Category {
    std::int32_t code = 0;
    std::optional<std::int32_t> parent_code;
    std::string label;
};

/// Optimistic concurrency: a version counter and an updated_at stamp.
struct Document {
    std::int64_t id = 0;
    std::string title;
    std::int64_t version = 0;
    std::optional<std::chrono::sys_seconds> updated_at;
};

/// Stored by name (one opt-in line below).
enum class Mood { happy, sad, in_between };

/// Time-of-day and duration columns, UUIDs, fixed-size binary, enum names.
struct Extras {
    std::int64_t id = 0;
    std::chrono::seconds span{};
    std::chrono::microseconds precise{};
    std::chrono::hh_mm_ss<std::chrono::seconds> clock{};
    orm::uuid token;
    std::array<std::byte, 4> tag{};
    std::optional<orm::uuid> maybe_token;
    std::chrono::sys_time<std::chrono::milliseconds> at_ms{};
    std::string note;
    Mood mood = Mood::happy;
    std::optional<Mood> maybe_mood;
};

// docs/mapping.md shows the custom types between the markers (and their type_traits below).
// [custom-type-structs]
/// A user type stored as BIGINT cents (the documented custom-type example).
struct Money {
    std::int64_t cents = 0;
    friend bool operator==(const Money&, const Money&) = default;
};

/// A user type stored as INT UNSIGNED.
struct IPv4 {
    std::array<std::uint8_t, 4> octets{};
    friend bool operator==(const IPv4&, const IPv4&) = default;
};

struct Wallet {
    std::int64_t id = 0;
    Money balance;
    IPv4 last_ip;
    std::optional<Money> limit;
};
// [/custom-type-structs]

/// Exact decimals.
struct Invoice {
    std::int64_t id = 0;
    orm::decimal total;
    std::optional<orm::decimal> discount;
};

/// JSON documents and a TIMESTAMP column.
struct Event {
    std::int64_t id = 0;
    nlohmann::json payload;
    std::optional<orm::json_text> raw;
    std::chrono::sys_seconds seen{std::chrono::seconds{1}};
};

/// Rows two transactions fight over (deadlock tests).
struct Account {
    std::int64_t id = 0;
    std::int64_t balance = 0;
};

}  // namespace models

template <>
inline constexpr bool orm::enum_as_name<models::Mood> = true;

template <>
struct orm::model<models::Event> {
    static constexpr auto columns = orm::columns(orm::column(&models::Event::seen, orm::timestamp));
};

template <>
struct orm::model<models::Invoice> {
    static constexpr auto columns = orm::columns(orm::column(&models::Invoice::total, orm::precision(12, 2)));
};

// [custom-type-traits]
template <>
struct orm::type_traits<models::Money> {
    static constexpr orm::sql_type sql = orm::type_traits<std::int64_t>::sql;
    static orm::value to_value(const models::Money& m) { return m.cents; }
    static models::Money from_value(const orm::value& v) { return {orm::type_traits<std::int64_t>::from_value(v)}; }
};

template <>
struct orm::type_traits<models::IPv4> {
    static constexpr orm::sql_type sql = orm::type_traits<std::uint32_t>::sql;
    static orm::value to_value(const models::IPv4& ip) {
        return std::uint64_t{(std::uint64_t{ip.octets[0]} << 24) | (std::uint64_t{ip.octets[1]} << 16) |
                             (std::uint64_t{ip.octets[2]} << 8) | ip.octets[3]};
    }
    static models::IPv4 from_value(const orm::value& v) {
        const auto n = orm::type_traits<std::uint32_t>::from_value(v);
        return {{static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                 static_cast<std::uint8_t>(n)}};
    }
};
// [/custom-type-traits]

template <>
struct orm::model<models::Document> {
    static constexpr auto version = &models::Document::version;
};

template <>
struct orm::model<models::Book> {
    static constexpr auto table = "books";
    static constexpr auto columns = orm::columns(
        orm::column(&models::Book::title, orm::length(200), orm::index),
        orm::column(&models::Book::isbn, orm::length(13), orm::unique),
        orm::foreign_key(&models::Book::author_id, &models::Author::id, orm::on_delete::cascade));
};

template <>
struct orm::model<models::Everything> {
    static constexpr auto columns = orm::columns(orm::column(&models::Everything::short_text, orm::length(5)));
};

template <>
struct orm::model<models::OrderLine> {
    static constexpr auto table = "order_lines";
    static constexpr auto primary_key = orm::primary_key(&models::OrderLine::order_id, &models::OrderLine::number);
    static constexpr auto columns = orm::columns(orm::column(&models::OrderLine::quantity, orm::name("qty"),
                                                             orm::server_default("1")));
    static constexpr auto indexes = orm::indexes(orm::index("ix_order_lines_sku_qty", &models::OrderLine::sku,
                                                            &models::OrderLine::quantity));
};

template <>
struct orm::model<models::Category> {
    static constexpr auto columns = orm::columns(
        orm::column(&models::Category::code, orm::primary_key, orm::no_auto_increment),
        orm::foreign_key(&models::Category::parent_code, &models::Category::code, orm::on_delete::set_null),
        orm::column(&models::Category::label, orm::length(50), orm::unique));
};
