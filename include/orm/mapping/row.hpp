#pragma once
// Field-by-index access to a mapped struct as orm::values: one table of
// function pointers per type, so run-time code (flush, hydration) can read
// and write field i without templates of its own.
#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "orm/driver/driver.hpp"
#include "orm/mapping/reflection.hpp"
#include "orm/mapping/types.hpp"

namespace orm::detail {

template <class T, std::size_t I>
value read_field(const T& object) {
    return type_traits<std::remove_cvref_t<field_type<T, I>>>::to_value(boost::pfr::get<I>(object));
}

template <class T, std::size_t I>
void write_field(T& object, const value& v) {
    boost::pfr::get<I>(object) = from_value<std::remove_cvref_t<field_type<T, I>>>(v);
}

template <class T, std::size_t I>
void take_field(T& object, value&& v) {
    boost::pfr::get<I>(object) = from_value<std::remove_cvref_t<field_type<T, I>>>(std::move(v));
}

/// Reads column `column` of the cursor's current row into field I: straight
/// from the driver's own form where it has one the field's type reads (a
/// date-time in parts, lent text, an integer, a double), else through get().
template <class T, std::size_t I>
void read_field_from(T& object, driver::cursor& rows, std::size_t column) {
    using F = std::remove_cvref_t<field_type<T, I>>;
    // Time points straight from a driver that holds DATETIMEs in parts (no text in between).
    if constexpr (requires(std::int64_t m) { type_traits<typename strip_optional<F>::type>::from_micros(m, [] { return value{}; }); }) {
        if (const auto micros = rows.get_datetime_micros(column)) {
            boost::pfr::get<I>(object) = type_traits<typename strip_optional<F>::type>::from_micros(*micros, [&] { return rows.get(column); });
            return;
        }
    }
    if constexpr (reads_text<F>) {
        if (const auto text = rows.get_text(column)) {
            auto& field = boost::pfr::get<I>(object);
            // Strings take the text into the capacity they already have (a reused row allocates nothing).
            if constexpr (std::is_same_v<F, std::string>) {
                field.assign(*text);
            } else if constexpr (std::is_same_v<F, std::optional<std::string>>) {
                if (field) field->assign(*text);
                else field.emplace(*text);
            } else {
                field = type_traits<F>::from_text(*text);
            }
            return;
        }
    }
    // Integers and doubles straight from the driver where it holds them as such
    // (an out-of-range integer falls through to from_value, which names the error).
    if constexpr (std::is_integral_v<F> && !std::is_same_v<F, bool> && !is_character_v<F>) {
        if (const auto n = rows.get_int64(column); n && std::in_range<F>(*n)) {
            boost::pfr::get<I>(object) = static_cast<F>(*n);
            return;
        }
    } else if constexpr (std::is_same_v<F, double>) {
        if (const auto d = rows.get_double(column)) {
            boost::pfr::get<I>(object) = *d;
            return;
        }
    }
    boost::pfr::get<I>(object) = from_value<F>(rows.get(column));
}

/// Rethrows a conversion error with the table and column it happened in.
[[noreturn]] void rethrow_with_column(const data_error& e, std::string_view table, std::string_view column);

/// getters[c] / setters[c] read and write column c of T (its c-th field that is
/// a column: relationship members are skipped) as an orm::value.
template <reflectable T>
struct row_codec {
    using getter = value (*)(const T&);
    using setter = void (*)(T&, const value&);
    using taker = void (*)(T&, value&&);
    static constexpr std::size_t size = column_count<T>;
    static constexpr std::array<getter, size> getters = []<std::size_t... C>(std::index_sequence<C...>) {
        return std::array<getter, size>{&read_field<T, column_fields<T>[C]>...};
    }(std::make_index_sequence<size>{});
    static constexpr std::array<setter, size> setters = []<std::size_t... C>(std::index_sequence<C...>) {
        return std::array<setter, size>{&write_field<T, column_fields<T>[C]>...};
    }(std::make_index_sequence<size>{});
    /// takers[c]: like setters[c], moving text out of a value about to be discarded.
    static constexpr std::array<taker, size> takers = []<std::size_t... C>(std::index_sequence<C...>) {
        return std::array<taker, size>{&take_field<T, column_fields<T>[C]>...};
    }(std::make_index_sequence<size>{});
    using reader = void (*)(T&, driver::cursor&, std::size_t);
    /// readers[c](object, rows, column): column c from a column of the current row (hydration).
    static constexpr std::array<reader, size> readers = []<std::size_t... C>(std::index_sequence<C...>) {
        return std::array<reader, size>{&read_field_from<T, column_fields<T>[C]>...};
    }(std::make_index_sequence<size>{});

    /// Every column's value, in column order.
    static std::vector<value> values(const T& object) {
        std::vector<value> out;
        out.reserve(size);
        for (getter g : getters) out.push_back(g(object));
        return out;
    }
};

}  // namespace orm::detail
