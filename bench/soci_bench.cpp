// soci_bench: the benchmark workloads on SOCI 4 (Debian libsoci-dev) with its
// mysql and sqlite3 backends, each the idiomatic fastest SOCI way: prepared
// statements with use()/into(), vector use() for bulk writes, vector into() for
// bulk reads (see bench/WORKLOADS.md).
#include "bench_common.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <ctime>
#include <string>
#include <tuple>
#include <vector>

namespace {

constexpr const char* impl_name = "soci";
constexpr const char* select_columns = "SELECT id, name, email, age, score, created FROM ";
constexpr const char* insert_sql =
    "INSERT INTO bench_person (name, email, age, score, created) VALUES (:name, :email, :age, :score, :created)";
constexpr std::size_t fetch_rows = 5000;  // rows per vector into() fetch

/// std::tm of base + seconds.
std::tm to_tm(std::int64_t seconds) {
    const bench::civil_time t = bench::to_civil(seconds);
    std::tm out{};
    out.tm_year = t.year - 1900;
    out.tm_mon = t.month - 1;
    out.tm_mday = t.day;
    out.tm_hour = t.hour;
    out.tm_min = t.minute;
    out.tm_sec = t.second;
    return out;
}

/// Seconds since the base of a std::tm.
std::int64_t from_tm(const std::tm& t) {
    return bench::from_civil({t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec});
}

/// Single-quotes a SOCI connection-string value.
std::string quoted(const std::string& value) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

/// Opens a SOCI session for the URL.
void open(soci::session& sql, const bench::url_parts& url) {
    if (url.scheme == "sqlite") {
        // SOCI 4.0's sqlite3 backend keeps quotes as part of the path: quote only when needed.
        sql.open(soci::sqlite3, "db=" + (url.path.find(' ') == std::string::npos ? url.path : quoted(url.path)));
    } else {
        sql.open(soci::mysql, "db=" + quoted(url.database) + " user=" + quoted(url.user) +
                                  " password=" + quoted(url.password) + " host=" + quoted(url.host) +
                                  " port=" + std::to_string(url.port) + " charset=utf8mb4");
    }
}

/// Reads all of bench_person in id order into structs with vector into(), `fetch_rows` per fetch.
std::vector<bench::person> load_people(soci::session& sql) {
    std::vector<long long> ids(fetch_rows);
    std::vector<std::string> names(fetch_rows), emails(fetch_rows);
    std::vector<soci::indicator> email_null(fetch_rows);
    std::vector<int> ages(fetch_rows);
    std::vector<double> scores(fetch_rows);
    std::vector<std::tm> created(fetch_rows);
    soci::statement st = (sql.prepare << select_columns << "bench_person ORDER BY id", soci::into(ids),
                          soci::into(names), soci::into(emails, email_null), soci::into(ages),
                          soci::into(scores), soci::into(created));
    st.execute();
    std::vector<bench::person> people;  // SOCI does not tell the row count first: no reserve (see WORKLOADS.md)
    while (st.fetch()) {
        for (std::size_t i = 0; i < ids.size(); ++i) {
            bench::person p;
            p.id = ids[i];
            p.name = std::move(names[i]);
            if (email_null[i] == soci::i_ok) p.email = std::move(emails[i]);
            p.age = ages[i];
            p.score = scores[i];
            p.created = from_tm(created[i]);
            people.push_back(std::move(p));
        }
        ids.resize(fetch_rows);
        names.resize(fetch_rows);
        emails.resize(fetch_rows);
        email_null.resize(fetch_rows);
        ages.resize(fetch_rows);
        scores.resize(fetch_rows);
        created.resize(fetch_rows);
    }
    return people;
}

/// W1a: one prepared INSERT executed per row, reading each generated id.
void insert_one_by_one(soci::session& sql, std::int64_t n) {
    std::string name, email;
    soci::indicator email_null = soci::i_ok;
    int age = 0;
    double score = 0;
    std::tm created{};
    soci::statement st = (sql.prepare << insert_sql, soci::use(name), soci::use(email, email_null), soci::use(age),
                          soci::use(score), soci::use(created));
    long long id_sum = 0;
    for (std::int64_t i = 1; i <= n; ++i) {
        bench::person p = bench::make_person(i);
        name = std::move(p.name);
        email_null = p.email ? soci::i_ok : soci::i_null;
        email = p.email ? std::move(*p.email) : std::string();
        age = p.age;
        score = p.score;
        created = to_tm(p.created);
        st.execute(true);
        long long id = 0;
        if (!sql.get_last_insert_id("bench_person", id)) throw std::runtime_error("no generated id");
        id_sum += id;
    }
    if (id_sum <= 0) throw std::runtime_error("bad generated ids");
}

/// W1b: the INSERT with vector use() of all rows (SOCI's bulk operation).
void insert_bulk(soci::session& sql, std::int64_t n) {
    std::vector<std::string> names, emails;
    std::vector<soci::indicator> email_null;
    std::vector<int> ages;
    std::vector<double> scores;
    std::vector<std::tm> created;
    for (std::int64_t i = 1; i <= n; ++i) {
        bench::person p = bench::make_person(i);
        names.push_back(std::move(p.name));
        email_null.push_back(p.email ? soci::i_ok : soci::i_null);
        emails.push_back(p.email ? std::move(*p.email) : std::string());
        ages.push_back(p.age);
        scores.push_back(p.score);
        created.push_back(to_tm(p.created));
    }
    sql << insert_sql, soci::use(names), soci::use(emails, email_null), soci::use(ages), soci::use(scores),
        soci::use(created);
}

/// W2s: a prepared SELECT fetched one row at a time into single variables.
std::int64_t stream_rows(soci::session& sql, std::int64_t& rows) {
    long long id = 0;
    std::string name, email;
    soci::indicator email_null = soci::i_ok;
    int age = 0;
    double score = 0;
    std::tm created{};
    soci::statement st = (sql.prepare << select_columns << "bench_stream ORDER BY id", soci::into(id),
                          soci::into(name), soci::into(email, email_null), soci::into(age), soci::into(score),
                          soci::into(created));
    st.execute();
    std::int64_t sum = 0;
    rows = 0;
    while (st.fetch()) {
        const std::string_view e = email;
        sum += bench::row_sum(id, name, email_null == soci::i_ok ? &e : nullptr, age, score, from_tm(created));
        ++rows;
    }
    return sum;
}

/// W3: one prepared SELECT by id, executed per lookup.
std::vector<bench::person> lookups(soci::session& sql, const std::vector<std::int64_t>& wanted) {
    long long key = 0, id = 0;
    std::string name, email;
    soci::indicator email_null = soci::i_ok;
    int age = 0;
    double score = 0;
    std::tm created{};
    soci::statement st = (sql.prepare << select_columns << "bench_person WHERE id = :id", soci::into(id),
                          soci::into(name), soci::into(email, email_null), soci::into(age), soci::into(score),
                          soci::into(created), soci::use(key));
    std::vector<bench::person> found;
    found.reserve(wanted.size());
    for (const std::int64_t k : wanted) {
        key = k;
        if (!st.execute(true)) throw std::runtime_error("lookup found no row");
        bench::person p;
        p.id = id;
        p.name = name;
        if (email_null == soci::i_ok) p.email = email;
        p.age = age;
        p.score = score;
        p.created = from_tm(created);
        found.push_back(std::move(p));
    }
    return found;
}

/// W4: age + 1 on every struct, written with one UPDATE with vector use().
void update_bulk(soci::session& sql, std::vector<bench::person>& people) {
    std::vector<int> ages;
    std::vector<long long> ids;
    ages.reserve(people.size());
    ids.reserve(people.size());
    for (bench::person& p : people) {
        p.age += 1;
        ages.push_back(p.age);
        ids.push_back(p.id);
    }
    sql << "UPDATE bench_person SET age = :age WHERE id = :id", soci::use(ages), soci::use(ids);
}

/// W5: the report into vectors, prepared once and run `report_runs` times.
std::vector<bench::report_row> report(soci::session& sql) {
    constexpr std::size_t capacity = 2000;  // more than the 1,000 result rows: one fetch
    std::vector<long long> ids(capacity), counts(capacity);
    std::vector<std::string> names(capacity);
    std::vector<double> avgs(capacity);
    soci::statement st = (sql.prepare << bench::report_sql, soci::into(ids), soci::into(names), soci::into(counts),
                          soci::into(avgs));
    std::vector<bench::report_row> rows;
    for (int run = 0; run < bench::report_runs; ++run) {
        rows.clear();
        ids.resize(capacity);
        names.resize(capacity);
        counts.resize(capacity);
        avgs.resize(capacity);
        st.execute();
        while (st.fetch()) {
            for (std::size_t i = 0; i < ids.size(); ++i) rows.push_back({ids[i], names[i], counts[i], avgs[i]});
            ids.resize(capacity);
            names.resize(capacity);
            counts.resize(capacity);
            avgs.resize(capacity);
        }
    }
    return rows;
}

/// W6: one statement per level and batch of at most 65,535 parent ids, each bound
/// with its own use() (SOCI has no IN-list binding), rows fetched in bulk and
/// stitched under their parents.
template <class Row>
void select_children(soci::session& sql, const char* table, const char* parent, const char* text, const std::vector<std::int64_t>& ids,
                     Row&& row) {
    constexpr std::size_t max_parameters = 65535, capacity = 10000;
    for (std::size_t first = 0; first < ids.size(); first += max_parameters) {
        const std::size_t n = std::min(max_parameters, ids.size() - first);
        std::string query = std::string("SELECT id, ") + parent + ", " + text + " FROM " + table + " WHERE " + parent + " IN (";
        for (std::size_t i = 0; i < n; ++i) query += (i ? ", :p" : ":p") + std::to_string(i);
        query += std::string(") ORDER BY ") + parent + ", id";
        std::vector<long long> keys(ids.begin() + static_cast<std::ptrdiff_t>(first), ids.begin() + static_cast<std::ptrdiff_t>(first + n));
        std::vector<long long> out_ids(capacity), out_parents(capacity);
        std::vector<std::string> out_texts(capacity);
        soci::statement st(sql);
        st.exchange(soci::into(out_ids));
        st.exchange(soci::into(out_parents));
        st.exchange(soci::into(out_texts));
        for (long long& key : keys) st.exchange(soci::use(key));
        st.alloc();
        st.prepare(query);
        st.define_and_bind();
        st.execute(false);
        while (st.fetch()) {
            for (std::size_t i = 0; i < out_ids.size(); ++i) row(out_parents[i], out_ids[i], out_texts[i]);
            out_ids.resize(capacity);
            out_parents.resize(capacity);
            out_texts.resize(capacity);
        }
    }
}

/// W6: users 1..`user_count`, their posts, those posts' comments, in one transaction.
std::vector<bench::w6_user> load_associations(soci::session& sql, std::int64_t user_count) {
    bench::w6_builder built;
    soci::transaction tr(sql);
    {
        constexpr std::size_t capacity = 10000;
        std::vector<long long> ids(capacity);
        std::vector<std::string> names(capacity);
        long long limit = user_count;
        soci::statement st = (sql.prepare << "SELECT id, name FROM bench_user WHERE id <= :n ORDER BY id", soci::into(ids),
                              soci::into(names), soci::use(limit));
        st.execute(false);
        while (st.fetch()) {
            for (std::size_t i = 0; i < ids.size(); ++i) built.add_user(ids[i], names[i]);
            ids.resize(capacity);
            names.resize(capacity);
        }
    }
    bench::w6_load_children(built, [&](const char* table, const char* parent, const char* text, std::vector<std::int64_t>& ids, auto&& row) {
        select_children(sql, table, parent, text, ids, row);
    });
    tr.commit();
    return std::move(built.users);
}

/// Runs the workload of `opt` and prints its result line.
int run(const bench::options& opt) {
    const bench::url_parts url = bench::parse_url(opt.url);
    soci::session sql;
    open(sql, url);
    const std::string& w = opt.workload;
    bench::stopwatch timer;
    std::int64_t rows = opt.rows, sum = 0;
    double seconds = 0;
    if (w == "W1a" || w == "W1b") {
        timer.start();
        soci::transaction tr(sql);
        if (w == "W1a") {
            insert_one_by_one(sql, opt.rows);
        } else {
            insert_bulk(sql, opt.rows);
        }
        tr.commit();
        seconds = timer.seconds();
    } else if (w == "W2") {
        timer.start();
        const std::vector<bench::person> people = load_people(sql);
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(people.size());
        sum = bench::checksum(people);
    } else if (w == "W2s") {
        timer.start();
        sum = stream_rows(sql, rows);
        seconds = timer.seconds();
    } else if (w == "W3") {
        const std::vector<std::int64_t> ids = bench::lookup_ids(opt.rows);
        timer.start();
        soci::transaction tr(sql);
        const std::vector<bench::person> found = lookups(sql, ids);
        tr.commit();
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(found.size());
        sum = bench::checksum(found);
    } else if (w == "W4") {
        soci::transaction tr(sql);
        std::vector<bench::person> people = load_people(sql);
        timer.start();
        update_bulk(sql, people);
        tr.commit();
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(people.size());
    } else if (bench::is_w6(w)) {
        timer.start();
        const std::vector<bench::w6_user> users = load_associations(sql, bench::w6_users(w));
        seconds = timer.seconds();
        std::tie(sum, rows) = bench::w6_checksum(users);
    } else {  // W5
        timer.start();
        const std::vector<bench::report_row> result = report(sql);
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(result.size());
        sum = bench::report_checksum(result);
    }
    bench::print_result(impl_name, url.scheme, w, seconds, rows, sum);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const bench::options opt = bench::parse_options(argc, argv);
    return bench::run_guarded(argv[0], [&] { return run(opt); });
}
