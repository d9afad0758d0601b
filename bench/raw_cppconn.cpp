// raw_cppconn: the benchmark workloads written by hand on MySQL Connector/C++ 1.1
// (the JDBC-style API orm's MySQL driver uses), the fastest reasonable way
// (see bench/WORKLOADS.md). MySQL only: exits 3 for SQLite.
#include "bench_common.hpp"

#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <charconv>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace {

constexpr const char* impl_name = "raw-cppconn";
constexpr const char* select_columns = "SELECT id, name, email, age, score, created FROM ";
constexpr const char* insert_head = "INSERT INTO bench_person (name, email, age, score, created) VALUES ";
constexpr std::int64_t rows_per_insert = 1000;  // W1b: rows of one multi-row INSERT

using prepared_ptr = std::unique_ptr<sql::PreparedStatement>;
using result_ptr = std::unique_ptr<sql::ResultSet>;

/// Connects with the URL's credentials, utf8mb4.
std::unique_ptr<sql::Connection> connect(const bench::url_parts& url) {
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString(url.host);
    options["port"] = static_cast<int>(url.port);
    options["userName"] = sql::SQLString(url.user);
    options["password"] = sql::SQLString(url.password);
    options["schema"] = sql::SQLString(url.database);
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    return std::unique_ptr<sql::Connection>(get_driver_instance()->connect(options));
}

/// Reads the current row of a six-column person result.
bench::person read_person(sql::ResultSet& rs) {
    bench::person p;
    p.id = rs.getInt64(1);
    p.name = rs.getString(2);
    if (!rs.isNull(3)) p.email = std::string(rs.getString(3));
    p.age = rs.getInt(4);
    p.score = static_cast<double>(rs.getDouble(5));
    p.created = bench::parse_created(std::string(rs.getString(6)));
    return p;
}

/// Binds the five inserted columns of `p` starting at parameter `first`.
void bind_person(sql::PreparedStatement& stmt, unsigned first, const bench::person& p) {
    stmt.setString(first, p.name);
    if (p.email) {
        stmt.setString(first + 1, *p.email);
    } else {
        stmt.setNull(first + 1, sql::DataType::VARCHAR);
    }
    stmt.setInt(first + 2, p.age);
    stmt.setDouble(first + 3, p.score);
    stmt.setDateTime(first + 4, bench::created_text(p.created));
}

/// Reads all of bench_person in id order through a (buffered) PreparedStatement.
std::vector<bench::person> load_people(sql::Connection& c) {
    prepared_ptr select(c.prepareStatement(std::string(select_columns) + "bench_person ORDER BY id"));
    result_ptr rs(select->executeQuery());
    std::vector<bench::person> people;
    people.reserve(rs->rowsCount());  // the buffered result's count
    while (rs->next()) people.push_back(read_person(*rs));
    return people;
}

/// W1a: one prepared INSERT ... RETURNING id per row (MariaDB >= 10.5; Connector/C++ 1.1
/// exposes no mysql_insert_id, and RETURNING saves the SELECT LAST_INSERT_ID() round trip).
void insert_one_by_one(sql::Connection& c, std::int64_t n) {
    prepared_ptr insert(c.prepareStatement(std::string(insert_head) + "(?, ?, ?, ?, ?) RETURNING id"));
    std::int64_t id_sum = 0;
    for (std::int64_t i = 1; i <= n; ++i) {
        bind_person(*insert, 1, bench::make_person(i));
        result_ptr rs(insert->executeQuery());
        if (!rs->next()) throw std::runtime_error("INSERT RETURNING gave no id");
        id_sum += rs->getInt64(1);
    }
    if (id_sum <= 0) throw std::runtime_error("bad generated ids");
}

/// The text of a multi-row INSERT of `rows` rows.
std::string multi_row_insert(std::int64_t rows) {
    std::string sql = insert_head;
    for (std::int64_t r = 0; r < rows; ++r) sql += r == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)";
    return sql;
}

/// W1b: prepared multi-row INSERTs of `rows_per_insert` rows (the last one shorter).
void insert_multi_row(sql::Connection& c, std::int64_t n) {
    prepared_ptr full(c.prepareStatement(multi_row_insert(std::min(n, rows_per_insert))));
    for (std::int64_t first = 1; first <= n; first += rows_per_insert) {
        const std::int64_t count = std::min(rows_per_insert, n - first + 1);
        prepared_ptr partial;
        if (count != std::min(n, rows_per_insert)) partial.reset(c.prepareStatement(multi_row_insert(count)));
        sql::PreparedStatement& stmt = partial ? *partial : *full;
        for (std::int64_t r = 0; r < count; ++r)
            bind_person(stmt, static_cast<unsigned>(r * 5 + 1), bench::make_person(first + r));
        if (stmt.executeUpdate() != count) throw std::runtime_error("multi-row insert: wrong row count");
    }
}

/// W2s: a forward-only text-protocol Statement (mysql_use_result), summing as rows arrive.
std::int64_t stream_rows(sql::Connection& c, std::int64_t& rows) {
    std::unique_ptr<sql::Statement> statement(c.createStatement());
    statement->setResultSetType(sql::ResultSet::TYPE_FORWARD_ONLY);
    result_ptr rs(statement->executeQuery(std::string(select_columns) + "bench_stream ORDER BY id"));
    std::int64_t sum = 0;
    rows = 0;
    while (rs->next()) {
        const std::string name = rs->getString(2);
        const bool email_null = rs->isNull(3);
        const std::string email = rs->getString(3);
        const std::string_view e = email;
        // The score's text through from_chars, as orm's driver reads streamed doubles (Connector/C++'s
        // getDouble parses the text through long double).
        const std::string score_text = rs->getString(5);
        double score = 0;
        std::from_chars(score_text.data(), score_text.data() + score_text.size(), score);
        sum += bench::row_sum(rs->getInt64(1), name, email_null ? nullptr : &e, rs->getInt(4), score,
                              bench::parse_created(std::string(rs->getString(6))));
        ++rows;
    }
    return sum;
}

/// W3: one PreparedStatement by id, re-executed per lookup.
std::vector<bench::person> lookups(sql::Connection& c, const std::vector<std::int64_t>& ids) {
    prepared_ptr select(c.prepareStatement(std::string(select_columns) + "bench_person WHERE id = ?"));
    std::vector<bench::person> found;
    found.reserve(ids.size());
    for (const std::int64_t id : ids) {
        select->setInt64(1, id);
        result_ptr rs(select->executeQuery());
        if (!rs->next()) throw std::runtime_error("lookup found no row");
        found.push_back(read_person(*rs));
    }
    return found;
}

/// W4: age + 1 on every struct, one prepared UPDATE per row (no array binding in Connector/C++).
void update_rows(sql::Connection& c, std::vector<bench::person>& people) {
    prepared_ptr update(c.prepareStatement("UPDATE bench_person SET age = ? WHERE id = ?"));
    for (bench::person& p : people) {
        p.age += 1;
        update->setInt(1, p.age);
        update->setInt64(2, p.id);
        if (update->executeUpdate() != 1) throw std::runtime_error("update changed no row");
    }
}

/// W5: the report through one PreparedStatement, run `report_runs` times into structs.
std::vector<bench::report_row> report(sql::Connection& c) {
    prepared_ptr select(c.prepareStatement(bench::report_sql));
    std::vector<bench::report_row> rows;
    for (int run = 0; run < bench::report_runs; ++run) {
        rows.clear();
        result_ptr rs(select->executeQuery());
        while (rs->next())
            rows.push_back({rs->getInt64(1), std::string(rs->getString(2)), rs->getInt64(3),
                            static_cast<double>(rs->getDouble(4))});
    }
    return rows;
}

/// W6: one PreparedStatement per level and batch of at most 65,535 parent ids, each
/// row stitched under its parent.
template <class Row>
void select_children(sql::Connection& c, const char* table, const char* parent, const char* text, const std::vector<std::int64_t>& ids,
                     Row&& row) {
    constexpr std::size_t max_parameters = 65535;
    for (std::size_t first = 0; first < ids.size(); first += max_parameters) {
        const std::size_t n = std::min(max_parameters, ids.size() - first);
        std::unique_ptr<sql::PreparedStatement> select(c.prepareStatement(bench::w6_children_sql(table, parent, text, n)));
        for (std::size_t i = 0; i < n; ++i) select->setInt64(static_cast<unsigned int>(i + 1), ids[first + i]);
        std::unique_ptr<sql::ResultSet> rs(select->executeQuery());
        while (rs->next()) {
            const sql::SQLString value = rs->getString(3);
            row(rs->getInt64(2), rs->getInt64(1), std::string_view(value.c_str(), value.length()));
        }
    }
}

/// W6: users 1..`user_count`, their posts, those posts' comments, in one transaction.
std::vector<bench::w6_user> load_associations(sql::Connection& c, std::int64_t user_count) {
    bench::w6_builder built;
    c.setAutoCommit(false);
    {
        std::unique_ptr<sql::PreparedStatement> select(c.prepareStatement(bench::w6_users_sql));
        select->setInt64(1, user_count);
        std::unique_ptr<sql::ResultSet> rs(select->executeQuery());
        while (rs->next()) {
            const sql::SQLString name = rs->getString(2);
            built.add_user(rs->getInt64(1), std::string_view(name.c_str(), name.length()));
        }
    }
    bench::w6_load_children(built, [&](const char* table, const char* parent, const char* text, std::vector<std::int64_t>& ids, auto&& row) {
        select_children(c, table, parent, text, ids, row);
    });
    c.commit();
    return std::move(built.users);
}

/// Runs the workload of `opt` and prints its result line.
int run(const bench::options& opt) {
    const bench::url_parts url = bench::parse_url(opt.url);
    if (url.scheme != "mysql") return bench::exit_unsupported;
    std::unique_ptr<sql::Connection> c = connect(url);
    const std::string& w = opt.workload;
    bench::stopwatch timer;
    std::int64_t rows = opt.rows, sum = 0;
    double seconds = 0;
    if (w == "W1a" || w == "W1b") {
        timer.start();
        c->setAutoCommit(false);
        if (w == "W1a") {
            insert_one_by_one(*c, opt.rows);
        } else {
            insert_multi_row(*c, opt.rows);
        }
        c->commit();
        seconds = timer.seconds();
    } else if (w == "W2") {
        timer.start();
        const std::vector<bench::person> people = load_people(*c);
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(people.size());
        sum = bench::checksum(people);
    } else if (w == "W2s") {
        timer.start();
        sum = stream_rows(*c, rows);
        seconds = timer.seconds();
    } else if (w == "W3") {
        const std::vector<std::int64_t> ids = bench::lookup_ids(opt.rows);
        timer.start();
        c->setAutoCommit(false);
        const std::vector<bench::person> found = lookups(*c, ids);
        c->commit();
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(found.size());
        sum = bench::checksum(found);
    } else if (w == "W4") {
        c->setAutoCommit(false);
        std::vector<bench::person> people = load_people(*c);
        timer.start();
        update_rows(*c, people);
        c->commit();
        seconds = timer.seconds();
        rows = static_cast<std::int64_t>(people.size());
    } else if (bench::is_w6(w)) {
        timer.start();
        const std::vector<bench::w6_user> users = load_associations(*c, bench::w6_users(w));
        seconds = timer.seconds();
        std::tie(sum, rows) = bench::w6_checksum(users);
    } else {  // W5
        timer.start();
        const std::vector<bench::report_row> result = report(*c);
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
