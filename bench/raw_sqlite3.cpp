// raw_sqlite3: the benchmark workloads written by hand on the sqlite3 C API
// with prepared statements and step loops (see bench/WORKLOADS.md).
// SQLite only: exits 3 for MySQL.
#include "bench_common.hpp"

#include <sqlite3.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace {

constexpr const char* impl_name = "raw-sqlite3";
constexpr const char* select_columns = "SELECT id, name, email, age, score, created FROM ";
constexpr const char* insert_head = "INSERT INTO bench_person (name, email, age, score, created) VALUES ";
constexpr std::int64_t rows_per_insert = 500;  // W1b: rows of one multi-row INSERT

/// Throws the connection's last error.
[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    throw std::runtime_error(what + ": " + sqlite3_errmsg(db));
}

/// Owns an open database (library defaults: rollback journal, synchronous=FULL).
struct database {
    sqlite3* db = nullptr;
    explicit database(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close(db);
            throw std::runtime_error("open " + path + ": " + message);
        }
    }
    ~database() { sqlite3_close(db); }
    database(const database&) = delete;
    database& operator=(const database&) = delete;
    /// Runs SQL without results.
    void run(const char* sql) {
        if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql);
    }
};

/// Owns a prepared statement.
struct statement {
    sqlite3* db;
    sqlite3_stmt* stmt = nullptr;
    statement(sqlite3* connection, const std::string& sql) : db(connection) {
        if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
            fail(db, "prepare " + sql);
    }
    ~statement() { sqlite3_finalize(stmt); }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    /// Steps once: true for a row, false when done.
    bool step() {
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db, "step");
    }
    /// Runs a statement without results to its end and resets it.
    void run_reset() {
        if (step()) throw std::runtime_error("statement returned a row");
        sqlite3_reset(stmt);
    }
};

/// A text column as a view (valid until the next step).
std::string_view text(sqlite3_stmt* stmt, int column) {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
    return {data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, column))};
}

/// The current row of a six-column person result.
bench::person read_person(sqlite3_stmt* stmt) {
    bench::person p;
    p.id = sqlite3_column_int64(stmt, 0);
    p.name = text(stmt, 1);
    if (sqlite3_column_type(stmt, 2) != SQLITE_NULL) p.email = std::string(text(stmt, 2));
    p.age = sqlite3_column_int(stmt, 3);
    p.score = sqlite3_column_double(stmt, 4);
    p.created = bench::parse_created(text(stmt, 5));
    return p;
}

/// Reads all of bench_person in id order into structs.
std::vector<bench::person> load_people(database& d) {
    statement select(d.db, std::string(select_columns) + "bench_person ORDER BY id");
    std::vector<bench::person> people;  // SQLite cannot tell the row count first: no reserve (see WORKLOADS.md)
    while (select.step()) people.push_back(read_person(select.stmt));
    return people;
}

/// Binds the five inserted columns of `p` from parameter `first` on; `created` must outlive the step.
void bind_person(sqlite3_stmt* stmt, int first, const bench::person& p, const std::string& created) {
    sqlite3_bind_text(stmt, first, p.name.data(), static_cast<int>(p.name.size()), SQLITE_STATIC);
    if (p.email) {
        sqlite3_bind_text(stmt, first + 1, p.email->data(), static_cast<int>(p.email->size()), SQLITE_STATIC);
    } else {
        sqlite3_bind_null(stmt, first + 1);
    }
    sqlite3_bind_int(stmt, first + 2, p.age);
    sqlite3_bind_double(stmt, first + 3, p.score);
    sqlite3_bind_text(stmt, first + 4, created.data(), static_cast<int>(created.size()), SQLITE_STATIC);
}

/// W1a: one prepared INSERT reused for every row, reading each generated id.
void insert_one_by_one(database& d, std::int64_t n) {
    statement insert(d.db, std::string(insert_head) + "(?, ?, ?, ?, ?)");
    std::int64_t id_sum = 0;
    for (std::int64_t i = 1; i <= n; ++i) {
        const bench::person p = bench::make_person(i);
        const std::string created = bench::created_text(p.created);
        bind_person(insert.stmt, 1, p, created);
        insert.run_reset();
        id_sum += sqlite3_last_insert_rowid(d.db);
    }
    if (id_sum <= 0) throw std::runtime_error("bad generated ids");
}

/// The text of a multi-row INSERT of `rows` rows.
std::string multi_row_insert(std::int64_t rows) {
    std::string sql = insert_head;
    for (std::int64_t r = 0; r < rows; ++r) sql += r == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)";
    return sql;
}

/// W1b: prepared multi-row INSERTs of `rows_per_insert` rows (the last one shorter). Measured
/// here about 3x faster than reusing the one-row INSERT of W1a, from 100 rows per statement on.
void insert_multi_row(database& d, std::int64_t n) {
    statement full(d.db, multi_row_insert(std::min(n, rows_per_insert)));
    std::vector<bench::person> people;
    std::vector<std::string> created;
    for (std::int64_t first = 1; first <= n; first += rows_per_insert) {
        const std::int64_t count = std::min(rows_per_insert, n - first + 1);
        std::optional<statement> partial;
        if (count != std::min(n, rows_per_insert)) partial.emplace(d.db, multi_row_insert(count));
        statement& insert = partial ? *partial : full;
        people.clear();
        created.clear();
        for (std::int64_t r = 0; r < count; ++r) {
            people.push_back(bench::make_person(first + r));
            created.push_back(bench::created_text(first + r));
        }
        for (std::int64_t r = 0; r < count; ++r)
            bind_person(insert.stmt, static_cast<int>(r * 5 + 1), people[static_cast<std::size_t>(r)],
                        created[static_cast<std::size_t>(r)]);
        insert.run_reset();
        if (sqlite3_changes(d.db) != count) throw std::runtime_error("multi-row insert: wrong row count");
    }
}

/// W2s: a step loop over bench_stream, summing as rows arrive.
std::int64_t stream_rows(database& d, std::int64_t& rows) {
    statement select(d.db, std::string(select_columns) + "bench_stream ORDER BY id");
    std::int64_t sum = 0;
    rows = 0;
    while (select.step()) {
        sqlite3_stmt* s = select.stmt;
        const bool email_null = sqlite3_column_type(s, 2) == SQLITE_NULL;
        const std::string_view email = text(s, 2);
        sum += bench::row_sum(sqlite3_column_int64(s, 0), text(s, 1), email_null ? nullptr : &email,
                              sqlite3_column_int(s, 3), sqlite3_column_double(s, 4), bench::parse_created(text(s, 5)));
        ++rows;
    }
    return sum;
}

/// W3: one prepared SELECT by id, reset and re-bound per lookup.
std::vector<bench::person> lookups(database& d, const std::vector<std::int64_t>& ids) {
    statement select(d.db, std::string(select_columns) + "bench_person WHERE id = ?");
    std::vector<bench::person> found;
    found.reserve(ids.size());
    for (const std::int64_t id : ids) {
        sqlite3_bind_int64(select.stmt, 1, id);
        if (!select.step()) throw std::runtime_error("lookup found no row");
        found.push_back(read_person(select.stmt));
        sqlite3_reset(select.stmt);
    }
    return found;
}

/// W4: age + 1 on every struct, one prepared UPDATE reused per row.
void update_rows(database& d, std::vector<bench::person>& people) {
    statement update(d.db, "UPDATE bench_person SET age = ? WHERE id = ?");
    for (bench::person& p : people) {
        p.age += 1;
        sqlite3_bind_int(update.stmt, 1, p.age);
        sqlite3_bind_int64(update.stmt, 2, p.id);
        update.run_reset();
        if (sqlite3_changes(d.db) != 1) throw std::runtime_error("update changed no row");
    }
}

/// W5: the report, prepared once, stepped `report_runs` times into structs.
std::vector<bench::report_row> report(database& d) {
    statement select(d.db, bench::report_sql);
    std::vector<bench::report_row> rows;
    for (int run = 0; run < bench::report_runs; ++run) {
        rows.clear();
        while (select.step())
            rows.push_back({sqlite3_column_int64(select.stmt, 0), std::string(text(select.stmt, 1)),
                            sqlite3_column_int64(select.stmt, 2), sqlite3_column_double(select.stmt, 3)});
        sqlite3_reset(select.stmt);
    }
    return rows;
}

/// W6: one prepared IN query per level and batch of parent ids (at most the
/// connection's SQLITE_LIMIT_VARIABLE_NUMBER), each row stitched under its parent.
template <class Row>
void select_children(database& d, const char* table, const char* parent, const char* text_column, const std::vector<std::int64_t>& ids,
                     Row&& row) {
    const auto max_parameters = static_cast<std::size_t>(sqlite3_limit(d.db, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
    for (std::size_t first = 0; first < ids.size(); first += max_parameters) {
        const std::size_t n = std::min(max_parameters, ids.size() - first);
        statement select(d.db, bench::w6_children_sql(table, parent, text_column, n));
        for (std::size_t i = 0; i < n; ++i) sqlite3_bind_int64(select.stmt, static_cast<int>(i + 1), ids[first + i]);
        while (select.step()) row(sqlite3_column_int64(select.stmt, 1), sqlite3_column_int64(select.stmt, 0), text(select.stmt, 2));
    }
}

/// W6: users 1..`user_count`, their posts, those posts' comments, in one transaction.
std::vector<bench::w6_user> load_associations(database& d, std::int64_t user_count) {
    bench::w6_builder built;
    d.run("BEGIN");
    {
        statement select(d.db, bench::w6_users_sql);
        sqlite3_bind_int64(select.stmt, 1, user_count);
        while (select.step()) built.add_user(sqlite3_column_int64(select.stmt, 0), text(select.stmt, 1));
    }
    bench::w6_load_children(built, [&](const char* table, const char* parent, const char* text, std::vector<std::int64_t>& ids, auto&& row) {
        select_children(d, table, parent, text, ids, row);
    });
    d.run("COMMIT");
    return std::move(built.users);
}

/// Runs the workload of `opt` and prints its result line.
int run(const bench::options& opt) {
    const bench::url_parts url = bench::parse_url(opt.url);
    if (url.scheme != "sqlite") return bench::exit_unsupported;
    database d(url.path);
    const std::string& w = opt.workload;
    bench::stopwatch timer;
    std::int64_t rows = opt.rows, sum = 0;
    double seconds = 0;
    if (w == "W1a" || w == "W1b") {
        timer.start();
        d.run("BEGIN");
        if (w == "W1a") {
            insert_one_by_one(d, opt.rows);
        } else {
            insert_multi_row(d, opt.rows);
        }
        d.run("COMMIT");
        seconds = timer.seconds();
    } else if (w == "W2") {
        timer.start();
        const std::vector<bench::person> people = load_people(d);
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(people.size());
        sum = bench::checksum(people);
    } else if (w == "W2s") {
        timer.start();
        sum = stream_rows(d, rows);
        seconds = timer.seconds();
    } else if (w == "W3") {
        const std::vector<std::int64_t> ids = bench::lookup_ids(opt.rows);
        timer.start();
        d.run("BEGIN");
        const std::vector<bench::person> found = lookups(d, ids);
        d.run("COMMIT");
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(found.size());
        sum = bench::checksum(found);
    } else if (w == "W4") {
        d.run("BEGIN");
        std::vector<bench::person> people = load_people(d);
        timer.start();
        update_rows(d, people);
        d.run("COMMIT");
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(people.size());
    } else if (bench::is_w6(w)) {
        timer.start();
        const std::vector<bench::w6_user> users = load_associations(d, bench::w6_users(w));
        seconds = timer.seconds();
        std::tie(sum, rows) = bench::w6_checksum(users);
    } else {  // W5
        timer.start();
        const std::vector<bench::report_row> result = report(d);
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(result.size());
        sum = bench::report_checksum(result);
    }
    bench::print_result(impl_name, "sqlite", w, seconds, rows, sum);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const bench::options opt = bench::parse_options(argc, argv);
    return bench::run_guarded(argv[0], [&] { return run(opt); });
}
