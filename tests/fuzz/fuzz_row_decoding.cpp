// libFuzzer target: decoding fetched values into mapped struct fields.
// The input is split into orm::values of every kind a driver produces (NULL,
// int64, uint64, double from raw bits, text and blobs of arbitrary bytes) and
// fed to (1) orm::from_value<T> for each field type, and (2) the hydration of a
// whole mapped struct from a row. Each must produce a value or throw
// orm::data_error; any other exception, a crash or UB is a finding. A value
// that was read and can be written again must read back equal, and a row must
// decode the same through get() as through lent text and typed reads.
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include <orm/decimal.hpp>
#include <orm/mapping/row.hpp>
#include <orm/query.hpp>
#include <orm/uuid.hpp>

namespace fuzz {

using namespace std::chrono;

/// A scoped enum stored as its underlying integer.
enum class level : std::int8_t { low = -3, mid = 0, high = 100 };
/// A scoped enum stored by name (enum_as_name below).
enum class mood { happy, sad, grumpy = 42 };

/// One field of every column type orm maps.
struct all_types {
    std::int64_t id = 0;
    std::int8_t i8 = 0;
    std::int16_t i16 = 0;
    std::int32_t i32 = 0;
    std::uint8_t u8 = 0;
    std::uint16_t u16 = 0;
    unsigned u32 = 0;
    std::uint64_t u64 = 0;
    float f = 0;
    double d = 0;
    bool b = false;
    std::string s;
    std::optional<std::int32_t> oi;
    std::optional<std::string> os;
    std::vector<std::byte> bytes;
    std::array<std::byte, 4> fixed{};
    sys_seconds at_s{};
    sys_time<milliseconds> at_ms{};
    sys_time<microseconds> at_us{};
    year_month_day date{};
    seconds dur_s{};
    microseconds dur_us{};
    hh_mm_ss<microseconds> tod{};
    orm::decimal dec;
    orm::uuid uid;
    level lvl = level::mid;
    mood md = mood::happy;
    std::optional<orm::decimal> odec;
};

}  // namespace fuzz

template <>
inline constexpr bool orm::enum_as_name<fuzz::mood> = true;

namespace fuzz {

/// Stops the run with a message; libFuzzer saves the input as a crash.
[[noreturn]] void property_failed(const char* what) {
    std::fprintf(stderr, "fuzz_row_decoding: property failed: %s\n", what);
    std::abort();
}

/// An orm::value of a kind chosen by the input.
orm::value next_value(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 6)) {
    case 0: return orm::null;
    case 1: return in.ConsumeIntegral<std::int64_t>();
    case 2: return in.ConsumeIntegral<std::uint64_t>();
    case 3: {  // any bit pattern: NaN, infinities, denormals, huge
        const auto bits = in.ConsumeIntegral<std::uint64_t>();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    case 4: {
        const auto raw = in.ConsumeBytes<unsigned char>(in.ConsumeIntegralInRange<std::size_t>(0, 64));
        orm::blob b;
        for (unsigned char c : raw) b.push_back(static_cast<std::byte>(c));
        return b;
    }
    default: return in.ConsumeRandomLengthString(64);  // text, twice as likely: most parsers read text
    }
}

/// Equality that treats NaN as equal to itself (a NaN read back is still NaN).
template <class T>
bool same(const T& a, const T& b) {
    if constexpr (std::is_floating_point_v<T>) return (a != a && b != b) || a == b;
    else if constexpr (std::is_same_v<T, hh_mm_ss<microseconds>>) return a.to_duration() == b.to_duration();
    else return a == b;
}

/// Reads `v` as T; on success, writes it and reads it back.
template <class T>
void decode(const orm::value& v) {
    T got;
    try {
        got = orm::from_value<T>(v);
    } catch (const orm::data_error&) {
        return;
    }
    if constexpr (std::is_floating_point_v<T>) {
        // A finite number never reads as an infinity (a float field given a huge double).
        const auto* d = std::get_if<double>(&v);
        const bool finite_source = (d && std::isfinite(*d)) || std::holds_alternative<std::int64_t>(v) ||
                                   std::holds_alternative<std::uint64_t>(v);
        if (finite_source && !std::isfinite(got)) property_failed("a finite number read as an infinity");
    }
    orm::value written;
    try {
        written = orm::to_value(got);
    } catch (const orm::data_error&) {
        return;  // e.g. NaN or invalid UTF-8: refused on the way in, as documented
    }
    if (!same(orm::from_value<T>(written), got)) property_failed("a value read, written and read again changed");
}

/// A row of values served to hydrate() as a driver cursor would.
class value_cursor : public orm::driver::cursor {
public:
    explicit value_cursor(std::vector<orm::value> row) : row_(std::move(row)) {}
    bool next() override { return false; }
    std::size_t column_count() const override { return row_.size(); }
    std::string column_name(std::size_t i) const override { return "c" + std::to_string(i); }
    orm::value get(std::size_t i) override { return row_.at(i); }

protected:
    std::vector<orm::value> row_;
};

/// The same row served as the SQLite and libmariadb drivers serve it: text lent
/// without a copy, integers, doubles and date-times through the typed reads, the rest by get().
class lending_value_cursor final : public value_cursor {
public:
    using value_cursor::value_cursor;
    std::optional<std::string_view> get_text(std::size_t i) override {
        if (const auto* s = std::get_if<std::string>(&row_.at(i))) return std::string_view(*s);
        return std::nullopt;
    }
    std::optional<std::int64_t> get_int64(std::size_t i) override {
        const orm::value& v = row_.at(i);
        if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
        if (const auto* u = std::get_if<std::uint64_t>(&v); u && std::in_range<std::int64_t>(*u)) return static_cast<std::int64_t>(*u);
        return std::nullopt;
    }
    std::optional<double> get_double(std::size_t i) override {
        if (const auto* d = std::get_if<double>(&row_.at(i))) return *d;
        return std::nullopt;
    }
    // A date-time text that parses is served in parts, as libmariadb holds a DATETIME.
    std::optional<std::int64_t> get_datetime_micros(std::size_t i) override {
        const auto* s = std::get_if<std::string>(&row_.at(i));
        if (!s) return std::nullopt;
        try {
            return orm::detail::parse_datetime(std::string_view(*s));
        } catch (const orm::data_error&) {
            return std::nullopt;  // the driver would hold no such DATETIME: text it is
        }
    }
};

/// Field-by-field equality of two rows (NaN equal to itself).
template <class T>
bool same_row(const T& a, const T& b) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return (same(boost::pfr::get<I>(a), boost::pfr::get<I>(b)) && ...);
    }(std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
}

/// hydrate() of `cursor`'s row, or nullopt where it throws orm::data_error.
template <class T>
std::optional<T> hydrated(orm::driver::cursor& cursor) {
    try {
        return orm::detail::hydrate<T>(cursor, orm::table_of<T>());
    } catch (const orm::data_error&) {
        return std::nullopt;
    }
}

/// Decodes one fuzzer-chosen value as each of the types T.
template <class... T>
void decode_each(FuzzedDataProvider& in) {
    (decode<T>(next_value(in)), ...);
}

}  // namespace fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace fuzz;
    FuzzedDataProvider in(data, size);
    decode_each<std::int8_t, std::int16_t, std::int32_t, std::int64_t, std::uint8_t, std::uint16_t, unsigned,
                std::uint64_t, float, double, bool, std::string, std::optional<std::int32_t>,
                std::optional<std::string>, std::vector<std::byte>, std::array<std::byte, 4>, sys_seconds,
                sys_time<milliseconds>, sys_time<microseconds>, year_month_day, seconds, milliseconds,
                microseconds, hh_mm_ss<microseconds>, orm::decimal, orm::uuid, level, mood,
                std::optional<orm::decimal>>(in);
    try {
        (void)orm::uuid::parse(in.ConsumeRandomLengthString(48));
    } catch (const orm::data_error&) {
    }

    // A whole row, hydrated field by field as a query result would be: once through
    // get() alone, once through lent text and typed reads. Both must agree exactly
    // (the same fields, or the same refusal).
    const auto& table = orm::table_of<all_types>();
    std::vector<orm::value> row;
    for (std::size_t i = 0; i < table.columns.size(); ++i) row.push_back(next_value(in));
    value_cursor plain(row);
    lending_value_cursor lending(std::move(row));
    const auto by_get = hydrated<all_types>(plain);
    const auto by_lending = hydrated<all_types>(lending);
    if (by_get.has_value() != by_lending.has_value())
        property_failed("lent text and typed reads disagree with get() on whether a row decodes");
    if (by_get && !same_row(*by_get, *by_lending)) property_failed("lent text and typed reads decode a row differently from get()");
    return 0;
}
