#include "orm/mapping/types.hpp"

#include <charconv>
#include <cstdio>

namespace orm::detail {

void throw_conversion_error(const char* wanted, const value& got) {
    throw data_error(std::string("cannot read ") + to_display_string(got) + " as " + wanted);
}

void throw_range_error(const char* wanted, const value& got) {
    throw data_error("value " + to_display_string(got) + " is out of range for " + wanted);
}

value parse_integer_text(const std::string& text, const value& original) {
    std::string_view digits = text;
    if (auto dot = digits.find('.'); dot != std::string_view::npos) {
        if (digits.substr(dot + 1).find_first_not_of('0') != std::string_view::npos || dot + 1 == digits.size())
            throw_conversion_error("an integer (the text has a fraction)", original);
        digits = digits.substr(0, dot);
    }
    const char* first = digits.data();
    const char* last = digits.data() + digits.size();
    if (!digits.empty() && digits.front() == '-') {
        std::int64_t i = 0;
        auto [end, ec] = std::from_chars(first, last, i);
        if (ec == std::errc::result_out_of_range) throw_range_error("a 64-bit integer", original);
        if (ec != std::errc{} || end != last) throw_conversion_error("an integer", original);
        return i;
    }
    std::uint64_t u = 0;
    auto [end, ec] = std::from_chars(first, last, u);
    if (ec == std::errc::result_out_of_range) throw_range_error("a 64-bit integer", original);
    if (ec != std::errc{} || end != last || digits.empty()) throw_conversion_error("an integer", original);
    return u;
}

double parse_floating_text(const std::string& text, const value& original) {
    double d = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec == std::errc::result_out_of_range) throw_range_error("a double", original);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) throw_conversion_error("a floating-point number", original);
    return d;
}

void check_utf8(const std::string& text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t code = 0, minimum = 0;
        if ((c & 0xE0) == 0xC0) length = 2, code = c & 0x1F, minimum = 0x80;
        else if ((c & 0xF0) == 0xE0) length = 3, code = c & 0x0F, minimum = 0x800;
        else if ((c & 0xF8) == 0xF0) length = 4, code = c & 0x07, minimum = 0x10000;
        bool valid = length != 0 && i + length <= n;
        for (std::size_t k = 1; valid && k < length; ++k) {
            valid = (p[i + k] & 0xC0) == 0x80;
            code = (code << 6) | (p[i + k] & 0x3F);
        }
        valid = valid && code >= minimum && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
        if (!valid)
            throw data_error("orm: text is not valid UTF-8 (byte " + std::to_string(i) +
                             "); store arbitrary bytes as std::vector<std::byte>");
        i += length;
    }
}

std::string format_time(std::int64_t micros, int fraction_digits) {
    const bool negative = micros < 0;
    std::uint64_t magnitude = negative ? static_cast<std::uint64_t>(-(micros + 1)) + 1 : static_cast<std::uint64_t>(micros);
    const std::uint64_t fraction = magnitude % 1'000'000;
    std::uint64_t seconds = magnitude / 1'000'000;
    char buffer[48];
    int n = std::snprintf(buffer, sizeof buffer, "%s%02llu:%02llu:%02llu", negative ? "-" : "",
                          static_cast<unsigned long long>(seconds / 3600), static_cast<unsigned long long>(seconds / 60 % 60),
                          static_cast<unsigned long long>(seconds % 60));
    if (fraction_digits > 0) {
        auto shown = static_cast<unsigned>(fraction % 1'000'000);
        for (int i = fraction_digits; i < 6; ++i) shown /= 10;
        std::snprintf(buffer + n, sizeof buffer - n, ".%0*u", fraction_digits % 7, shown);
    }
    return buffer;
}

std::int64_t parse_time(const value& v) {
    const auto* text = std::get_if<std::string>(&v);
    if (!text) throw_conversion_error("a time ([-]HH:MM:SS)", v);
    return parse_time(std::string_view(*text));
}

std::int64_t parse_time(std::string_view text) {
    const char* wanted = "a time ([-]HH:MM:SS)";
    std::string_view s = text;
    const bool negative = !s.empty() && s.front() == '-';
    if (negative) s.remove_prefix(1);
    std::int64_t hours = 0, minutes = 0, seconds = 0, micros = 0;
    std::size_t pos = 0;
    // Counts a run of digits but accumulates at most 18 of them (no int64 overflow);
    // the callers reject runs that are too long.
    auto digits = [&](std::int64_t& out) {
        std::size_t start = pos;
        for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos)
            if (pos - start < 18) out = out * 10 + (s[pos] - '0');
        return pos - start;
    };
    const std::size_t hour_digits = digits(hours);
    // At most 9 hour digits keep the total in microseconds within int64.
    bool ok = hour_digits > 0 && hour_digits <= 9 && pos < s.size() && s[pos++] == ':' && digits(minutes) == 2 && pos < s.size() && s[pos++] == ':' &&
              digits(seconds) == 2;
    if (ok && pos < s.size() && s[pos] == '.') {
        ++pos;
        const std::size_t count = digits(micros);
        ok = count >= 1 && count <= 6;
        for (std::size_t k = count; k < 6; ++k) micros *= 10;
    }
    if (!ok || pos != s.size() || minutes > 59 || seconds > 59) throw_conversion_error(wanted, value{std::string(text)});
    const std::int64_t total = ((hours * 60 + minutes) * 60 + seconds) * 1'000'000 + micros;
    return negative ? -total : total;
}

namespace {

using namespace std::chrono;

const std::string& text_of(const value& v, const char* wanted) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    throw_conversion_error(wanted, v);
}

// Reads exactly `width` digits at `pos`; returns -1 if they are not digits.
int read_number(std::string_view s, std::size_t pos, std::size_t width) {
    if (pos + width > s.size()) return -1;
    int result = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        result = result * 10 + (s[i] - '0');
    }
    return result;
}

// Parses "YYYY-MM-DD" at the start of `s` into a valid date, or throws.
sys_days parse_ymd(std::string_view s, const char* wanted) {
    const int y = read_number(s, 0, 4), m = read_number(s, 5, 2), d = read_number(s, 8, 2);
    if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-') throw_conversion_error(wanted, value{std::string(s)});
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) throw_range_error(wanted, value{std::string(s)});
    return sys_days{ymd};
}

}  // namespace

namespace {
// Refuses a year that no SQL DATE or DATETIME holds (and that SQLite would store
// as text no date function, nor orm, reads back): the value is never written.
void check_sql_year(int y, const char* what, const char* column_type) {
    if (y < 0 || y > 9999)
        throw data_error("orm: a " + std::string(what) + " in the year " + std::to_string(y) + " is outside the years 0000-9999 that a " +
                         column_type + " column holds");
}

// Writes `value` as exactly `width` decimal digits ending before `end`.
void put_digits(char* end, unsigned value, int width) {
    for (int i = 0; i < width; ++i, value /= 10) *--end = static_cast<char>('0' + value % 10);
}
}  // namespace

// Hand-formatted (no snprintf): a session compares every loaded object's
// values at each flush, so this runs once per date-time field per object.
std::string format_datetime(std::int64_t micros_since_epoch, int fraction_digits) {
    const microseconds since{micros_since_epoch};
    const auto day_start = floor<days>(sys_time<microseconds>{since});
    const year_month_day ymd{day_start};
    const hh_mm_ss<microseconds> tod{sys_time<microseconds>{since} - day_start};
    const int y = static_cast<int>(ymd.year());
    check_sql_year(y, "date-time", "DATETIME");
    std::string out(fraction_digits > 0 ? 20 + static_cast<std::size_t>(fraction_digits) : 19, '.');
    char* p = out.data();
    put_digits(p + 4, static_cast<unsigned>(y), 4);
    p[4] = '-';
    put_digits(p + 7, static_cast<unsigned>(ymd.month()), 2);
    p[7] = '-';
    put_digits(p + 10, static_cast<unsigned>(ymd.day()), 2);
    p[10] = ' ';
    put_digits(p + 13, static_cast<unsigned>(tod.hours().count()), 2);
    p[13] = ':';
    put_digits(p + 16, static_cast<unsigned>(tod.minutes().count()), 2);
    p[16] = ':';
    put_digits(p + 19, static_cast<unsigned>(tod.seconds().count()), 2);
    if (fraction_digits > 0) {
        auto fraction = static_cast<unsigned>(tod.subseconds().count());
        for (int i = fraction_digits; i < 6; ++i) fraction /= 10;
        put_digits(p + 20 + fraction_digits, fraction, fraction_digits);
    }
    return out;
}

std::int64_t parse_datetime(const value& v) { return parse_datetime(std::string_view(text_of(v, "a date-time (YYYY-MM-DD HH:MM:SS)"))); }

std::int64_t parse_datetime(std::string_view s) {
    const char* wanted = "a date-time (YYYY-MM-DD HH:MM:SS)";
    // Errors are rare: the value they show is made only when one is thrown.
    const auto v = [&] { return value{std::string(s)}; };
    if (s.size() < 19) throw_conversion_error(wanted, v());
    const sys_days day = parse_ymd(s, wanted);
    const int hh = read_number(s, 11, 2), mi = read_number(s, 14, 2), ss = read_number(s, 17, 2);
    if ((s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' || hh < 0 || mi < 0 || ss < 0)
        throw_conversion_error(wanted, v());
    if (hh > 23 || mi > 59 || ss > 59) throw_range_error(wanted, v());
    std::int64_t micros = 0;
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        int digits = 0;
        for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++digits) {
            if (digits >= 6) throw_range_error("a date-time with at most microsecond precision", v());
            micros = micros * 10 + (s[pos] - '0');
        }
        if (digits == 0) throw_conversion_error(wanted, v());
        for (; digits < 6; ++digits) micros *= 10;
    }
    if (pos != s.size()) throw_conversion_error(wanted, v());
    const auto t = day + hours{hh} + minutes{mi} + seconds{ss};
    return duration_cast<microseconds>(t.time_since_epoch()).count() + micros;
}

std::string format_date(std::int64_t days_since_epoch) {
    const year_month_day ymd{sys_days{days{days_since_epoch}}};
    check_sql_year(static_cast<int>(ymd.year()), "date", "DATE");
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buffer;
}

std::int64_t parse_date(const value& v) { return parse_date(std::string_view(text_of(v, "a date (YYYY-MM-DD)"))); }

std::int64_t parse_date(std::string_view s) {
    if (s.size() != 10) throw_conversion_error("a date (YYYY-MM-DD)", value{std::string(s)});
    return parse_ymd(s, "a date (YYYY-MM-DD)").time_since_epoch().count();
}

}  // namespace orm::detail
