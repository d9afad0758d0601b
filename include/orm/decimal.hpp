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
#include <optional>
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
    /// The value `scaled` / 10^scale, exactly: from_scaled(-999, 2) is -9.99.
    static decimal from_scaled(std::int64_t scaled, std::size_t scale);
    /// The shortest decimal that reads back as `d` (0.98999999999999999 is 0.99):
    /// for NUMERIC columns another tool stored as floating point. NaN and infinities are a data_error.
    static decimal from_double(double d);
    /// The value * 10^scale as an integer, if that is exact (no more than `scale`
    /// fraction digits) and fits in 64 bits; nullopt otherwise.
    std::optional<std::int64_t> scaled(std::size_t scale) const;

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

/// orm::decimal as DECIMAL(p, s) (declare with orm::precision; default 38, 10). SQLite
/// stores DECIMAL(p <= 18, s) as the scaled integer value * 10^s (exact ordering and
/// arithmetic), wider ones as exact text; see docs/mapping.md.
template <>
struct type_traits<decimal> {
    static constexpr sql_type sql{type_kind::decimal};
    static value to_value(const decimal& d) { return d.to_string(); }
    static decimal from_value(const value& v) {
        if (const auto* s = std::get_if<std::string>(&v)) return decimal(*s);
        if (const auto* i = std::get_if<std::int64_t>(&v)) return decimal::from_integer(*i);
        if (const auto* u = std::get_if<std::uint64_t>(&v)) return decimal(std::to_string(*u));
        if (const auto* d = std::get_if<double>(&v)) return decimal::from_double(*d);  // a NUMERIC column of another tool
        detail::throw_conversion_error("an exact decimal", v);
    }
};

}  // namespace orm
