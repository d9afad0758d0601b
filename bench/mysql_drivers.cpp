// mysql_drivers — the two MySQL / MariaDB drivers side by side: rows/s of
// inserting N rows of a 6-column struct with insert_many (one transaction)
// and of reading them back (streamed, and into a vector), through whichever
// driver the URL names.
//
//   mysql_drivers URL [--rows N] [--repeat R]
//
//   URL         mysql://user:pw@127.0.0.1:3306/db          (Connector/C++)
//               mysql+libmariadb://user:pw@127.0.0.1:3306/db (libmariadb)
//   --rows N    rows per run (default 20000)
//   --repeat R  runs; the best of each phase is reported (default 5)
//
// Every row read back is checked against what was inserted (exit code 1 if not).
#include <orm/orm.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

/// Six columns: a key, two integers, a double, a short string and a time point.
struct driver_row {
    std::int64_t id = 0;
    std::int32_t n = 0;
    std::int64_t big = 0;
    double x = 0;
    std::string s;
    std::chrono::sys_seconds at{};
};

template <>
struct orm::model<driver_row> {
    static constexpr auto table = "driver_rows";
    static constexpr auto columns = orm::columns(orm::column(&driver_row::s, orm::length(32)));
};

namespace {

driver_row expected_row(std::int64_t id) {
    return driver_row{id, static_cast<std::int32_t>(id * 7919 % 100003), id * 1'000'003, static_cast<double>(id) * 0.25 + 0.1,
                      "row-" + std::to_string(id), std::chrono::sys_seconds{std::chrono::seconds{1'700'000'000 + id}}};
}

bool same(const driver_row& a, const driver_row& b) {
    return a.id == b.id && a.n == b.n && a.big == b.big && a.x == b.x && a.s == b.s && a.at == b.at;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: mysql_drivers URL [--rows N] [--repeat R]\n";
        return 2;
    }
    const std::string url = argv[1];
    std::int64_t rows = 20000;
    int repeat = 5;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--rows" && i + 1 < argc) rows = std::strtoll(argv[++i], nullptr, 10);
        else if (arg == "--repeat" && i + 1 < argc) repeat = std::atoi(argv[++i]);
        else {
            std::cerr << "unknown argument " << arg << '\n';
            return 2;
        }
    }
    try {
        auto db = orm::create_engine(url);
        std::cout << orm::url::parse(url).redacted() << ": " << rows << " rows, best of " << repeat << '\n';
        double best_insert = 1e300, best_stream = 1e300, best_all = 1e300;
        bool ok = true;
        for (int run = 0; run < repeat; ++run) {
            orm::drop_all<driver_row>(db);
            orm::create_all<driver_row>(db);
            std::vector<driver_row> data;
            data.reserve(static_cast<std::size_t>(rows));
            for (std::int64_t id = 1; id <= rows; ++id) {
                data.push_back(expected_row(id));
                data.back().id = 0;  // generated
            }
            auto conn = db.connect();
            auto start = std::chrono::steady_clock::now();
            {
                auto tx = conn.begin();
                conn.insert_many(data);
                tx.commit();
            }
            best_insert = std::min(best_insert, seconds_since(start));

            start = std::chrono::steady_clock::now();
            std::int64_t seen = 0;
            for (const driver_row& r : conn.select<driver_row>().stream()) {
                ok = ok && same(r, expected_row(r.id));
                ++seen;
            }
            best_stream = std::min(best_stream, seconds_since(start));
            ok = ok && seen == rows;

            start = std::chrono::steady_clock::now();
            const std::vector<driver_row> all = conn.select<driver_row>().all();
            best_all = std::min(best_all, seconds_since(start));
            ok = ok && static_cast<std::int64_t>(all.size()) == rows;
            for (const driver_row& r : all) ok = ok && same(r, expected_row(r.id));
        }
        orm::drop_all<driver_row>(db);
        const auto rate = [&](double s) { return static_cast<std::int64_t>(static_cast<double>(rows) / s); };
        std::cout << "  insert_many: " << rate(best_insert) << " rows/s (" << best_insert * 1000 << " ms)\n"
                  << "  read stream: " << rate(best_stream) << " rows/s (" << best_stream * 1000 << " ms)\n"
                  << "  read all():  " << rate(best_all) << " rows/s (" << best_all * 1000 << " ms)\n";
        if (!ok) {
            std::cerr << "** rows read back differ from the rows inserted **\n";
            return 1;
        }
    } catch (const std::exception& e) {
        std::cerr << "mysql_drivers: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
