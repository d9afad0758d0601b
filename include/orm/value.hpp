#pragma once
// orm::value: one SQL value as it crosses the boundary between the mapping
// layer and a driver (a bound parameter or a column of a fetched row).
#include <cstddef>
#include <compare>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace orm {

/// SQL NULL.
struct null_t {
    friend bool operator==(null_t, null_t) = default;
    friend auto operator<=>(null_t, null_t) = default;
};
/// The NULL value: `conn.execute("UPDATE t SET x = ?", orm::null)`.
inline constexpr null_t null{};

/// Binary data (BLOB / VARBINARY).
using blob = std::vector<std::byte>;

/// A parameter or column value. Drivers produce and consume only these kinds;
/// richer C++ types (time points, enums, optionals) are converted by
/// orm::type_traits. Date/time values travel as ISO text ("2024-02-29 23:59:59.000001").
using value = std::variant<null_t, std::int64_t, std::uint64_t, double, std::string, blob>;

/// True if `v` holds NULL.
inline bool is_null(const value& v) noexcept { return std::holds_alternative<null_t>(v); }

/// A short printable form of a value for logs and error messages: strings
/// quoted SQL style with their quotes doubled (`'it''s'`) and cut after 64
/// bytes, blobs as their size.
std::string to_display_string(const value& v);

}  // namespace orm
