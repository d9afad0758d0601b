#pragma once
// A small music store for the query tests: an employee hierarchy (a table that
// references itself), sales with two addresses (one parent joined twice), albums
// and their tracks (same-table correlated subqueries), exact prices.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <orm/orm.hpp>

namespace store {

struct Employee {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::int64_t> reports_to;  ///< the manager, another employee
    std::chrono::year_month_day hired{std::chrono::year{2020}, std::chrono::January, std::chrono::day{1}};
};

struct Address {
    std::int64_t id = 0;
    std::string city;
};

struct Sale {
    std::int64_t id = 0;
    std::int64_t billing_address_id = 0;
    std::int64_t shipping_address_id = 0;
    std::chrono::sys_seconds issued{};
    std::optional<std::string> note;
};

struct SaleLine {
    std::int64_t id = 0;
    std::int64_t sale_id = 0;
    orm::decimal unit_price;
    std::int32_t quantity = 0;
};

struct Album {
    std::int64_t id = 0;
    std::string title;
};

struct Track {
    std::int64_t id = 0;
    std::int64_t album_id = 0;
    std::string name;
    std::int64_t milliseconds = 0;
    double rating = 0;
};

/// Exact amounts for the decimal matrix.
struct Ledger {
    std::int64_t id = 0;
    std::string kind;
    orm::decimal amount;                 ///< DECIMAL(10, 2)
    std::optional<orm::decimal> adjust;  ///< DECIMAL(12, 4), NULL-able
    std::int32_t quantity = 0;
};

}  // namespace store

template <>
struct orm::model<store::Employee> {
    static constexpr auto columns = orm::columns(orm::column(&store::Employee::name, orm::length(60)),
                                                 orm::foreign_key(&store::Employee::reports_to, &store::Employee::id));
};
template <>
struct orm::model<store::Sale> {
    static constexpr auto columns = orm::columns(orm::foreign_key(&store::Sale::billing_address_id, &store::Address::id),
                                                 orm::foreign_key(&store::Sale::shipping_address_id, &store::Address::id));
};
template <>
struct orm::model<store::SaleLine> {
    static constexpr auto columns = orm::columns(orm::foreign_key(&store::SaleLine::sale_id, &store::Sale::id),
                                                 orm::column(&store::SaleLine::unit_price, orm::precision(10, 2)));
};
template <>
struct orm::model<store::Track> {
    static constexpr auto columns = orm::columns(orm::foreign_key(&store::Track::album_id, &store::Album::id));
};
template <>
struct orm::model<store::Ledger> {
    static constexpr auto columns = orm::columns(orm::column(&store::Ledger::kind, orm::length(4)),
                                                 orm::column(&store::Ledger::amount, orm::precision(10, 2)),
                                                 orm::column(&store::Ledger::adjust, orm::precision(12, 4)));
};

namespace store {
/// Table and column options: byte-exact text on one column, case-insensitive on another.
struct Label {
    std::int64_t id = 0;
    std::string exact;     ///< MariaDB utf8mb4_nopad_bin, SQLite BINARY: 'a' <> 'a ' and <> 'A'
    std::string folded;    ///< MariaDB utf8mb4_general_ci, SQLite NOCASE: 'A' = 'a'
};
/// A STRICT, WITHOUT ROWID SQLite table (and InnoDB with a row format on MariaDB).
struct Setting {
    std::string key;
    std::int64_t number = 0;
    std::optional<std::string> text;
    orm::decimal amount;
};
}  // namespace store

template <>
struct orm::model<store::Label> {
    static constexpr auto options = orm::table_options(orm::mysql::charset("utf8mb4"), orm::mysql::collation("utf8mb4_nopad_bin"));
    static constexpr auto columns = orm::columns(
        orm::column(&store::Label::exact, orm::length(20), orm::sqlite::collation("BINARY")),
        orm::column(&store::Label::folded, orm::length(20), orm::mysql::collation("utf8mb4_general_ci"), orm::sqlite::collation("NOCASE")));
};
template <>
struct orm::model<store::Setting> {
    static constexpr auto options =
        orm::table_options(orm::sqlite::strict, orm::sqlite::without_rowid, orm::mysql::engine("InnoDB"), orm::mysql::row_format("DYNAMIC"));
    static constexpr auto columns = orm::columns(orm::column(&store::Setting::key, orm::primary_key, orm::length(40)),
                                                 orm::column(&store::Setting::amount, orm::precision(10, 2)));
};
