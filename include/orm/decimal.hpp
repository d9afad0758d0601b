#pragma once
// orm::decimal: an exact decimal number for DECIMAL(p, s) columns. It keeps
// the digits as written — no floating point anywhere — and a value with more
// digits than its column allows is an orm::data_error, never rounded.
//
//   struct Invoice { std::int64_t id = 0; orm::decimal total; };
//   template <> struct orm::model<Invoice> {
//       static constexpr auto columns = orm::columns(orm::column(&Invoice::total, orm::precision(12, 2)));
//   };
//   Invoice i{.total = orm::decimal("1234.50")};
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "orm/mapping/types.hpp"

namespace orm {

/// An exact, arbitrary-length decimal number.
class decimal {
public:
    /// Zero.
    decimal() = default;
    /// Parses "[+-]digits[.digits]"; throws orm::data_error on anything else.
    explicit decimal(std::string_view text);
    /// An integer value.
    static decimal from_integer(std::int64_t v) { return decimal(std::to_string(v)); }

    /// The number as text, e.g. "-12.5" (no exponent, no trailing fraction zeros).
    std::string to_string() const;
    /// Significant digits before the decimal point (0 for 0.xx).
    std::size_t integer_digits() const {
        const std::size_t n = digits_.size() - scale_;
        return n == 1 && digits_[0] == '0' ? 0 : n;
    }
    /// Digits after the decimal point, trailing zeros not counted.
    std::size_t scale() const { return scale_; }
    bool negative() const { return negative_; }

    /// Numeric comparison: decimal("1.50") == decimal("1.5").
    friend bool operator==(const decimal& a, const decimal& b) { return a.compare(b) == 0; }
    friend std::strong_ordering operator<=>(const decimal& a, const decimal& b) { return a.compare(b) <=> 0; }

private:
    int compare(const decimal& other) const;
    bool negative_ = false;
    std::string digits_ = "0";  ///< without leading zeros (except "0"), the last scale_ of them after the point
    std::size_t scale_ = 0;
};

/// orm::decimal as DECIMAL(p, s) (declare with orm::precision; default 38, 10); SQLite stores the exact text.
template <>
struct type_traits<decimal> {
    static constexpr sql_type sql{type_kind::decimal};
    static value to_value(const decimal& d) { return d.to_string(); }
    static decimal from_value(const value& v) {
        if (const auto* s = std::get_if<std::string>(&v)) return decimal(*s);
        if (const auto* i = std::get_if<std::int64_t>(&v)) return decimal::from_integer(*i);
        if (const auto* u = std::get_if<std::uint64_t>(&v)) return decimal(std::to_string(*u));
        detail::throw_conversion_error("an exact decimal (a floating-point value would lose digits)", v);
    }
};

}  // namespace orm
