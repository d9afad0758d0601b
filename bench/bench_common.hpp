// bench_common.hpp: what every C++ benchmark program shares (see bench/WORKLOADS.md).
// Standard library only, header-only, so any implementation can include it.
//
// API overview (all in namespace bench):
//   options parse_options(argc, argv)        --url --workload --rows --api; exits 1 on bad input
//   url_parts parse_url(text)                 mysql://user:pw@host:port/db or sqlite:////abs/path
//   person make_person(i)                     person row i of the contract (1-based)
//   std::string created_text(seconds)         "YYYY-MM-DD HH:MM:SS" for base + seconds
//   std::int64_t parse_created(text)          the inverse (seconds since 2026-01-01 00:00:00)
//   civil_time to_civil(seconds) / from_civil(civil_time)   the same as broken-down fields
//   std::int64_t h(text), row_sum(person), report_row_sum(id, count, name, avg)   checksums
//   std::vector<std::int64_t> lookup_ids(n)   the W3 ids 1 + (k * 7919) % n, k = 0..9999
//   stopwatch                                 monotonic timer: start(), seconds()
//   std::int64_t peak_rss_kib()               VmHWM from /proc/self/status
//   print_result(impl, backend, workload, seconds, rows, checksum)   the one JSON line
//   int run_guarded(body)                     runs body, turns exceptions into stderr + exit 1
//   exit_unsupported (3)                      exit code for a backend a program cannot use
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bench {

/// Exit code of a program asked to run against a backend it does not support.
inline constexpr int exit_unsupported = 3;

/// Default row count of W1a/W1b/W2/W3/W4 and of W2s.
inline constexpr std::int64_t default_rows = 20000;
inline constexpr std::int64_t default_stream_rows = 1000000;

/// Number of W3 lookups and W5 repetitions.
inline constexpr std::int64_t lookup_count = 10000;
inline constexpr int report_runs = 10;

/// The W5 report query (identical on both backends).
inline constexpr const char* report_sql =
    "SELECT a.id, a.name, COUNT(b.id), AVG(b.price) FROM bench_author a JOIN bench_book b "
    "ON b.author_id = a.id GROUP BY a.id, a.name ORDER BY a.id";

/// The parsed command line of a benchmark program.
struct options {
    std::string url;       ///< orm URL of the database
    std::string workload;  ///< W1a W1b W2 W2s W3 W4 W5 W6 W6L
    std::int64_t rows = 0; ///< N (defaulted per workload when --rows is absent)
    std::string api;       ///< --api value, empty when absent
};

/// The parts of a URL; `scheme` is "mysql" or "sqlite" (for sqlite only `path` is set).
struct url_parts {
    std::string scheme;
    std::string user;
    std::string password;
    std::string host = "127.0.0.1";
    unsigned port = 3306;
    std::string database;
    std::string path;  ///< sqlite: the file path
};

/// One row of bench_person / bench_stream; `created` is seconds since 2026-01-01 00:00:00 UTC.
struct person {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
    std::int32_t age = 0;
    double score = 0;
    std::int64_t created = 0;
};

/// Broken-down DATETIME fields.
struct civil_time {
    int year = 2026, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

/// True for the workloads the contract knows.
inline bool is_workload(std::string_view w) {
    return w == "W1a" || w == "W1b" || w == "W2" || w == "W2s" || w == "W3" || w == "W4" || w == "W5" || w == "W6" || w == "W6L";
}

/// Parses --url, --workload, --rows and --api; prints usage and exits 1 on bad input.
inline options parse_options(int argc, char** argv) {
    options out;
    bool rows_given = false;
    auto fail = [&](const std::string& why) {
        std::fprintf(stderr, "%s: %s\nusage: %s --url URL --workload W1a|W1b|W2|W2s|W3|W4|W5|W6|W6L [--rows N] [--api A]\n",
                     argv[0], why.c_str(), argv[0]);
        std::exit(1);
    };
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc) fail("missing value after " + std::string(arg));
        const std::string value = argv[++i];
        if (arg == "--url") {
            out.url = value;
        } else if (arg == "--workload") {
            out.workload = value;
        } else if (arg == "--api") {
            out.api = value;
        } else if (arg == "--rows") {
            char* end = nullptr;
            out.rows = std::strtoll(value.c_str(), &end, 10);
            if (end == value.c_str() || *end != '\0' || out.rows <= 0) fail("--rows needs a positive integer");
            rows_given = true;
        } else {
            fail("unknown option " + std::string(arg));
        }
    }
    if (out.url.empty()) fail("--url is required");
    if (!is_workload(out.workload)) fail("--workload must be one of W1a W1b W2 W2s W3 W4 W5 W6 W6L");
    if (!rows_given) out.rows = out.workload == "W2s" ? default_stream_rows : default_rows;
    return out;
}

/// Decodes %XX escapes (user and password of a URL).
inline std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

/// Splits an orm URL; throws std::invalid_argument on other forms (the message never holds the password).
inline url_parts parse_url(std::string_view text) {
    url_parts out;
    if (text.rfind("sqlite:///", 0) == 0) {
        out.scheme = "sqlite";
        out.path = std::string(text.substr(10));
        if (const auto q = out.path.find('?'); q != std::string::npos) out.path.resize(q);
        if (out.path.empty()) throw std::invalid_argument("sqlite URL without a file path");
        return out;
    }
    if (text.rfind("mysql://", 0) != 0) throw std::invalid_argument("URL must start with mysql:// or sqlite:///");
    out.scheme = "mysql";
    std::string_view rest = text.substr(8);
    if (const auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) throw std::invalid_argument("mysql URL without a database");
    out.database = std::string(rest.substr(slash + 1));
    std::string_view authority = rest.substr(0, slash);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        const auto colon = userinfo.find(':');
        out.user = percent_decode(userinfo.substr(0, colon));
        if (colon != std::string_view::npos) out.password = percent_decode(userinfo.substr(colon + 1));
        authority = authority.substr(at + 1);
    }
    if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        out.port = static_cast<unsigned>(std::stoul(std::string(authority.substr(colon + 1))));
        authority = authority.substr(0, colon);
    }
    if (!authority.empty()) out.host = std::string(authority);
    return out;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// Seconds of 2026-01-01 00:00:00 UTC since the Unix epoch.
inline constexpr std::int64_t base_epoch_seconds = 1767225600;

/// Broken-down time of base + `seconds`.
inline civil_time to_civil(std::int64_t seconds) {
    const std::int64_t total = base_epoch_seconds + seconds;
    std::int64_t days = total / 86400;
    std::int64_t rem = total % 86400;
    if (rem < 0) { rem += 86400; --days; }
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    civil_time out;
    out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    out.year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (out.month <= 2));
    out.hour = static_cast<int>(rem / 3600);
    out.minute = static_cast<int>(rem / 60 % 60);
    out.second = static_cast<int>(rem % 60);
    return out;
}

/// Seconds since the base of broken-down fields.
inline std::int64_t from_civil(const civil_time& t) {
    return days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)) * 86400 +
           t.hour * 3600 + t.minute * 60 + t.second - base_epoch_seconds;
}

/// "YYYY-MM-DD HH:MM:SS" of base + `seconds`.
inline std::string created_text(std::int64_t seconds) {
    const civil_time t = to_civil(seconds);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                  t.minute, t.second);
    return buffer;
}

/// Parses "YYYY-MM-DD HH:MM:SS" (fractions ignored) into seconds since the base; throws on bad text.
inline std::int64_t parse_created(std::string_view text) {
    auto digits = [&](std::size_t at, std::size_t count) {
        int value = 0;
        for (std::size_t i = at; i < at + count; ++i) {
            if (i >= text.size() || text[i] < '0' || text[i] > '9')
                throw std::runtime_error("bad DATETIME text: " + std::string(text));
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    civil_time t;
    t.year = digits(0, 4);
    t.month = digits(5, 2);
    t.day = digits(8, 2);
    t.hour = digits(11, 2);
    t.minute = digits(14, 2);
    t.second = digits(17, 2);
    return from_civil(t);
}

/// Person row `i` of the contract (id = i).
inline person make_person(std::int64_t i) {
    person p;
    p.id = i;
    p.name = "name-" + std::to_string(i);
    if (i % 10 != 0) p.email = "user" + std::to_string(i) + "@example.com";
    p.age = static_cast<std::int32_t>(18 + i % 60);
    p.score = static_cast<double>(i) * 0.25;
    p.created = i;
    return p;
}

/// h(s): sum of byte * (position + 1).
inline std::int64_t h(std::string_view s) {
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < s.size(); ++k)
        sum += static_cast<std::int64_t>(static_cast<unsigned char>(s[k])) * static_cast<std::int64_t>(k + 1);
    return sum;
}

/// row_sum of one person from its fields (`email` null when absent).
inline std::int64_t row_sum(std::int64_t id, std::string_view name, const std::string_view* email,
                            std::int64_t age, double score, std::int64_t created) {
    return id + 3 * age + 5 * h(name) + 7 * (email == nullptr ? 1 : h(*email)) + 11 * std::llround(score * 4) +
           13 * created;
}

/// row_sum of one person.
inline std::int64_t row_sum(const person& p) {
    if (p.email) {
        const std::string_view email = *p.email;
        return row_sum(p.id, p.name, &email, p.age, p.score, p.created);
    }
    return row_sum(p.id, p.name, nullptr, p.age, p.score, p.created);
}

/// One row of the W5 report.
struct report_row {
    std::int64_t id = 0;
    std::string name;
    std::int64_t count = 0;
    double avg = 0;
};

/// The W5 checksum term of one report row.
inline std::int64_t report_row_sum(std::int64_t id, std::int64_t count, std::string_view name, double avg) {
    return id + 3 * count + 5 * h(name) + 7 * std::llround(avg * 100);
}

/// The W5 checksum of a whole report.
inline std::int64_t report_checksum(const std::vector<report_row>& rows) {
    std::int64_t sum = 0;
    for (const report_row& r : rows) sum += report_row_sum(r.id, r.count, r.name, r.avg);
    return sum;
}

// ---- W6: loading associations (users -> posts -> comments) ----

/// True for W6 and W6L.
inline bool is_w6(std::string_view w) { return w == "W6" || w == "W6L"; }
/// The users W6 loads (ids 1..n): 100, or 10,000 for W6L; each has 10 posts, each post 10 comments.
inline std::int64_t w6_users(std::string_view w) { return w == "W6L" ? 10000 : 100; }

/// The three statements of W6: users, then posts and comments by IN lists of their parents' ids.
inline constexpr const char* w6_users_sql = "SELECT id, name FROM bench_user WHERE id <= ? ORDER BY id";
/// `SELECT id, <parent>, <text> FROM <table> WHERE <parent> IN (?, ...) ORDER BY <parent>, id` with `n` placeholders.
inline std::string w6_children_sql(const char* table, const char* parent, const char* text, std::size_t n) {
    std::string sql = std::string("SELECT id, ") + parent + ", " + text + " FROM " + table + " WHERE " + parent + " IN (";
    sql.reserve(sql.size() + 3 * n + 40);
    for (std::size_t i = 0; i < n; ++i) sql += i ? ", ?" : "?";
    return sql + ") ORDER BY " + parent + ", id";
}

/// The stitched result of W6 (the hand-written programs' structs).
struct w6_comment {
    std::int64_t id = 0;
    std::string body;
};
struct w6_post {
    std::int64_t id = 0;
    std::string title;
    std::vector<w6_comment> comments;
};
struct w6_user {
    std::int64_t id = 0;
    std::string name;
    std::vector<w6_post> posts;
};

/// Stitches W6 rows as a hand-written program does: users in order, then each post
/// under its user and each comment under its post, found by id (rows come grouped
/// by parent, so the last parent is tried first).
class w6_builder {
public:
    std::vector<w6_user> users;

    void add_user(std::int64_t id, std::string_view name) { users.push_back({id, std::string(name), {}}); }
    /// The users' ids (the next level's IN list); indexes the users.
    std::vector<std::int64_t> user_ids() {
        std::vector<std::int64_t> ids;
        ids.reserve(users.size());
        for (w6_user& u : users) {
            ids.push_back(u.id);
            user_at_.emplace(u.id, &u);
        }
        return ids;
    }
    void add_post(std::int64_t user_id, std::int64_t id, std::string_view title) {
        if (!last_user_ || last_user_->id != user_id) last_user_ = user_at_.at(user_id);
        last_user_->posts.push_back({id, std::string(title), {}});
    }
    /// The posts' ids; indexes the posts (their addresses are stable from now on).
    std::vector<std::int64_t> post_ids() {
        std::vector<std::int64_t> ids;
        for (w6_user& u : users)
            for (w6_post& p : u.posts) {
                ids.push_back(p.id);
                post_at_.emplace(p.id, &p);
            }
        return ids;
    }
    void add_comment(std::int64_t post_id, std::int64_t id, std::string_view body) {
        if (!last_post_ || last_post_->id != post_id) last_post_ = post_at_.at(post_id);
        last_post_->comments.push_back({id, std::string(body)});
    }

private:
    std::unordered_map<std::int64_t, w6_user*> user_at_;
    std::unordered_map<std::int64_t, w6_post*> post_at_;
    w6_user* last_user_ = nullptr;
    w6_post* last_post_ = nullptr;
};

/// The two child levels of W6: `select(table, parent_column, text_column, parent_ids, row)` runs one
/// level's IN queries and calls `row(parent_id, id, text)` per row; the rows are stitched into `built`.
template <class Select>
void w6_load_children(w6_builder& built, Select&& select) {
    std::vector<std::int64_t> ids = built.user_ids();
    select("bench_post", "user_id", "title", ids, [&](std::int64_t user, std::int64_t id, std::string_view title) { built.add_post(user, id, title); });
    ids = built.post_ids();
    select("bench_comment", "post_id", "body", ids, [&](std::int64_t post, std::int64_t id, std::string_view body) { built.add_comment(post, id, body); });
}

/// The W6 checksum terms: a post or comment counts under its own parent only.
inline std::int64_t w6_user_term(std::int64_t id, std::string_view name) { return id + 3 * h(name); }
inline std::int64_t w6_post_term(std::int64_t user_id, std::int64_t id, std::string_view title) {
    return 5 * id + 7 * h(title) + 17 * (user_id % 1000) * (id % 1000);
}
inline std::int64_t w6_comment_term(std::int64_t post_id, std::int64_t id, std::string_view body) {
    return 11 * id + 13 * h(body) + 19 * (post_id % 1000) * (id % 1000);
}
/// The checksum and row count (users + posts + comments) of a stitched W6 result.
inline std::pair<std::int64_t, std::int64_t> w6_checksum(const std::vector<w6_user>& users) {
    std::int64_t sum = 0, rows = 0;
    for (const w6_user& u : users) {
        sum += w6_user_term(u.id, u.name);
        ++rows;
        for (const w6_post& p : u.posts) {
            sum += w6_post_term(u.id, p.id, p.title);
            ++rows;
            for (const w6_comment& c : p.comments) {
                sum += w6_comment_term(p.id, c.id, c.body);
                ++rows;
            }
        }
    }
    return {sum, rows};
}

/// Sum of row_sum over persons.
inline std::int64_t checksum(const std::vector<person>& rows) {
    std::int64_t sum = 0;
    for (const person& p : rows) sum += row_sum(p);
    return sum;
}

/// The W3 ids: 1 + (k * 7919) % n for k = 0..9999 (distinct for n = 20000).
inline std::vector<std::int64_t> lookup_ids(std::int64_t n) {
    std::vector<std::int64_t> ids;
    ids.reserve(lookup_count);
    for (std::int64_t k = 0; k < lookup_count; ++k) ids.push_back(1 + (k * 7919) % n);
    return ids;
}

/// A monotonic stopwatch started at construction (or start()).
class stopwatch {
public:
    stopwatch() : start_(std::chrono::steady_clock::now()) {}
    /// Restarts the stopwatch.
    void start() { start_ = std::chrono::steady_clock::now(); }
    /// Seconds since the start.
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    std::chrono::steady_clock::time_point start_;
};

/// Peak resident set size (VmHWM) of this process in KiB, or 0 when unknown.
inline std::int64_t peak_rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10);
    }
    return 0;
}

/// Prints the one JSON result line of the contract to stdout.
inline void print_result(std::string_view impl, std::string_view backend, std::string_view workload,
                         double seconds, std::int64_t rows, std::int64_t checksum) {
    std::printf("{\"impl\":\"%.*s\",\"backend\":\"%.*s\",\"workload\":\"%.*s\",\"seconds\":%.9g,"
                "\"rows\":%lld,\"checksum\":%lld,\"peak_rss_kib\":%lld}\n",
                static_cast<int>(impl.size()), impl.data(), static_cast<int>(backend.size()), backend.data(),
                static_cast<int>(workload.size()), workload.data(), seconds, static_cast<long long>(rows),
                static_cast<long long>(checksum), static_cast<long long>(peak_rss_kib()));
    std::fflush(stdout);
}

/// Runs `body` (returning the exit code); an exception becomes a message on stderr and exit code 1.
template <class Body>
int run_guarded(const char* program, Body&& body) noexcept {
    try {
        return body();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: error: %s\n", program, e.what());
    } catch (...) {
        std::fprintf(stderr, "%s: error: unknown exception\n", program);
    }
    return 1;
}

}  // namespace bench
