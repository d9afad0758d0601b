// orm_bench: the benchmark workloads written with orm (see bench/WORKLOADS.md),
// as an application would write them, through either API:
//   --api engine   orm::connection: insert, insert_many, select<T>(), get<T>, update
//   --api session  orm::session: add, add_all, query<T>(), get<T>, change + commit
// Both backends (the URL picks them). The session API has no streaming read,
// so W2s exits 3 with --api session.
#include "bench_common.hpp"

#include <orm/orm.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

/// A row of bench_person (Table 0) or bench_stream (Table 1): same columns.
template <int Table>
struct person_row {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
    std::int32_t age = 0;
    double score = 0;
    std::chrono::sys_seconds created;
};
using bench_person = person_row<0>;
using bench_stream = person_row<1>;

/// An author of the W5 report.
struct bench_author {
    std::int64_t id = 0;
    std::string name;
};

/// A book of the W5 report.
struct bench_book {
    std::int64_t id = 0;
    std::int64_t author_id = 0;
    std::string title;
    double price = 0;
};

struct bench_post;
struct bench_comment;

/// W6: users -> posts -> comments, loaded as the object graph.
struct bench_user {
    std::int64_t id = 0;
    std::string name;
    orm::collection<bench_post> posts;
};

struct bench_post {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string title;
    orm::collection<bench_comment> comments;
};

struct bench_comment {
    std::int64_t id = 0;
    std::int64_t post_id = 0;
    std::string body;
};

template <int Table>
struct orm::model<person_row<Table>> {
    static constexpr auto table = Table == 0 ? "bench_person" : "bench_stream";
    static constexpr auto columns =
        orm::columns(orm::column(&person_row<Table>::name, orm::length(64)), orm::column(&person_row<Table>::email, orm::length(128)));
};

template <>
struct orm::model<bench_author> {
    static constexpr auto columns = orm::columns(orm::column(&bench_author::name, orm::length(64)));
};

template <>
struct orm::model<bench_book> {
    static constexpr auto columns = orm::columns(orm::column(&bench_book::title, orm::length(128)),
                                                 orm::foreign_key(&bench_book::author_id, &bench_author::id));
};

template <>
struct orm::model<bench_user> {
    static constexpr auto columns = orm::columns(orm::column(&bench_user::name, orm::length(64)));
    static constexpr auto relationships = orm::relationships(orm::one_to_many(&bench_user::posts, &bench_post::user_id));
};

template <>
struct orm::model<bench_post> {
    static constexpr auto columns =
        orm::columns(orm::column(&bench_post::title, orm::length(128)), orm::foreign_key(&bench_post::user_id, &bench_user::id));
    static constexpr auto relationships = orm::relationships(orm::one_to_many(&bench_post::comments, &bench_comment::post_id));
};

template <>
struct orm::model<bench_comment> {
    static constexpr auto columns =
        orm::columns(orm::column(&bench_comment::body, orm::length(128)), orm::foreign_key(&bench_comment::post_id, &bench_post::id));
};

namespace {

using orm::col;

const std::chrono::sys_seconds created_base{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};

/// Person row `i` as the mapped struct; `with_id` false leaves the key to AUTO_INCREMENT.
bench_person make_row(std::int64_t i, bool with_id) {
    const bench::person p = bench::make_person(i);
    return {with_id ? p.id : 0, p.name, p.email, p.age, p.score, created_base + std::chrono::seconds(p.created)};
}

/// Person rows 1..n without ids (W1a/W1b: AUTO_INCREMENT makes them).
std::vector<bench_person> new_rows(std::int64_t n) {
    std::vector<bench_person> rows;
    rows.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 1; i <= n; ++i) rows.push_back(make_row(i, false));
    return rows;
}

/// The contract's row_sum of one mapped row.
template <class Row>
std::int64_t row_sum(const Row& r) {
    const std::string_view email = r.email ? std::string_view(*r.email) : std::string_view();
    return bench::row_sum(r.id, r.name, r.email ? &email : nullptr, r.age, r.score, (r.created - created_base).count());
}

/// Thrown by an API that does not run a workload (exit code 3).
struct unsupported {};

/// What a workload reports.
struct outcome {
    double seconds = 0;
    std::int64_t rows = 0;
    std::int64_t checksum = 0;
};

/// The W5 query through the query builder: per-author count and average price.
template <class Source>
auto report_query(Source&& source) {
    return source.template join<bench_book>(col(&bench_book::author_id) == col(&bench_author::id))
        .columns(col(&bench_author::id), col(&bench_author::name), orm::count(col(&bench_book::id)), orm::avg(col(&bench_book::price)))
        .group_by(col(&bench_author::id), col(&bench_author::name))
        .order_by(orm::asc(&bench_author::id));
}

/// The W5 checksum of one report.
template <class Rows>
std::int64_t report_checksum(const Rows& rows) {
    std::int64_t sum = 0;
    for (const auto& [id, name, count, avg] : rows) sum += bench::report_row_sum(id, count, name, avg.value_or(0));
    return sum;
}

/// Runs the W5 report `report_runs` times (`run()` returns its rows); checksum of the last.
template <class Run>
outcome run_report(Run&& run) {
    outcome out;
    bench::stopwatch clock;
    for (int i = 0; i < bench::report_runs; ++i) {
        auto rows = run();
        out.rows = static_cast<std::int64_t>(rows.size());
        if (i + 1 == bench::report_runs) {
            out.seconds = clock.seconds();
            out.checksum = report_checksum(rows);
        }
    }
    return out;
}

// ---- the connection (engine) API -------------------------------------------------

outcome run_engine(orm::engine& db, const bench::options& opt) {
    if (bench::is_w6(opt.workload)) throw unsupported{};  // relationships are the session's
    auto conn = db.connect();
    const std::int64_t n = opt.rows;
    outcome out;
    bench::stopwatch clock;
    if (opt.workload == "W1a" || opt.workload == "W1b") {
        std::vector<bench_person> rows = new_rows(n);
        clock.start();
        auto tx = conn.begin();
        if (opt.workload == "W1a") {
            for (bench_person& r : rows) conn.insert(r);  // writes the generated id back
        } else {
            conn.insert_many(rows);
        }
        tx.commit();
        out.seconds = clock.seconds();
        out.rows = n;
        if (rows.back().id != n) throw std::runtime_error("generated ids were not written back");
    } else if (opt.workload == "W2") {
        clock.start();
        auto tx = conn.begin();
        std::vector<bench_person> rows = conn.select<bench_person>().order_by(orm::asc(&bench_person::id)).all();
        tx.commit();
        out.seconds = clock.seconds();
        out.rows = static_cast<std::int64_t>(rows.size());
        for (const auto& r : rows) out.checksum += row_sum(r);
    } else if (opt.workload == "W2s") {
        clock.start();
        for (const bench_stream& r : conn.select<bench_stream>().stream()) {
            ++out.rows;
            out.checksum += row_sum(r);
        }
        out.seconds = clock.seconds();
    } else if (opt.workload == "W3") {
        const auto ids = bench::lookup_ids(n);
        clock.start();
        auto tx = conn.begin();
        for (std::int64_t id : ids) {
            std::optional<bench_person> r = conn.get<bench_person>(id);
            if (!r) throw std::runtime_error("row " + std::to_string(id) + " not found");
            out.checksum += row_sum(*r);
        }
        tx.commit();
        out.seconds = clock.seconds();
        out.rows = static_cast<std::int64_t>(ids.size());
    } else if (opt.workload == "W4") {
        auto tx = conn.begin();
        std::vector<bench_person> rows = conn.select<bench_person>().all();
        clock.start();
        for (bench_person& r : rows) {
            r.age += 1;
            conn.update(r, orm::columns_of(&bench_person::age));
        }
        tx.commit();
        out.seconds = clock.seconds();
        out.rows = static_cast<std::int64_t>(rows.size());
    } else {  // W5
        out = run_report([&] { return report_query(conn.select<bench_author>()).all(); });
    }
    return out;
}

// ---- the session (unit of work) API ----------------------------------------------

/// Prints one result line of the session API.
void print_session(const std::string& backend, const outcome& o, const char* workload) {
    bench::print_result("orm-session", backend, workload, o.seconds, o.rows, o.checksum);
}

int run_session(orm::engine& db, const bench::options& opt, const std::string& backend) {
    const std::int64_t n = opt.rows;
    orm::session s(db);
    outcome out;
    bench::stopwatch clock;
    if (opt.workload == "W1a" || opt.workload == "W1b") {
        std::vector<bench_person> rows = new_rows(n);
        clock.start();
        bench_person* last = nullptr;
        if (opt.workload == "W1a") {
            for (bench_person& r : rows) {
                last = &s.add(std::move(r));
                s.flush(*last);  // one INSERT now, and the generated id is known
            }
        } else {
            for (bench_person& r : rows) last = &s.add(std::move(r));
        }
        s.commit();
        out.seconds = clock.seconds();
        out.rows = n;
        if (last->id != n) throw std::runtime_error("generated ids were not written back");
    } else if (opt.workload == "W2") {
        clock.start();
        std::vector<bench_person*> rows = s.query<bench_person>().order_by(orm::asc(&bench_person::id)).all();
        s.commit();
        out.seconds = clock.seconds();
        out.rows = static_cast<std::int64_t>(rows.size());
        for (const auto* r : rows) out.checksum += row_sum(*r);
    } else if (opt.workload == "W2s") {
        return bench::exit_unsupported;  // a session keeps every object it loads: no streaming read
    } else if (opt.workload == "W3") {
        const auto ids = bench::lookup_ids(n);
        for (int pass = 0; pass < 2; ++pass) {
            out = {};
            clock.start();
            for (std::int64_t id : ids) {
                const bench_person* r = s.get<bench_person>(id);
                if (!r) throw std::runtime_error("row " + std::to_string(id) + " not found");
                out.checksum += row_sum(*r);
            }
            out.seconds = clock.seconds();
            out.rows = static_cast<std::int64_t>(ids.size());
            print_session(backend, out, pass == 0 ? "W3" : "W3-again");
        }
        s.commit();
        return 0;
    } else if (opt.workload == "W4") {
        std::vector<bench_person*> rows = s.query<bench_person>().all();
        clock.start();
        for (bench_person* r : rows) r->age += 1;
        s.commit();
        out.seconds = clock.seconds();
        out.rows = static_cast<std::int64_t>(rows.size());
    } else if (bench::is_w6(opt.workload)) {
        // The users, then their posts and those posts' comments by selectin loading; commit.
        clock.start();
        const std::vector<bench_user*> users = s.query<bench_user>()
                                                   .where(col(&bench_user::id) <= bench::w6_users(opt.workload))
                                                   .order_by(orm::asc(&bench_user::id))
                                                   .options(orm::selectin_load(&bench_user::posts, &bench_post::comments))
                                                   .all();
        s.commit();
        out.seconds = clock.seconds();
        for (const bench_user* u : users) {
            out.checksum += bench::w6_user_term(u->id, u->name);
            ++out.rows;
            for (const bench_post* p : u->posts) {
                out.checksum += bench::w6_post_term(u->id, p->id, p->title);
                ++out.rows;
                for (const bench_comment* c : p->comments) {
                    out.checksum += bench::w6_comment_term(p->id, c->id, c->body);
                    ++out.rows;
                }
            }
        }
    } else {  // W5: a report query read through the session's connection
        out = run_report([&] { return report_query(s.query<bench_author>()).all(); });
        s.commit();
    }
    print_session(backend, out, opt.workload.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return bench::run_guarded(argv[0], [&] {
        const bench::options opt = bench::parse_options(argc, argv);
        const std::string backend = bench::parse_url(opt.url).scheme;
        orm::engine db = orm::create_engine(opt.url);
        if (opt.api.empty() || opt.api == "engine") {
            outcome o;
            try {
                o = run_engine(db, opt);
            } catch (const unsupported&) {
                return bench::exit_unsupported;
            }
            bench::print_result("orm-engine", backend, opt.workload, o.seconds, o.rows, o.checksum);
            return 0;
        }
        if (opt.api == "session") return run_session(db, opt, backend);
        throw std::invalid_argument("--api must be engine or session");
    });
}
