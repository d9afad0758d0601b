// stream_rows — how much memory and time it takes to read a big table through
// orm: streaming (`for (const Row& r : conn.select<Row>().stream())`) against reading
// every row into a std::vector (`conn.select<Row>().all()`), and the same two
// ways through the raw client library for contrast.
//
//   stream_rows URL [--rows N] [--batch B] [--no-insert] [--keep] [--raw] [--only PHASE]
//
//   URL          sqlite:////tmp/bench.db  or  mysql://user:pw@127.0.0.1:3306/db
//   --rows N     rows to insert and read (default 1000000)
//   --batch B    rows per insert_many call, one transaction each (default 10000)
//   --no-insert  reuse the table a previous run left (with --keep)
//   --keep       leave the table in place at the end
//   --raw        also time the raw client library (sqlite3 / Connector/C++)
//   --only P     run only read phase P: orm-stream, orm-all, raw-stream, raw-buffered
//
// Every row read is checked against the values inserted (id 1..N, n, x and s
// derived from id), so a phase that loses, reorders into duplicates or
// corrupts rows fails the run (exit code 1).
//
// Peak memory per phase: freed heap is handed back to the kernel
// (malloc_trim; the mmap threshold is fixed so big blocks always come from
// mmap), then the kernel's high-water mark of resident memory (VmHWM
// in /proc/self/status) is reset by writing 5 to /proc/self/clear_refs, so
// "peak" is the highest RSS reached during that phase alone. The lifetime
// VmHWM before each phase, and after it, is printed too.
#include <orm/orm.hpp>

#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <malloc.h>  // malloc_trim, mallopt (glibc)
#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

/// The benchmark's mapped struct: a key, an int, a double and a short string.
struct bench_row {
    std::int64_t id = 0;
    std::int32_t n = 0;
    double x = 0;
    std::string s;
};

template <>
struct orm::model<bench_row> {
    static constexpr auto table = "bench_rows";
    static constexpr auto columns = orm::columns(orm::column(&bench_row::s, orm::length(24)));
};

namespace {

// ---- the data set: every value derives from the row's id -------------------

std::int32_t expected_n(std::int64_t id) { return static_cast<std::int32_t>((id * 7919) % 1000003) - 500000; }
double expected_x(std::int64_t id) { return static_cast<double>(id) * 0.25 + 0.1; }  // 0.1: not exact in binary
std::string expected_s(std::int64_t id) { return "row-" + std::to_string(id); }

/// Checks rows as they are read; `ok()` once all N rows 1..N were seen intact.
class checksum {
public:
    explicit checksum(std::int64_t expected_rows) : expected_rows_(expected_rows) {}

    void add(std::int64_t id, std::int32_t n, double x, std::string_view s) {
        ++rows_;
        id_sum_ += static_cast<std::uint64_t>(id);
        char text[32] = "row-";
        const auto end = std::to_chars(text + 4, text + sizeof text, id).ptr;
        if (n != expected_n(id) || x != expected_x(id) || s != std::string_view(text, static_cast<std::size_t>(end - text))) {
            if (bad_++ < 3) std::cerr << "  row " << id << " differs: n=" << n << " x=" << x << " s=" << s << '\n';
        }
    }
    std::int64_t rows() const { return rows_; }
    bool ok() const {
        const auto n = static_cast<std::uint64_t>(expected_rows_);
        return bad_ == 0 && rows_ == expected_rows_ && id_sum_ == n * (n + 1) / 2;
    }

private:
    std::int64_t expected_rows_;
    std::int64_t rows_ = 0;
    std::int64_t bad_ = 0;
    std::uint64_t id_sum_ = 0;
};

// ---- memory ------------------------------------------------------------------

/// A field of /proc/self/status in KiB ("VmHWM", "VmRSS"), or -1.
long status_kib(std::string_view field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 && line[field.size()] == ':')
            return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
    }
    return -1;
}

/// Resets VmHWM to the current RSS (Linux >= 4.0); false where not allowed.
bool reset_peak() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

// ---- phases --------------------------------------------------------------------

struct phase_result {
    std::string name;
    std::int64_t rows = 0;
    double seconds = 0;
    long rss_start_kib = 0;
    long hwm_before_kib = 0;  ///< VmHWM before the phase: the peak of everything before it
    long peak_kib = 0;        ///< VmHWM after the phase: its own peak, as VmHWM was reset at its start
    bool checked = true;
};

bool peak_resets = true;

/// Runs `body` as a timed, memory-measured phase; it returns its checksum.
phase_result run_phase(const std::string& name, const std::function<checksum()>& body) {
    phase_result r;
    r.name = name;
    r.hwm_before_kib = status_kib("VmHWM");
    malloc_trim(0);
    peak_resets = reset_peak() && peak_resets;
    r.rss_start_kib = status_kib("VmRSS");
    const auto start = std::chrono::steady_clock::now();
    const checksum sum = body();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.peak_kib = status_kib("VmHWM");
    r.rows = sum.rows();
    r.checked = sum.ok();
    std::cerr << "  " << name << ": " << r.rows << " rows in " << r.seconds << " s"
              << (r.checked ? "" : "  ** CHECKSUM MISMATCH **") << '\n';
    return r;
}

void insert_rows(orm::engine& db, std::int64_t count, std::int64_t batch) {
    orm::drop_all<bench_row>(db);
    orm::create_all<bench_row>(db);
    auto conn = db.connect();
    std::vector<bench_row> rows;
    rows.reserve(static_cast<std::size_t>(batch));
    for (std::int64_t first = 1; first <= count; first += batch) {
        rows.clear();
        for (std::int64_t id = first; id < first + batch && id <= count; ++id)
            rows.push_back(bench_row{0, expected_n(id), expected_x(id), expected_s(id)});
        auto tx = conn.begin();
        conn.insert_many(rows);
        tx.commit();
        if (rows.front().id != first)  // a fresh table numbers rows 1..N in insert order
            throw std::runtime_error("generated key " + std::to_string(rows.front().id) + " where " +
                                     std::to_string(first) + " was expected (is the table fresh?)");
    }
}

checksum orm_stream(orm::engine& db, std::int64_t count) {
    checksum sum(count);
    auto conn = db.connect();
    for (const bench_row& r : conn.select<bench_row>().stream()) sum.add(r.id, r.n, r.x, r.s);
    return sum;
}

checksum orm_all(orm::engine& db, std::int64_t count) {
    checksum sum(count);
    auto conn = db.connect();
    const std::vector<bench_row> rows = conn.select<bench_row>().all();
    for (const bench_row& r : rows) sum.add(r.id, r.n, r.x, r.s);
    return sum;
}

constexpr const char* select_sql = "SELECT id, n, x, s FROM bench_rows";

// -- raw sqlite3

checksum sqlite_raw(const orm::url& target, std::int64_t count, bool into_vector) {
    checksum sum(count);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(target.database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("sqlite3_open_v2: ") + sqlite3_errmsg(db));
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, select_sql, -1, &stmt, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("sqlite3_prepare_v2: ") + sqlite3_errmsg(db));
    std::vector<bench_row> rows;
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const auto id = sqlite3_column_int64(stmt, 0);
        const auto n = static_cast<std::int32_t>(sqlite3_column_int64(stmt, 1));
        const double x = sqlite3_column_double(stmt, 2);
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
        const std::string_view s(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, 3)));
        if (into_vector)
            rows.push_back(bench_row{id, n, x, std::string(s)});
        else
            sum.add(id, n, x, s);
    }
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("sqlite3_step: ") + sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    for (const bench_row& r : rows) sum.add(r.id, r.n, r.x, r.s);
    return sum;
}

// -- raw Connector/C++ (the library orm's MySQL driver uses)

std::unique_ptr<sql::Connection> connector_connect(const orm::url& target) {
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString(target.host.empty() ? "127.0.0.1" : target.host);
    options["port"] = static_cast<int>(target.port.value_or(3306));
    options["userName"] = sql::SQLString(target.user);
    options["password"] = sql::SQLString(target.password);
    options["schema"] = sql::SQLString(target.database);
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    return std::unique_ptr<sql::Connection>(get_driver_instance()->connect(options));
}

/// `streaming`: a text-protocol Statement with TYPE_FORWARD_ONLY (mysql_use_result);
/// otherwise a PreparedStatement, which Connector/C++ 1.1 always buffers (mysql_stmt_store_result).
checksum connector_raw(const orm::url& target, std::int64_t count, bool streaming) {
    checksum sum(count);
    auto conn = connector_connect(target);
    std::unique_ptr<sql::Statement> statement;
    std::unique_ptr<sql::PreparedStatement> prepared;
    std::unique_ptr<sql::ResultSet> rs;
    if (streaming) {
        statement.reset(conn->createStatement());
        statement->setResultSetType(sql::ResultSet::TYPE_FORWARD_ONLY);
        rs.reset(statement->executeQuery(select_sql));
    } else {
        prepared.reset(conn->prepareStatement(select_sql));
        rs.reset(prepared->executeQuery());
    }
    while (rs->next()) {
        const std::string s = rs->getString(4);
        double x = 0;
        if (streaming) {  // exact: Connector/C++'s getDouble parses through long double
            const std::string text = rs->getString(3);
            std::from_chars(text.data(), text.data() + text.size(), x);
        } else {
            x = static_cast<double>(rs->getDouble(3));
        }
        sum.add(rs->getInt64(1), rs->getInt(2), x, s);
    }
    return sum;
}

// ---- report --------------------------------------------------------------------

void print_table(const std::vector<phase_result>& results) {
    std::printf("| phase | rows | seconds | rows/s | VmHWM before (MiB) | RSS at start (MiB) | VmHWM after = phase peak (MiB) | peak - start (MiB) | rows check |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (const phase_result& r : results) {
        std::printf("| %s | %lld | %.2f | %.0f | %.1f | %.1f | %.1f | %.1f | %s |\n", r.name.c_str(),
                    static_cast<long long>(r.rows), r.seconds, r.seconds > 0 ? static_cast<double>(r.rows) / r.seconds : 0.0,
                    mib(r.hwm_before_kib), mib(r.rss_start_kib), mib(r.peak_kib), mib(r.peak_kib - r.rss_start_kib),
                    r.checked ? "ok" : "MISMATCH");
    }
}

[[noreturn]] void usage() {
    std::cerr << "usage: stream_rows URL [--rows N] [--batch B] [--no-insert] [--keep] [--raw] [--only PHASE]\n"
                 "  URL: sqlite:////tmp/bench.db or mysql://user:pw@127.0.0.1:3306/db\n"
                 "  PHASE: orm-stream, orm-all, raw-stream, raw-buffered\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) usage();
    const std::string url_text = argv[1];
    std::int64_t rows = 1'000'000;
    std::int64_t batch = 10'000;
    bool insert = true, keep = false, raw = false;
    std::string only;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto number = [&] {
            if (++i >= argc) usage();
            return std::strtoll(argv[i], nullptr, 10);
        };
        if (arg == "--rows") rows = number();
        else if (arg == "--batch") batch = number();
        else if (arg == "--no-insert") insert = false;
        else if (arg == "--keep") keep = true;
        else if (arg == "--raw") raw = true;
        else if (arg == "--only" && i + 1 < argc) only = argv[++i];
        else usage();
    }
    if (rows < 1 || batch < 1) usage();
    // A fixed mmap threshold: glibc otherwise raises it when a big block is
    // freed, and a later phase's big vector then grows inside the heap, where
    // the copy on each growth leaves the old block resident: phases would not
    // be comparable within one process.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);

    try {
        const orm::url target = orm::url::parse(url_text);
        const bool is_sqlite = target.scheme == "sqlite";
        auto db = orm::create_engine(url_text);
        std::cerr << "stream_rows: " << target.redacted() << ", " << rows << " rows\n";

        std::vector<phase_result> results;
        if (insert) {
            results.push_back(run_phase("insert (insert_many, batches of " + std::to_string(batch) + ")", [&] {
                insert_rows(db, rows, batch);
                checksum inserted(rows);
                for (std::int64_t id = 1; id <= rows; ++id) inserted.add(id, expected_n(id), expected_x(id), expected_s(id));
                return inserted;
            }));
            results.back().checked = true;
        }
        db.dispose();  // no idle connection carries state between phases

        auto wanted = [&](std::string_view phase) { return only.empty() || only == phase; };
        if (wanted("orm-stream"))
            results.push_back(run_phase("orm: for (const Row& r : conn.select<Row>().stream())", [&] { return orm_stream(db, rows); }));
        db.dispose();
        if (wanted("orm-all"))
            results.push_back(run_phase("orm: conn.select<Row>().all()", [&] { return orm_all(db, rows); }));
        db.dispose();
        if ((raw && only.empty()) || only == "raw-stream") {
            results.push_back(is_sqlite
                ? run_phase("raw sqlite3: step loop", [&] { return sqlite_raw(target, rows, false); })
                : run_phase("raw Connector/C++: Statement, TYPE_FORWARD_ONLY", [&] { return connector_raw(target, rows, true); }));
        }
        if ((raw && only.empty()) || only == "raw-buffered") {
            results.push_back(is_sqlite
                ? run_phase("raw sqlite3: step loop into std::vector", [&] { return sqlite_raw(target, rows, true); })
                : run_phase("raw Connector/C++: PreparedStatement (buffered)", [&] { return connector_raw(target, rows, false); }));
        }

        if (!keep) orm::drop_all<bench_row>(db);
        if (!peak_resets)
            std::cerr << "note: /proc/self/clear_refs could not reset VmHWM: peaks are lifetime peaks\n";
        print_table(results);
        for (const phase_result& r : results)
            if (!r.checked) return 1;
        return 0;
    } catch (const orm::error& e) {
        std::cerr << "stream_rows: " << e.what() << '\n';
    } catch (const sql::SQLException& e) {
        std::cerr << "stream_rows: Connector/C++: " << e.what() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "stream_rows: " << e.what() << '\n';
    }
    return 1;
}
