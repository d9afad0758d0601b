#include "orm/decimal.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace orm {

decimal::decimal(std::string_view text) {
    std::string_view s = text;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative_ = s.front() == '-';
        s.remove_prefix(1);
    }
    const auto point = s.find('.');
    std::string_view whole = s.substr(0, point);
    std::string_view fraction = point == std::string_view::npos ? std::string_view{} : s.substr(point + 1);
    auto all_digits = [](std::string_view d) {
        for (char c : d)
            if (c < '0' || c > '9') return false;
        return true;
    };
    if ((whole.empty() && fraction.empty()) || !all_digits(whole) || !all_digits(fraction) ||
        (point != std::string_view::npos && fraction.empty() && whole.empty()))
        throw data_error("orm: '" + std::string(text.substr(0, 64)) + "' is not a decimal number ([-]digits[.digits])");
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
    if (whole.empty()) whole = "0";
    digits_ = std::string(whole) + std::string(fraction);
    scale_ = fraction.size();
    // Strip leading zeros of the combined digits while keeping one before the point.
    while (digits_.size() > scale_ + 1 && digits_.front() == '0') digits_.erase(0, 1);
    if (digits_.find_first_not_of('0') == std::string::npos) negative_ = false;  // -0 is 0
}

std::string decimal::to_string() const {
    std::string out = negative_ ? "-" : "";
    out += digits_.substr(0, digits_.size() - scale_);
    // Appended: "x" + std::string&& trips g++ 12 -O3 -Wrestrict (a false positive, GCC PR 105651).
    if (scale_) {
        out += '.';
        out.append(digits_, digits_.size() - scale_);
    }
    return out;
}

decimal decimal::from_scaled(std::int64_t scaled, std::size_t scale) {
    const bool negative = scaled < 0;
    // The magnitude as unsigned: INT64_MIN has no positive int64.
    const std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(scaled) : static_cast<std::uint64_t>(scaled);
    std::string digits = std::to_string(magnitude);
    if (digits.size() <= scale) digits.insert(0, scale - digits.size() + 1, '0');
    if (scale) digits.insert(digits.size() - scale, 1, '.');
    return decimal((negative ? "-" : "") + digits);
}

decimal decimal::from_double(double d) {
    if (!std::isfinite(d)) throw data_error("orm: NaN or an infinity cannot be read as an exact decimal");
    char buffer[400];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::fixed);
    if (ec != std::errc{}) throw data_error("orm: a floating-point value too large to read as a decimal");
    return decimal(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
}

std::optional<std::int64_t> decimal::scaled(std::size_t scale) const {
    if (scale < scale_ || scale > 18) return std::nullopt;
    std::uint64_t magnitude = 0;
    const std::string padded = digits_ + std::string(scale - scale_, '0');
    for (char c : padded) {
        const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
        if (magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
        magnitude = magnitude * 10 + digit;
    }
    const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (magnitude > limit + (negative_ ? 1 : 0)) return std::nullopt;
    return negative_ ? static_cast<std::int64_t>(std::uint64_t{0} - magnitude) : static_cast<std::int64_t>(magnitude);
}

int decimal::compare(const decimal& other) const {
    if (negative_ != other.negative_) return negative_ ? -1 : 1;
    const int sign = negative_ ? -1 : 1;
    if (integer_digits() != other.integer_digits()) return integer_digits() < other.integer_digits() ? -sign : sign;
    // Same number of integer digits: compare digit strings padded to the same scale.
    const std::size_t scale = std::max(scale_, other.scale_);
    const std::string a = digits_ + std::string(scale - scale_, '0');
    const std::string b = other.digits_ + std::string(scale - other.scale_, '0');
    const int c = a.compare(b);
    return c == 0 ? 0 : (c < 0 ? -sign : sign);
}

}  // namespace orm
