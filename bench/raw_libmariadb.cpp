// raw_libmariadb: the benchmark workloads written by hand on the MariaDB
// Connector/C API with prepared statements and array binding, the practical
// limit on MariaDB (see bench/WORKLOADS.md). MySQL only: exits 3 for SQLite.
#include "bench_common.hpp"

#include <mysql.h>

#include <cstring>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace {

constexpr const char* impl_name = "raw-libmariadb";
constexpr const char* select_columns = "SELECT id, name, email, age, score, created FROM ";
constexpr std::size_t bulk_rows = 5000;  // rows per array-bound execution

/// Throws the connection's last error.
[[noreturn]] void fail(MYSQL* db, const char* what) {
    throw std::runtime_error(std::string(what) + ": " + mysql_error(db));
}

/// Throws the statement's last error.
[[noreturn]] void fail(MYSQL_STMT* stmt, const char* what) {
    throw std::runtime_error(std::string(what) + ": " + mysql_stmt_error(stmt));
}

/// Owns a connection.
struct connection {
    MYSQL* db = nullptr;
    explicit connection(const bench::url_parts& url) {
        db = mysql_init(nullptr);
        if (db == nullptr) throw std::runtime_error("mysql_init failed");
        mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
        if (mysql_real_connect(db, url.host.c_str(), url.user.c_str(), url.password.c_str(), url.database.c_str(),
                               url.port, nullptr, 0) == nullptr)
            fail(db, "connect");
    }
    ~connection() { mysql_close(db); }
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    /// Runs a statement without results.
    void run(const char* sql) {
        if (mysql_query(db, sql) != 0) fail(db, sql);
    }
};

/// Owns a prepared statement.
struct statement {
    MYSQL_STMT* stmt = nullptr;
    statement(MYSQL* db, const std::string& sql) {
        stmt = mysql_stmt_init(db);
        if (stmt == nullptr) fail(db, "mysql_stmt_init");
        if (mysql_stmt_prepare(stmt, sql.c_str(), sql.size()) != 0) fail(stmt, "prepare");
    }
    ~statement() { mysql_stmt_close(stmt); }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    /// Executes with the bound parameters.
    void execute() {
        if (mysql_stmt_execute(stmt) != 0) fail(stmt, "execute");
    }
};

/// MYSQL_TIME of base + seconds.
MYSQL_TIME to_mysql_time(std::int64_t seconds) {
    const bench::civil_time t = bench::to_civil(seconds);
    MYSQL_TIME out{};
    out.year = static_cast<unsigned>(t.year);
    out.month = static_cast<unsigned>(t.month);
    out.day = static_cast<unsigned>(t.day);
    out.hour = static_cast<unsigned>(t.hour);
    out.minute = static_cast<unsigned>(t.minute);
    out.second = static_cast<unsigned>(t.second);
    out.time_type = MYSQL_TIMESTAMP_DATETIME;
    return out;
}

/// Seconds since the base of a MYSQL_TIME.
std::int64_t from_mysql_time(const MYSQL_TIME& t) {
    return bench::from_civil({static_cast<int>(t.year), static_cast<int>(t.month), static_cast<int>(t.day),
                              static_cast<int>(t.hour), static_cast<int>(t.minute), static_cast<int>(t.second)});
}

/// Output buffers of one person row, bound to a SELECT of the six columns.
struct person_buffers {
    std::int64_t id = 0;
    char name[65] = {};
    char email[129] = {};
    std::int32_t age = 0;
    double score = 0;
    MYSQL_TIME created{};
    unsigned long name_length = 0, email_length = 0;
    my_bool email_null = 0;
    MYSQL_BIND binds[6]{};

    /// Binds the buffers as the result of `stmt`.
    void bind(MYSQL_STMT* stmt) {
        binds[0].buffer_type = MYSQL_TYPE_LONGLONG;
        binds[0].buffer = &id;
        binds[1].buffer_type = MYSQL_TYPE_STRING;
        binds[1].buffer = name;
        binds[1].buffer_length = sizeof name;
        binds[1].length = &name_length;
        binds[2].buffer_type = MYSQL_TYPE_STRING;
        binds[2].buffer = email;
        binds[2].buffer_length = sizeof email;
        binds[2].length = &email_length;
        binds[2].is_null = &email_null;
        binds[3].buffer_type = MYSQL_TYPE_LONG;
        binds[3].buffer = &age;
        binds[4].buffer_type = MYSQL_TYPE_DOUBLE;
        binds[4].buffer = &score;
        binds[5].buffer_type = MYSQL_TYPE_DATETIME;
        binds[5].buffer = &created;
        if (mysql_stmt_bind_result(stmt, binds) != 0) fail(stmt, "bind_result");
    }
    /// The row as a struct.
    bench::person to_person() const {
        bench::person p;
        p.id = id;
        p.name.assign(name, name_length);
        if (!email_null) p.email.emplace(email, email_length);
        p.age = age;
        p.score = score;
        p.created = from_mysql_time(created);
        return p;
    }
    /// row_sum straight from the buffers.
    std::int64_t row_sum() const {
        const std::string_view e(email, email_length);
        return bench::row_sum(id, std::string_view(name, name_length), email_null ? nullptr : &e, age, score,
                              from_mysql_time(created));
    }
};

/// Fetches the next row; false at the end.
bool fetch(MYSQL_STMT* stmt) {
    const int rc = mysql_stmt_fetch(stmt);
    if (rc == 0) return true;
    if (rc == MYSQL_NO_DATA) return false;
    if (rc == MYSQL_DATA_TRUNCATED) throw std::runtime_error("fetch: data truncated");
    fail(stmt, "fetch");
}

/// Reads every row of bench_person in id order into structs (buffered with store_result).
std::vector<bench::person> load_people(MYSQL* db) {
    statement select(db, std::string(select_columns) + "bench_person ORDER BY id");
    select.execute();
    person_buffers row;
    row.bind(select.stmt);
    if (mysql_stmt_store_result(select.stmt) != 0) fail(select.stmt, "store_result");
    std::vector<bench::person> people;
    people.reserve(static_cast<std::size_t>(mysql_stmt_num_rows(select.stmt)));  // the stored result's count
    while (fetch(select.stmt)) people.push_back(row.to_person());
    return people;
}

/// W1a: one execute per row, reading each generated id.
void insert_one_by_one(connection& c, std::int64_t n) {
    statement insert(c.db, "INSERT INTO bench_person (name, email, age, score, created) VALUES (?, ?, ?, ?, ?)");
    char name[65], email[129];
    unsigned long name_length = 0, email_length = 0;
    my_bool email_null = 0;
    std::int32_t age = 0;
    double score = 0;
    MYSQL_TIME created{};
    MYSQL_BIND binds[5]{};
    binds[0].buffer_type = MYSQL_TYPE_STRING;
    binds[0].buffer = name;
    binds[0].length = &name_length;
    binds[1].buffer_type = MYSQL_TYPE_STRING;
    binds[1].buffer = email;
    binds[1].length = &email_length;
    binds[1].is_null = &email_null;
    binds[2].buffer_type = MYSQL_TYPE_LONG;
    binds[2].buffer = &age;
    binds[3].buffer_type = MYSQL_TYPE_DOUBLE;
    binds[3].buffer = &score;
    binds[4].buffer_type = MYSQL_TYPE_DATETIME;
    binds[4].buffer = &created;
    if (mysql_stmt_bind_param(insert.stmt, binds) != 0) fail(insert.stmt, "bind_param");
    std::int64_t id_sum = 0;
    for (std::int64_t i = 1; i <= n; ++i) {
        const bench::person p = bench::make_person(i);
        name_length = p.name.size();
        std::memcpy(name, p.name.data(), name_length);
        email_null = !p.email;
        if (p.email) {
            email_length = p.email->size();
            std::memcpy(email, p.email->data(), email_length);
        }
        age = p.age;
        score = p.score;
        created = to_mysql_time(p.created);
        insert.execute();
        id_sum += static_cast<std::int64_t>(mysql_stmt_insert_id(insert.stmt));
    }
    if (id_sum <= 0) throw std::runtime_error("bad generated ids");
}

/// W1b: array binding, `bulk_rows` rows per execute (MariaDB's COM_STMT_BULK_EXECUTE).
void insert_bulk(connection& c, std::int64_t n) {
    statement insert(c.db, "INSERT INTO bench_person (name, email, age, score, created) VALUES (?, ?, ?, ?, ?)");
    std::vector<bench::person> people;
    people.reserve(bulk_rows);
    std::vector<const char*> names, emails;
    std::vector<unsigned long> name_lengths, email_lengths;
    std::vector<char> email_indicators;
    std::vector<std::int32_t> ages;
    std::vector<double> scores;
    std::vector<MYSQL_TIME> created;
    std::vector<MYSQL_TIME*> created_pointers;  // column-wise DATETIME: an array of pointers
    for (std::int64_t first = 1; first <= n; first += static_cast<std::int64_t>(bulk_rows)) {
        const std::int64_t last = std::min(n, first + static_cast<std::int64_t>(bulk_rows) - 1);
        people.clear();
        names.clear(); emails.clear(); name_lengths.clear(); email_lengths.clear();
        email_indicators.clear(); ages.clear(); scores.clear(); created.clear(); created_pointers.clear();
        for (std::int64_t i = first; i <= last; ++i) people.push_back(bench::make_person(i));
        for (const bench::person& p : people) {
            names.push_back(p.name.data());
            name_lengths.push_back(p.name.size());
            emails.push_back(p.email ? p.email->data() : nullptr);
            email_lengths.push_back(p.email ? p.email->size() : 0);
            email_indicators.push_back(p.email ? STMT_INDICATOR_NONE : STMT_INDICATOR_NULL);
            ages.push_back(p.age);
            scores.push_back(p.score);
            created.push_back(to_mysql_time(p.created));
        }
        for (MYSQL_TIME& t : created) created_pointers.push_back(&t);
        unsigned int size = static_cast<unsigned int>(people.size());
        if (mysql_stmt_attr_set(insert.stmt, STMT_ATTR_ARRAY_SIZE, &size) != 0) fail(insert.stmt, "array size");
        MYSQL_BIND binds[5]{};
        binds[0].buffer_type = MYSQL_TYPE_STRING;
        binds[0].buffer = names.data();
        binds[0].length = name_lengths.data();
        binds[1].buffer_type = MYSQL_TYPE_STRING;
        binds[1].buffer = emails.data();
        binds[1].length = email_lengths.data();
        binds[1].u.indicator = email_indicators.data();
        binds[2].buffer_type = MYSQL_TYPE_LONG;
        binds[2].buffer = ages.data();
        binds[3].buffer_type = MYSQL_TYPE_DOUBLE;
        binds[3].buffer = scores.data();
        binds[4].buffer_type = MYSQL_TYPE_DATETIME;
        binds[4].buffer = created_pointers.data();
        if (mysql_stmt_bind_param(insert.stmt, binds) != 0) fail(insert.stmt, "bind_param");
        insert.execute();
        if (mysql_stmt_affected_rows(insert.stmt) != people.size())
            throw std::runtime_error("bulk insert: wrong affected row count");
    }
}

/// W2s: streams bench_stream unbuffered (no store_result), summing as rows arrive.
std::int64_t stream_rows(connection& c, std::int64_t& rows) {
    statement select(c.db, std::string(select_columns) + "bench_stream ORDER BY id");
    select.execute();
    person_buffers row;
    row.bind(select.stmt);
    std::int64_t sum = 0;
    rows = 0;
    while (fetch(select.stmt)) {
        sum += row.row_sum();
        ++rows;
    }
    return sum;
}

/// W3: one prepared SELECT by id, re-executed per lookup.
std::vector<bench::person> lookups(connection& c, const std::vector<std::int64_t>& ids) {
    statement select(c.db, std::string(select_columns) + "bench_person WHERE id = ?");
    std::int64_t id = 0;
    MYSQL_BIND param{};
    param.buffer_type = MYSQL_TYPE_LONGLONG;
    param.buffer = &id;
    if (mysql_stmt_bind_param(select.stmt, &param) != 0) fail(select.stmt, "bind_param");
    person_buffers row;
    row.bind(select.stmt);
    std::vector<bench::person> found;
    found.reserve(ids.size());
    for (const std::int64_t wanted : ids) {
        id = wanted;
        select.execute();
        if (!fetch(select.stmt)) throw std::runtime_error("lookup found no row");
        found.push_back(row.to_person());
        if (fetch(select.stmt)) throw std::runtime_error("lookup found two rows");
    }
    return found;
}

/// W4: age + 1 on every loaded struct, written with an array-bound UPDATE.
void update_bulk(connection& c, std::vector<bench::person>& people) {
    for (bench::person& p : people) p.age += 1;
    statement update(c.db, "UPDATE bench_person SET age = ? WHERE id = ?");
    std::vector<std::int32_t> ages;
    std::vector<std::int64_t> ids;
    for (std::size_t first = 0; first < people.size(); first += bulk_rows) {
        const std::size_t last = std::min(people.size(), first + bulk_rows);
        ages.clear();
        ids.clear();
        for (std::size_t i = first; i < last; ++i) {
            ages.push_back(people[i].age);
            ids.push_back(people[i].id);
        }
        unsigned int size = static_cast<unsigned int>(ids.size());
        if (mysql_stmt_attr_set(update.stmt, STMT_ATTR_ARRAY_SIZE, &size) != 0) fail(update.stmt, "array size");
        MYSQL_BIND binds[2]{};
        binds[0].buffer_type = MYSQL_TYPE_LONG;
        binds[0].buffer = ages.data();
        binds[1].buffer_type = MYSQL_TYPE_LONGLONG;
        binds[1].buffer = ids.data();
        if (mysql_stmt_bind_param(update.stmt, binds) != 0) fail(update.stmt, "bind_param");
        update.execute();
        if (mysql_stmt_affected_rows(update.stmt) != size) throw std::runtime_error("bulk update: wrong row count");
    }
}

/// W5: the report query, prepared once, run `report_runs` times into structs.
std::vector<bench::report_row> report(connection& c) {
    statement select(c.db, bench::report_sql);
    std::int64_t id = 0, count = 0;
    char name[65];
    unsigned long name_length = 0;
    double avg = 0;
    MYSQL_BIND binds[4]{};
    binds[0].buffer_type = MYSQL_TYPE_LONGLONG;
    binds[0].buffer = &id;
    binds[1].buffer_type = MYSQL_TYPE_STRING;
    binds[1].buffer = name;
    binds[1].buffer_length = sizeof name;
    binds[1].length = &name_length;
    binds[2].buffer_type = MYSQL_TYPE_LONGLONG;
    binds[2].buffer = &count;
    binds[3].buffer_type = MYSQL_TYPE_DOUBLE;
    binds[3].buffer = &avg;
    std::vector<bench::report_row> rows;
    for (int run = 0; run < bench::report_runs; ++run) {
        rows.clear();
        select.execute();
        if (mysql_stmt_bind_result(select.stmt, binds) != 0) fail(select.stmt, "bind_result");
        if (mysql_stmt_store_result(select.stmt) != 0) fail(select.stmt, "store_result");
        while (fetch(select.stmt)) rows.push_back({id, std::string(name, name_length), count, avg});
        mysql_stmt_free_result(select.stmt);
    }
    return rows;
}

/// W6: one prepared IN query per level and batch of at most 65,535 parent ids (the
/// protocol's parameter limit), each row stitched under its parent.
template <class Row>
void select_children(connection& c, const char* table, const char* parent, const char* text, std::vector<std::int64_t>& ids, Row&& row) {
    constexpr std::size_t max_parameters = 65535;
    for (std::size_t first = 0; first < ids.size(); first += max_parameters) {
        const std::size_t n = std::min(max_parameters, ids.size() - first);
        statement select(c.db, bench::w6_children_sql(table, parent, text, n));
        std::vector<MYSQL_BIND> params(n);
        for (std::size_t i = 0; i < n; ++i) {
            params[i].buffer_type = MYSQL_TYPE_LONGLONG;
            params[i].buffer = &ids[first + i];
        }
        if (mysql_stmt_bind_param(select.stmt, params.data()) != 0) fail(select.stmt, "bind_param");
        select.execute();
        std::int64_t id = 0, parent_id = 0;
        char buffer[129];
        unsigned long length = 0;
        MYSQL_BIND out[3]{};
        out[0].buffer_type = MYSQL_TYPE_LONGLONG;
        out[0].buffer = &id;
        out[1].buffer_type = MYSQL_TYPE_LONGLONG;
        out[1].buffer = &parent_id;
        out[2].buffer_type = MYSQL_TYPE_STRING;
        out[2].buffer = buffer;
        out[2].buffer_length = sizeof buffer;
        out[2].length = &length;
        if (mysql_stmt_bind_result(select.stmt, out) != 0) fail(select.stmt, "bind_result");
        while (fetch(select.stmt)) row(parent_id, id, std::string_view(buffer, length));
    }
}

/// W6: users 1..`user_count`, their posts, those posts' comments, in one transaction.
std::vector<bench::w6_user> load_associations(connection& c, std::int64_t user_count) {
    bench::w6_builder built;
    c.run("START TRANSACTION");
    {
        statement select(c.db, bench::w6_users_sql);
        MYSQL_BIND param{};
        param.buffer_type = MYSQL_TYPE_LONGLONG;
        param.buffer = &user_count;
        if (mysql_stmt_bind_param(select.stmt, &param) != 0) fail(select.stmt, "bind_param");
        select.execute();
        std::int64_t id = 0;
        char name[65];
        unsigned long length = 0;
        MYSQL_BIND out[2]{};
        out[0].buffer_type = MYSQL_TYPE_LONGLONG;
        out[0].buffer = &id;
        out[1].buffer_type = MYSQL_TYPE_STRING;
        out[1].buffer = name;
        out[1].buffer_length = sizeof name;
        out[1].length = &length;
        if (mysql_stmt_bind_result(select.stmt, out) != 0) fail(select.stmt, "bind_result");
        while (fetch(select.stmt)) built.add_user(id, std::string_view(name, length));
    }
    bench::w6_load_children(built, [&](const char* table, const char* parent, const char* text, std::vector<std::int64_t>& ids, auto&& row) {
        select_children(c, table, parent, text, ids, row);
    });
    if (mysql_commit(c.db) != 0) fail(c.db, "commit");
    return std::move(built.users);
}

/// Runs the workload of `opt` and prints its result line.
int run(const bench::options& opt) {
    const bench::url_parts url = bench::parse_url(opt.url);
    if (url.scheme != "mysql") return bench::exit_unsupported;
    connection c(url);
    const std::string& w = opt.workload;
    bench::stopwatch timer;
    std::int64_t rows = opt.rows, sum = 0;
    double seconds = 0;
    if (w == "W1a" || w == "W1b") {
        timer.start();
        if (mysql_autocommit(c.db, 0) != 0) fail(c.db, "autocommit");
        if (w == "W1a") {
            insert_one_by_one(c, opt.rows);
        } else {
            insert_bulk(c, opt.rows);
        }
        if (mysql_commit(c.db) != 0) fail(c.db, "commit");
        seconds = timer.seconds();
    } else if (w == "W2") {
        timer.start();
        const std::vector<bench::person> people = load_people(c.db);
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(people.size());
        sum = bench::checksum(people);
    } else if (w == "W2s") {
        timer.start();
        sum = stream_rows(c, rows);
        seconds = timer.seconds();
    } else if (w == "W3") {
        const std::vector<std::int64_t> ids = bench::lookup_ids(opt.rows);
        timer.start();
        c.run("START TRANSACTION");
        const std::vector<bench::person> found = lookups(c, ids);
        if (mysql_commit(c.db) != 0) fail(c.db, "commit");
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(found.size());
        sum = bench::checksum(found);
    } else if (w == "W4") {
        if (mysql_autocommit(c.db, 0) != 0) fail(c.db, "autocommit");
        std::vector<bench::person> people = load_people(c.db);
        timer.start();
        update_bulk(c, people);
        if (mysql_commit(c.db) != 0) fail(c.db, "commit");
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(people.size());
    } else if (bench::is_w6(w)) {
        timer.start();
        const std::vector<bench::w6_user> users = load_associations(c, bench::w6_users(w));
        seconds = timer.seconds();
        std::tie(sum, rows) = bench::w6_checksum(users);
    } else {  // W5
        timer.start();
        const std::vector<bench::report_row> result = report(c);
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(result.size());
        sum = bench::report_checksum(result);
    }
    bench::print_result(impl_name, "mysql", w, seconds, rows, sum);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const bench::options opt = bench::parse_options(argc, argv);
    return bench::run_guarded(argv[0], [&] { return run(opt); });
}
