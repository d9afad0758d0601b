#pragma once
// orm::type_traits<T>: how a C++ field type becomes a column and a value.
// This is the one customisation point for column types: a specialisation
// says the SQL type, how to write a value and how to read one.
//
//   template <> struct orm::type_traits<Money> {
//       static constexpr orm::sql_type sql{orm::type_kind::integer, 8};
//       static orm::value to_value(const Money& m) { return m.cents; }
//       static Money from_value(const orm::value& v) { return {orm::type_traits<std::int64_t>::from_value(v)}; }
//   };
#include <algorithm>
#include <array>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "orm/error.hpp"
#include "orm/value.hpp"

namespace orm {

/// The family of SQL type a column has; a dialect turns it into a type name.
enum class type_kind { boolean, integer, floating, text, blob, datetime, date, time, decimal, json };

/// A dialect-neutral column type: kind plus size details.
struct sql_type {
    type_kind kind = type_kind::text;
    std::uint8_t bytes = 0;           ///< integers: 1, 2, 4, 8; floating: 4 or 8
    bool is_unsigned = false;         ///< integers only
    std::uint8_t fraction_digits = 0; ///< datetime/time: 0 (seconds), 3 (ms) or 6 (µs)
    std::uint32_t fixed_size = 0;     ///< blob: exactly this many bytes (BINARY(n)); 0 = variable
    friend constexpr bool operator==(const sql_type&, const sql_type&) = default;
};

/// Primary template: no mapping. Specialise it to map your own type.
template <class T, class Enable = void>
struct type_traits;

/// A type that can be a column: type_traits<T> says its SQL type and converts values.
template <class T>
concept column_value = requires(const T& t, const value& v) {
    { type_traits<T>::sql } -> std::convertible_to<sql_type>;
    { type_traits<T>::to_value(t) } -> std::convertible_to<value>;
    { type_traits<T>::from_value(v) } -> std::convertible_to<T>;
};

/// True for std::optional<T>: a NULL-able column.
template <class T>
inline constexpr bool is_optional_v = false;
template <class T>
inline constexpr bool is_optional_v<std::optional<T>> = true;

namespace detail {
/// T itself, or the T of a std::optional<T>.
template <class T>
struct strip_optional {
    using type = T;
};
template <class T>
struct strip_optional<std::optional<T>> {
    using type = T;
};
}  // namespace detail

namespace detail {

/// Throws orm::data_error saying that `got` cannot be read as `wanted`.
[[noreturn]] void throw_conversion_error(const char* wanted, const value& got);
[[noreturn]] void throw_range_error(const char* wanted, const value& got);
/// Decimal integer text ("-42", or "42.000" with a zero fraction) as int64/uint64; data_error otherwise.
value parse_integer_text(const std::string& text, const value& original);
/// Decimal text ("3.25", "1e10") as a double; data_error otherwise.
double parse_floating_text(const std::string& text, const value& original);

/// "YYYY-MM-DD HH:MM:SS[.fraction]" for microseconds since 1970-01-01 UTC.
std::string format_datetime(std::int64_t micros_since_epoch, int fraction_digits);
/// Parses "YYYY-MM-DD[ T]HH:MM:SS[.f{1,6}]" (UTC) into microseconds since the epoch.
std::int64_t parse_datetime(const value& text);
std::int64_t parse_datetime(std::string_view text);
/// "YYYY-MM-DD" for days since 1970-01-01.
std::string format_date(std::int64_t days_since_epoch);
/// Parses "YYYY-MM-DD" into days since 1970-01-01.
std::int64_t parse_date(const value& text);
std::int64_t parse_date(std::string_view text);
/// "[-]HH:MM:SS[.fraction]" (hours may exceed 24) for a signed number of microseconds.
std::string format_time(std::int64_t micros, int fraction_digits);
/// Parses "[-]H+:MM:SS[.f{1,6}]" into microseconds.
std::int64_t parse_time(const value& text);
std::int64_t parse_time(std::string_view text);
/// Throws orm::data_error unless `text` is valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
void check_utf8(const std::string& text);

template <class T>
inline constexpr bool is_character_v = std::is_same_v<T, char> || std::is_same_v<T, wchar_t> ||
                                       std::is_same_v<T, char8_t> || std::is_same_v<T, char16_t> ||
                                       std::is_same_v<T, char32_t>;

}  // namespace detail

/// Integers of every width, signed and unsigned (not bool, not character types).
template <std::integral T>
    requires(!std::is_same_v<T, bool> && !detail::is_character_v<T>)
struct type_traits<T> {
    static constexpr sql_type sql{type_kind::integer, static_cast<std::uint8_t>(sizeof(T)), std::is_unsigned_v<T>};
    static value to_value(T v) {
        if constexpr (std::is_signed_v<T>) return static_cast<std::int64_t>(v);
        else return static_cast<std::uint64_t>(v);
    }
    static T from_value(const value& v) {
        if (const auto* i = std::get_if<std::int64_t>(&v)) {
            if (std::in_range<T>(*i)) return static_cast<T>(*i);
        } else if (const auto* u = std::get_if<std::uint64_t>(&v)) {
            if (std::in_range<T>(*u)) return static_cast<T>(*u);
        } else if (const auto* text = std::get_if<std::string>(&v)) {
            // Exact decimal text, e.g. MySQL's SUM() of integers ("42", not "42.5").
            return from_value(detail::parse_integer_text(*text, v));
        } else {
            detail::throw_conversion_error("an integer", v);
        }
        detail::throw_range_error(std::is_signed_v<T> ? "a signed integer of this width" : "an unsigned integer of this width", v);
    }
};

/// bool as BOOLEAN (0 or 1).
template <>
struct type_traits<bool> {
    static constexpr sql_type sql{type_kind::boolean, 1};
    static value to_value(bool b) { return std::int64_t{b ? 1 : 0}; }
    static bool from_value(const value& v) {
        const auto i = type_traits<std::int64_t>::from_value(v);
        if (i != 0 && i != 1) detail::throw_range_error("a boolean (0 or 1)", v);
        return i == 1;
    }
};

/// float and double. NaN and infinities are rejected (MySQL cannot store them).
template <std::floating_point T>
    requires(!std::is_same_v<T, long double>)
struct type_traits<T> {
    static constexpr sql_type sql{type_kind::floating, static_cast<std::uint8_t>(sizeof(T))};
    static value to_value(T v) {
        if (v != v || v == std::numeric_limits<T>::infinity() || v == -std::numeric_limits<T>::infinity())
            throw data_error("NaN and infinities cannot be stored in a floating-point column");
        return static_cast<double>(v);
    }
    static T from_value(const value& v) {
        if (const auto* d = std::get_if<double>(&v)) return narrow(*d, v);
        if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<T>(*i);
        if (const auto* u = std::get_if<std::uint64_t>(&v)) return static_cast<T>(*u);
        if (const auto* text = std::get_if<std::string>(&v)) return narrow(detail::parse_floating_text(*text, v), v);
        detail::throw_conversion_error("a floating-point number", v);
    }

private:
    // A finite double beyond T's range is a data_error (converting it is undefined
    // behaviour, and would otherwise read as an infinity that cannot be written back).
    static T narrow(double d, const value& original) {
        if constexpr (!std::is_same_v<T, double>)
            if (d == d && d != std::numeric_limits<double>::infinity() && d != -std::numeric_limits<double>::infinity() &&
                (d > std::numeric_limits<T>::max() || d < std::numeric_limits<T>::lowest()))
                detail::throw_range_error("a single-precision float", original);
        return static_cast<T>(d);
    }
};

/// std::string as VARCHAR(n) (with orm::length) or TEXT; must be valid UTF-8
/// (use std::vector<std::byte> for arbitrary bytes).
template <>
struct type_traits<std::string> {
    static constexpr sql_type sql{type_kind::text};
    static value to_value(const std::string& s) {
        detail::check_utf8(s);
        return s;
    }
    static std::string from_value(const value& v) {
        if (const auto* s = std::get_if<std::string>(&v)) return *s;
        if (const auto* b = std::get_if<blob>(&v))
            return std::string(reinterpret_cast<const char*>(b->data()), b->size());
        detail::throw_conversion_error("text", v);
    }
    /// From text the driver lends (no orm::value in between).
    static std::string from_text(std::string_view text) { return std::string(text); }
};

/// std::vector<std::byte> and std::vector<std::uint8_t> as BLOB.
template <class Byte>
    requires(std::is_same_v<Byte, std::byte> || std::is_same_v<Byte, std::uint8_t>)
struct type_traits<std::vector<Byte>> {
    static constexpr sql_type sql{type_kind::blob};
    static value to_value(const std::vector<Byte>& bytes) {
        const auto* first = reinterpret_cast<const std::byte*>(bytes.data());
        return blob(first, first + bytes.size());
    }
    static std::vector<Byte> from_value(const value& v) {
        if (const auto* b = std::get_if<blob>(&v)) {
            const auto* first = reinterpret_cast<const Byte*>(b->data());
            return std::vector<Byte>(first, first + b->size());
        }
        if (const auto* s = std::get_if<std::string>(&v)) {
            const auto* first = reinterpret_cast<const Byte*>(s->data());
            return std::vector<Byte>(first, first + s->size());
        }
        detail::throw_conversion_error("binary data", v);
    }
};

/// std::array<std::byte, N> as BINARY(N): exactly N bytes.
template <std::size_t N>
struct type_traits<std::array<std::byte, N>> {
    static constexpr sql_type sql{type_kind::blob, 0, false, 0, static_cast<std::uint32_t>(N)};
    static value to_value(const std::array<std::byte, N>& bytes) { return blob(bytes.begin(), bytes.end()); }
    static std::array<std::byte, N> from_value(const value& v) {
        const auto bytes = type_traits<std::vector<std::byte>>::from_value(v);
        if (bytes.size() != N) detail::throw_range_error("a fixed-size binary value (the stored size differs)", v);
        std::array<std::byte, N> out{};
        std::copy(bytes.begin(), bytes.end(), out.begin());
        return out;
    }
};

namespace detail {
/// `micros_count` microseconds as a D; a range error (showing `original()`, made
/// only then) where D cannot hold them without dropping a fraction.
template <class D, class Original>
D whole_units(std::int64_t micros_count, const char* what, Original original) {
    const std::chrono::microseconds micros{micros_count};
    const auto out = std::chrono::duration_cast<D>(micros);
    if (out != micros) throw_range_error(what, original());
    return out;
}
}  // namespace detail

/// Durations (seconds, milliseconds, microseconds) as TIME, TIME(3), TIME(6).
/// MySQL's range is ±838:59:59.999999: beyond it a value is an orm::data_error.
template <class Rep, class Period>
    requires(std::is_integral_v<Rep> && (std::is_same_v<Period, std::ratio<1>> || std::is_same_v<Period, std::milli> ||
                                         std::is_same_v<Period, std::micro>))
struct type_traits<std::chrono::duration<Rep, Period>> {
    using duration = std::chrono::duration<Rep, Period>;
    static constexpr std::uint8_t digits = std::is_same_v<Period, std::ratio<1>> ? 0 : std::is_same_v<Period, std::milli> ? 3 : 6;
    static constexpr sql_type sql{type_kind::time, 0, false, digits};
    static value to_value(const duration& d) {
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
        constexpr std::int64_t limit = (838LL * 3600 + 59 * 60 + 59) * 1'000'000 + 999'999;
        if (micros > limit || micros < -limit)
            throw data_error("orm: a duration of " + std::to_string(micros) + " µs is outside the TIME range ±838:59:59.999999");
        return detail::format_time(micros, digits);
    }
    static duration from_value(const value& v) { return detail::whole_units<duration>(detail::parse_time(v), what, [&] { return v; }); }
    static duration from_text(std::string_view text) {
        return detail::whole_units<duration>(detail::parse_time(text), what, [&] { return value{std::string(text)}; });
    }

private:
    static constexpr const char* what = "a duration of this resolution (it has a finer fraction)";
};

/// A time of day (std::chrono::hh_mm_ss) as TIME, from 00:00:00 to 23:59:59.999999.
template <class Duration>
struct type_traits<std::chrono::hh_mm_ss<Duration>> {
    using traits = type_traits<Duration>;
    static constexpr sql_type sql = traits::sql;
    static value to_value(const std::chrono::hh_mm_ss<Duration>& t) {
        if (t.is_negative() || t.hours() >= std::chrono::hours{24}) throw data_error("orm: a time of day must be within 00:00:00 and 24:00:00");
        return traits::to_value(t.to_duration());
    }
    static std::chrono::hh_mm_ss<Duration> from_value(const value& v) {
        const Duration d = traits::from_value(v);
        if (d < Duration::zero() || d >= std::chrono::hours{24}) detail::throw_range_error("a time of day", v);
        return std::chrono::hh_mm_ss<Duration>{d};
    }
};

/// UTC time points with second, millisecond or microsecond resolution as
/// DATETIME, DATETIME(3) or DATETIME(6).
template <class Duration>
    requires(std::is_same_v<Duration, std::chrono::seconds> || std::is_same_v<Duration, std::chrono::milliseconds> ||
             std::is_same_v<Duration, std::chrono::microseconds>)
struct type_traits<std::chrono::sys_time<Duration>> {
    static constexpr std::uint8_t digits = std::is_same_v<Duration, std::chrono::seconds> ? 0
                                           : std::is_same_v<Duration, std::chrono::milliseconds> ? 3 : 6;
    static constexpr sql_type sql{type_kind::datetime, 0, false, digits};
    static value to_value(const std::chrono::sys_time<Duration>& t) {
        return detail::format_datetime(std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count(), digits);
    }
    static std::chrono::sys_time<Duration> from_value(const value& v) {
        return std::chrono::sys_time<Duration>{detail::whole_units<Duration>(detail::parse_datetime(v), what, [&] { return v; })};
    }
    static std::chrono::sys_time<Duration> from_text(std::string_view text) {
        return std::chrono::sys_time<Duration>{
            detail::whole_units<Duration>(detail::parse_datetime(text), what, [&] { return value{std::string(text)}; })};
    }
    /// From microseconds since 1970-01-01 00:00:00 UTC, as a driver holding the
    /// column in parts reports it (cursor::get_datetime_micros); `original()`
    /// gives the column's value for the error message of a finer fraction.
    template <class Original>
    static std::chrono::sys_time<Duration> from_micros(std::int64_t micros, Original original) {
        return std::chrono::sys_time<Duration>{detail::whole_units<Duration>(micros, what, original)};
    }

private:
    static constexpr const char* what = "a time point of this resolution (it has a finer fraction)";
};

/// std::chrono::year_month_day as DATE.
template <>
struct type_traits<std::chrono::year_month_day> {
    static constexpr sql_type sql{type_kind::date};
    static value to_value(const std::chrono::year_month_day& d) {
        if (!d.ok()) throw data_error("invalid calendar date (e.g. February 30) cannot be stored in a DATE column");
        return detail::format_date(std::chrono::sys_days{d}.time_since_epoch().count());
    }
    static std::chrono::year_month_day from_value(const value& v) {
        return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{detail::parse_date(v)}}};
    }
    static std::chrono::year_month_day from_text(std::string_view text) {
        return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{detail::parse_date(text)}}};
    }
};

/// Opt in to store a scoped enum as its enumerator names (VARCHAR) instead of integers:
/// `template <> inline constexpr bool orm::enum_as_name<Color> = true;`
template <class E>
inline constexpr bool enum_as_name = false;

namespace detail {

template <auto V>
consteval auto enum_value_signature() {
    return std::string_view(__PRETTY_FUNCTION__);
}

/// The name of enumerator V, or "" if V is not a named enumerator (g++: "(E)5", clang: "(E)5").
template <auto V>
consteval std::string_view enum_value_name() {
    std::string_view sig = enum_value_signature<V>();
    const auto start = sig.find("V = ");
    if (start == std::string_view::npos) return {};
    sig = sig.substr(start + 4);
    sig = sig.substr(0, sig.find_first_of(";]"));
    if (sig.empty() || sig.front() == '(' || (sig.front() >= '0' && sig.front() <= '9') || sig.front() == '-') return {};
    if (auto colons = sig.rfind("::"); colons != std::string_view::npos) sig = sig.substr(colons + 2);
    return sig;
}

/// Every named enumerator of E with a value in [-128, 255] (and the underlying type's range).
template <class E>
struct enum_names {
    using U = std::underlying_type_t<E>;
    static constexpr long long low = std::max<long long>(-128, static_cast<long long>(std::numeric_limits<U>::min()));
    static constexpr long long high = std::min<long long>(255, static_cast<long long>(std::numeric_limits<U>::max()));
    static constexpr std::size_t span = static_cast<std::size_t>(high - low + 1);
    static constexpr auto all = []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<std::string_view, span>{enum_value_name<static_cast<E>(low + static_cast<long long>(I))>()...};
    }(std::make_index_sequence<span>{});
    static constexpr std::size_t longest = [] {
        std::size_t n = 0;
        for (auto name : all) n = std::max(n, name.size());
        return n;
    }();
    static_assert(longest > 0, "orm::enum_as_name: no enumerator found in [-128, 255]");
};

}  // namespace detail

/// Scoped enums as their underlying integer, or as their names where enum_as_name<E>.
template <class E>
    requires(std::is_enum_v<E> && !std::is_convertible_v<E, std::underlying_type_t<E>> && enum_as_name<E>)
struct type_traits<E> {
    using names = detail::enum_names<E>;
    static constexpr sql_type sql{type_kind::text, 0, false, 0, static_cast<std::uint32_t>(names::longest)};
    static value to_value(E e) {
        const long long v = static_cast<long long>(e);
        if (v < names::low || v > names::high || names::all[static_cast<std::size_t>(v - names::low)].empty())
            throw data_error("orm: enum value " + std::to_string(v) + " has no name to store");
        return std::string(names::all[static_cast<std::size_t>(v - names::low)]);
    }
    static E from_value(const value& v) {
        const std::string text = type_traits<std::string>::from_value(v);
        for (std::size_t i = 0; i < names::span; ++i)
            if (!names::all[i].empty() && names::all[i] == text) return static_cast<E>(names::low + static_cast<long long>(i));
        throw data_error("orm: '" + text + "' is not a name of this enum");
    }
};

template <class E>
    requires(std::is_enum_v<E> && !std::is_convertible_v<E, std::underlying_type_t<E>> && !enum_as_name<E>)
struct type_traits<E> {
    using underlying = std::underlying_type_t<E>;
    static constexpr sql_type sql = type_traits<underlying>::sql;
    static value to_value(E e) { return type_traits<underlying>::to_value(static_cast<underlying>(e)); }
    static E from_value(const value& v) { return static_cast<E>(type_traits<underlying>::from_value(v)); }
};

/// A type whose traits read it straight from text a driver lends (dates and
/// times, strings): hydration then skips the orm::value in between.
template <class T>
concept reads_text = requires(std::string_view text) {
    { type_traits<T>::from_text(text) } -> std::convertible_to<T>;
};

/// std::optional<T>: the same column type, NULL-able.
template <column_value T>
struct type_traits<std::optional<T>> {
    static constexpr sql_type sql = type_traits<T>::sql;
    static value to_value(const std::optional<T>& o) { return o ? type_traits<T>::to_value(*o) : value{null}; }
    static std::optional<T> from_value(const value& v) {
        if (is_null(v)) return std::nullopt;
        return type_traits<T>::from_value(v);
    }
    /// Text is never NULL.
    static std::optional<T> from_text(std::string_view text)
        requires reads_text<T>
    {
        return type_traits<T>::from_text(text);
    }
};

/// Converts any mapped C++ value to an orm::value (for bound parameters).
template <class T>
value to_value(const T& v) {
    if constexpr (std::is_same_v<T, value> || std::is_same_v<T, null_t>) return v;
    else if constexpr (std::is_convertible_v<const T&, std::string_view> && !std::is_same_v<T, std::string>)
        return std::string(std::string_view(v));
    else return type_traits<T>::to_value(v);
}

/// Converts a fetched value to T; NULL into a non-optional T is an orm::data_error.
template <class T>
T from_value(const value& v) {
    if constexpr (std::is_same_v<T, value>) return v;
    else {
        if constexpr (!is_optional_v<T>)
            if (is_null(v)) throw data_error("NULL cannot be read into a non-optional field (declare it std::optional)");
        return type_traits<T>::from_value(v);
    }
}

/// from_value of a value about to be discarded: text moves into a std::string
/// (or std::optional<std::string>) field instead of being copied.
template <class T>
T from_value(value&& v) {
    if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::optional<std::string>>) {
        if (auto* text = std::get_if<std::string>(&v)) return T(std::move(*text));
    }
    return from_value<T>(static_cast<const value&>(v));
}

}  // namespace orm
